"""Completion, score, cap, rank, echelon and status (SPEC §5), on small hand-made cities."""

import datetime
from decimal import Decimal

import pytest

from assessment.echelons import LEGACY_RULES
from assessment.engine import compute, echelon_for
from tests.assessment.factories import IndicatorFactory, adjust, funds, set_targets, signed_project
from tests.factories import AssessmentYearFactory, ProjectFactory, UnitFactory, add_member
from tests.factories.base import unguarded

D = Decimal


@pytest.fixture
def year(db):
    """Two equally weighted indicators: signings (count) and funds (万元)."""
    ay = AssessmentYearFactory(year=2026)
    IndicatorFactory(year=ay, code="signed", kind="milestone_count", milestone="signed", weight=50)
    IndicatorFactory(
        year=ay, code="funds", kind="funds", milestone="", display_unit="万元", weight=50
    )
    return ay


@pytest.fixture
def legacy_year(year):
    """`year` under the echelon rule before issue 17, which years published before it keep:
    rank by the rounded S only, every assessed unit ranked, echelon by rank alone. The rules of
    issue 17 are tested in test_engine_echelons.py."""
    for name, value in LEGACY_RULES.items():
        setattr(year, name, value)
    year.save()
    return year


def give_funds(unit, amount, date=datetime.date(2026, 2, 1)):
    funds(ProjectFactory(unit=unit), date, amount)


def row(result, unit):
    return next(e for e in result.units if e.id == unit.pk)


def test_target_zero_or_missing_is_not_assessed(year, unit_a, unit_b):
    set_targets(year, unit_a, signed=0, funds=100)
    give_funds(unit_a, 50)
    signed_project(unit_a)
    result = compute(year, 1)
    a = row(result, unit_a)
    assert not a.indicators["signed"].assessed
    # Only funds is assessed: S = 50 %, even though the signing would have scored.
    assert a.score == D("50.00")
    b = row(result, unit_b)
    assert (b.rank, b.status, b.score) == (None, "", None)
    assert result.units[-1].id == unit_b.pk  # unranked units come last


def test_completion_is_capped_in_score_but_not_above_100_in_overall(year, unit_a):
    set_targets(year, unit_a, signed=1, funds=100)
    for _ in range(3):
        signed_project(unit_a)  # 300 %
    give_funds(unit_a, 60)
    a = row(compute(year, 1), unit_a)
    assert a.indicators["signed"].completion_pct == D("300.00")
    assert a.score == D("90.00")  # (1.2 + 0.6) / 2
    assert a.overall == D("80.00")  # (1 + 0.6) / 2


def test_cap_is_configurable_per_year(year, unit_a):
    year.score_cap = D("1.50")
    year.save()
    set_targets(year, unit_a, signed=1, funds=100)
    signed_project(unit_a)
    signed_project(unit_a)
    assert row(compute(year, 1), unit_a).score == D("75.00")  # (1.5 + 0) / 2


def test_weights_and_half_up_rounding(year, unit_a):
    with unguarded():
        year.indicators.filter(code="signed").update(weight=25)
        year.indicators.filter(code="funds").update(weight=50)
    set_targets(year, unit_a, signed=3, funds=300)
    signed_project(unit_a)
    give_funds(unit_a, 100)
    a = row(compute(year, 1), unit_a)
    # 100 × (25·⅓ + 50·⅓) / 75 = 33.333… → 33.33; completion 33.33 %.
    assert a.score == D("33.33")
    assert a.indicators["funds"].completion_pct == D("33.33")
    assert a.overall_exact > D("33.3333") and a.overall_exact < D("33.3334")


def test_adjustments_are_shown_apart_and_added_to_score_for_the_ranking(year, unit_a, unit_b):
    for unit in (unit_a, unit_b):
        set_targets(year, unit, signed=1, funds=100)
    give_funds(unit_a, 80)
    give_funds(unit_b, 60)
    adjust(year, unit_b, "15", "重大项目落地加分")
    adjust(year, unit_b, "-2.5", "报送迟缓扣分")
    result = compute(year, 1)
    a, b = row(result, unit_a), row(result, unit_b)
    assert (b.base_score, b.adjustment, b.score) == (D("30.00"), D("12.50"), D("42.50"))
    assert (b.rank, a.rank) == (1, 2)


def _units_with_funds(year, amounts):
    units = []
    for n, amount in enumerate(amounts):
        unit = UnitFactory(name=f"单位{n}", sort_order=n)
        set_targets(year, unit, funds=100)
        if amount:
            give_funds(unit, amount)
        units.append(unit)
    return units


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped(legacy_year):
    year = legacy_year
    units = _units_with_funds(year, [90, 50, 50, 10])
    result = compute(year, 1)
    assert [row(result, u).rank for u in units] == [1, 2, 2, 4]
    # N = 4: ⌈4/3⌉ = 2, ⌈8/3⌉ = 3 → ranks 1, 2, 2 are 第一方阵; rank 4 > 3 is 第三方阵.
    assert [row(result, u).echelon for u in units] == [1, 1, 1, 3]


def test_ties_after_rounding_share_a_rank(legacy_year):
    year = legacy_year
    units = _units_with_funds(year, ["33.334", "33.331", 10])
    result = compute(year, 1)
    # Only funds is assessed, so S = completion: 33.334 % and 33.331 % both round to 33.33.
    assert row(result, units[0]).score == row(result, units[1]).score == D("33.33")
    assert [row(result, u).rank for u in units] == [1, 1, 3]


def test_echelons_with_n_not_divisible_by_three(legacy_year):
    year = legacy_year
    # N = 7: ⌈7/3⌉ = 3, ⌈14/3⌉ = 5.
    units = _units_with_funds(year, [70, 60, 50, 40, 30, 20, 10])
    result = compute(year, 1)
    assert [row(result, u).echelon for u in units] == [1, 1, 1, 2, 2, 3, 3]
    assert [echelon_for(r, 5, year.echelon_fractions()) for r in range(1, 6)] == [1, 1, 2, 2, 3]


def test_units_sharing_a_rank_across_the_echelon_boundary_share_an_echelon(legacy_year):
    year = legacy_year
    # N = 5: ⌈5/3⌉ = 2; ranks 1, 2, 2, 4, 5 → the two units ranked 2 are both 第一方阵.
    units = _units_with_funds(year, [90, 80, 80, 20, 10])
    result = compute(year, 1)
    assert [row(result, u).echelon for u in units] == [1, 1, 1, 2, 3]


def test_echelon_fractions_are_configurable(legacy_year):
    year = legacy_year
    year.echelon_first, year.echelon_second = "1/2", "3/4"
    year.save()
    units = _units_with_funds(year, [40, 30, 20, 10])
    assert [row(compute(year, 1), u).echelon for u in units] == [1, 1, 2, 3]


@pytest.mark.parametrize(
    ("amount", "status"),
    [(100, "完成任务"), (150, "完成任务"), (50, "过半"), ("49.99", "不足50%"), (0, "零进度")],
)
def test_status_boundaries_compare_the_exact_overall_completion(year, unit_a, amount, status):
    set_targets(year, unit_a, funds=100)
    if amount:
        give_funds(unit_a, amount)
    assert row(compute(year, 4), unit_a).status == status


def test_r_rounding_up_to_50_is_still_below_half(year, unit_a):
    set_targets(year, unit_a, funds=10001)
    give_funds(unit_a, 5000)  # R = 49.995… → shown 50.00
    a = row(compute(year, 4), unit_a)
    assert a.overall == D("50.00")
    assert a.status == "不足50%"


def test_exact_r_just_below_100_is_not_completed(year, unit_a):
    set_targets(year, unit_a, signed=1, funds="100.01")
    give_funds(unit_a, 100)
    signed_project(unit_a)
    # R = (1 + 100/100.01) / 2 = 99.995… → shown 100.00, but not completed.
    a = row(compute(year, 4), unit_a)
    assert a.overall == D("100.00")
    assert a.overall_exact < 100
    assert a.status == "过半"


def test_zero_progress_needs_every_assessed_actual_zero(year, unit_a, unit_b):
    set_targets(year, unit_a, signed=2, funds=100)
    set_targets(year, unit_b, signed=2, funds=100)
    signed_project(unit_b)
    result = compute(year, 2)
    assert row(result, unit_a).status == "零进度"
    assert row(result, unit_b).status == "不足50%"


def test_on_schedule_against_the_quarter_time_progress(year, unit_a):
    set_targets(year, unit_a, signed=4, funds=100)
    signed_project(unit_a)  # 25 %
    give_funds(unit_a, "49.99")
    q1 = row(compute(year, 1), unit_a).indicators
    assert (q1["signed"].on_schedule, q1["funds"].on_schedule) == (True, True)
    q2 = row(compute(year, 2), unit_a).indicators
    assert (q2["signed"].on_schedule, q2["funds"].on_schedule) == (False, False)


def test_group_actual_is_the_sum_of_its_members_and_target_its_own(year, group, unit_a, lead_unit):
    set_targets(year, group, funds=1000, signed=4)
    give_funds(unit_a, 300)
    give_funds(lead_unit, 200)
    outsider = UnitFactory(name="组外单位")
    give_funds(outsider, 999)
    signed_project(unit_a)
    result = compute(year, 1)
    g = next(e for e in result.groups if e.id == group.pk)
    assert g.indicators["funds"].actual == D("500")
    assert g.indicators["funds"].completion_pct == D("50.00")
    assert g.score == D("37.50")  # (0.25 + 0.5) / 2
    assert (g.rank, g.echelon) == (1, 1)
    assert row(result, unit_a).group_name == group.name


def test_group_membership_is_per_year(year, group, unit_b):
    from tests.factories import GroupFactory

    other = GroupFactory(year=2025, name="第一招商协作组", lead_unit=unit_b)
    add_member(other, unit_b)
    set_targets(year, group, funds=100)
    give_funds(unit_b, 80)  # a member in 2025 only
    g = next(e for e in compute(year, 1).groups if e.id == group.pk)
    assert g.indicators["funds"].actual == 0
