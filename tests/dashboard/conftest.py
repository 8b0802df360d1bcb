"""A small city whose dashboard figures are worked out by hand in the tests.

2026, default indicators; targets only for 新引进亿元合同项目 (signed_100m, weight 25) and
实际到位资金 (funds, weight 15), so each unit's score is 100 × (25·c₁ + 15·c₂) / 40:

| unit   | group | targets (signed, funds) | Q1 actual        | Q2 actual          |
|--------|-------|-------------------------|------------------|--------------------|
| 甲县    | 第一组 | 2, 1000                 | 1 signed, 0 万元  | 2 signed, 500 万元  |
| 乙县    | 第二组 | 2, 1000                 | 1 signed         | 1 signed           |
| 市发改委 | 第一组 | 1, 500                  | 0                | 0                  |
"""

import datetime

import pytest

from assessment.snapshots import compute_snapshot, publish
from projects.models import ClaimStatus, MilestoneKind
from tests.assessment.factories import default_year, funds, milestone, set_targets, signed_project
from tests.factories import GroupFactory, ProjectFactory, add_member

D = datetime.date


@pytest.fixture
def city(db, group, unit_a, unit_b, lead_unit):
    year = default_year(2026)
    second = GroupFactory(year=2026, name="第二招商协作组", lead_unit=unit_b)
    add_member(second, unit_b)
    set_targets(year, unit_a, signed_100m=2, funds=1000)
    set_targets(year, unit_b, signed_100m=2, funds=1000)
    set_targets(year, lead_unit, signed_100m=1, funds=500)
    set_targets(year, group, signed_100m=3, funds=1500)
    set_targets(year, second, signed_100m=2, funds=1000)

    a1 = signed_project(unit_a, D(2026, 3, 10), name="甲县新能源电池项目")
    a2 = signed_project(unit_a, D(2026, 5, 10), name="甲县智能装备项目")
    milestone(a2, MilestoneKind.STARTED, D(2026, 6, 1))
    funds(a1, D(2026, 4, 20), 500)
    funds(a1, D(2026, 5, 20), 300, status=ClaimStatus.SUBMITTED)  # pending: never counted
    signed_project(unit_b, D(2026, 2, 10), name="乙县食品加工项目")
    ProjectFactory(unit=unit_b, name="乙县文旅综合体", stage="negotiating")
    signed_project(unit_b, D(2025, 8, 1), name="乙县上年签约项目")  # not in the 2026 cohort
    return {"year": year, "second": second, "a1": a1, "a2": a2}


@pytest.fixture
def published_q2(city, reviewer):
    snapshot = compute_snapshot(2026, 2, reviewer)
    return publish(snapshot, reviewer)
