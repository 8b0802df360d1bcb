"""十佳引资功臣: introducers ranked by the verified results of their projects in a year."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.dashboard.structure import top_contributors
from projects.models import ClaimStatus, PersonKind
from tests.assessment.factories import funds, signed_project
from tests.factories import IntroducerFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def introduced(unit_a, unit_b):
    p1 = signed_project(unit_a, D(2026, 3, 1), contracted_investment=15000)
    p2 = signed_project(unit_a, D(2026, 4, 1), status=ClaimStatus.SUBMITTED)  # not verified
    p3 = signed_project(unit_b, D(2026, 5, 1), contracted_investment=8000)
    zhang = PersonFactory(name="张三", unit=unit_a)
    li = PersonFactory(name="李四", kind=PersonKind.INTERMEDIARY, organisation="某咨询公司")
    IntroducerFactory(project=p1, person=zhang)
    IntroducerFactory(project=p1, person=li)
    IntroducerFactory(project=p2, person=zhang)
    IntroducerFactory(project=p3, person__name="王五")
    funds(p2, D(2026, 6, 1), 200)
    funds(p3, D(2026, 6, 1), 1000)
    funds(p3, D(2026, 7, 1), 500, status=ClaimStatus.SUBMITTED)
    funds(p3, D(2025, 7, 1), 700)


def test_ranked_by_verified_contracted_investment_plus_funds(login, leader, introduced):
    response = login(leader).get(reverse("dashboard:contributors"), {"year": 2026})
    rows = response.context["rows"]
    assert [(r["rank"], r["person"].name, r["total"]) for r in rows] == [
        (1, "张三", Decimal("15200")),  # 15000 contracted (p1) + 200 funds (p2, signing pending)
        (2, "李四", Decimal("15000")),
        (3, "王五", Decimal("9000")),  # 8000 + 1000; pending and 2025 funds left out
    ]
    assert "中介人" in response.content.decode()


def test_top_ten_only(leader, unit_a):
    for n in range(12):
        project = signed_project(unit_a, D(2026, 3, 1), contracted_investment=10000 + n)
        IntroducerFactory(project=project, person__name=f"引资人{n:02d}")
    rows = top_contributors(leader, 2026)
    assert len(rows) == 10
    assert rows[0]["person"].name == "引资人11" and rows[-1]["person"].name == "引资人02"


def test_unit_user_sees_its_own_contributors(login, staff_b, introduced):
    rows = login(staff_b).get(reverse("dashboard:contributors"), {"year": 2026}).context["rows"]
    assert [r["person"].name for r in rows] == ["王五"]


def test_empty_year_says_so(login, leader, introduced):
    response = login(leader).get(reverse("dashboard:contributors"), {"year": 2024})
    assert "2024年暂无已核实的引资成果" in response.content.decode()


def test_equal_totals_share_a_rank_and_the_next_rank_skips(leader, unit_a):
    for name, amount in [("甲", 300), ("乙", 200), ("丙", 200), ("丁", 100)]:
        project = signed_project(unit_a, D(2026, 3, 1), contracted_investment=amount)
        IntroducerFactory(project=project, person__name=name)
    rows = top_contributors(leader, 2026, limit=2)
    # 乙 and 丙 share rank 2, so both are in a top two; 丁 (rank 4) is not.
    assert [(r["rank"], r["person"].name) for r in rows] == [(1, "甲"), (2, "丙"), (2, "乙")]
