"""The echelon rules of issue 17 (assessment.echelons), each with its default, on hand-computed
cities: tie-break, 零进度 → 第三方阵, the first-echelon floor, per-indicator caps, units listed
apart for too few indicators, rankings per unit type, and escalation labelled or held to Q4.

The year: two equally weighted indicators (signings 个, funds 万元); Q1 time progress 25 %, so the
default floor is 12.5 %.
"""

import datetime
from decimal import Decimal

import pytest

from assessment.engine import compute
from assessment.models import AssessmentYear, EscalationDisplay, Indicator
from tests.assessment.factories import IndicatorFactory, funds, set_targets, signed_project
from tests.factories import (
    AssessmentYearFactory,
    GroupFactory,
    ProjectFactory,
    UnitFactory,
    add_member,
)
from units.models import UnitType

D = Decimal


@pytest.fixture
def year(db):
    ay = AssessmentYearFactory(year=2026)
    IndicatorFactory(year=ay, code="signed", kind="milestone_count", milestone="signed", weight=50)
    IndicatorFactory(
        year=ay, code="funds", kind="funds", milestone="", display_unit="万元", weight=50
    )
    return ay


def make_unit(year, name, *, signed=0, funds_amount=0, signed_target=1, funds_target=100, **kw):
    """A unit with targets on both indicators, `signed` verified signings and `funds_amount`."""
    unit = UnitFactory(name=name, sort_order=UnitFactory._meta.model.objects.count(), **kw)
    set_targets(year, unit, signed=signed_target, funds=funds_target)
    for _ in range(signed):
        signed_project(unit, date=datetime.date(2026, 2, 1))
    if funds_amount:
        funds(ProjectFactory(unit=unit), datetime.date(2026, 2, 1), funds_amount)
    return unit


def rows(result, units):
    by_id = {e.id: e for e in result.units}
    return [by_id[u.pk] for u in units]


def ranks(result, units):
    return [e.rank for e in rows(result, units)]


def echelons(result, units):
    return [e.echelon for e in rows(result, units)]


def set_rules(year, **values):
    for name, value in values.items():
        setattr(year, name, value)
    year.save()


def test_defaults_of_a_new_year(db):
    ay = AssessmentYear.objects.create(year=2030)
    assert (ay.tie_break, ay.tie_break_indicator) == (True, "")
    assert ay.zero_progress_third is True
    assert ay.first_echelon_floor == D("0.50")
    assert ay.first_floor(1) == D("12.5") and ay.first_floor(4) == D("50")
    assert ay.min_indicators == 2
    assert ay.rank_by_unit_type is False
    assert ay.escalation_display == EscalationDisplay.PROJECTED
    assert Indicator().score_cap is None  # an indicator takes the year's cap


# --- ties --------------------------------------------------------------------------------------


def test_equal_rounded_scores_are_ordered_by_the_exact_score(year):
    # S = 50 × funds completion: 33.325 and 33.33 both show 33.33.
    a = make_unit(year, "甲", funds_amount="66.65")
    b = make_unit(year, "乙", funds_amount="66.66")
    result = compute(year, 1)
    assert [e.score for e in rows(result, [a, b])] == [D("33.33"), D("33.33")]
    assert ranks(result, [a, b]) == [2, 1]


def test_without_tie_break_equal_rounded_scores_share_a_rank(year):
    set_rules(year, tie_break=False)
    a = make_unit(year, "甲", funds_amount="66.65")
    b = make_unit(year, "乙", funds_amount="66.66")
    assert ranks(compute(year, 1), [a, b]) == [1, 1]


def test_equal_exact_scores_are_ordered_by_the_exact_overall_completion(year):
    # 甲: signings 200 % (capped 120 %), funds 0 → S = 60, R = 50.
    # 乙: signings 100 %, funds 20 % → S = 60, R = 60.
    a = make_unit(year, "甲", signed=2)
    b = make_unit(year, "乙", signed=1, funds_amount=20)
    result = compute(year, 1)
    assert [e.score for e in rows(result, [a, b])] == [D("60.00"), D("60.00")]
    assert ranks(result, [a, b]) == [2, 1]


def _equal_on_s_and_r(year):
    # 甲: signings 100 %, funds 50 %; 乙: signings 50 %, funds 100 %. S = R = 75 for both.
    a = make_unit(year, "甲", signed=1, funds_amount=50)
    b = make_unit(year, "乙", signed=1, signed_target=2, funds_amount=100)
    return a, b


def test_equal_on_s_and_r_share_a_rank_when_no_indicator_is_configured(year):
    a, b = _equal_on_s_and_r(year)
    c = make_unit(year, "丙", signed=1)
    assert ranks(compute(year, 1), [a, b, c]) == [1, 1, 3]


@pytest.mark.parametrize(("code", "expected"), [("funds", [2, 1]), ("signed", [1, 2])])
def test_then_by_the_configured_indicators_completion(year, code, expected):
    set_rules(year, tie_break_indicator=code)
    a, b = _equal_on_s_and_r(year)
    assert ranks(compute(year, 1), [a, b]) == expected


def test_tie_indicator_must_be_one_of_the_years(year):
    from django.core.exceptions import ValidationError

    year.tie_break_indicator = "nope"
    with pytest.raises(ValidationError) as exc:
        year.full_clean()
    assert "本年度没有该代码的考核指标" in str(exc.value)


# --- 零进度 and the floor ---------------------------------------------------------------------


def test_zero_progress_units_are_third_echelon(year):
    # N = 3: ⌈1⌉ = 1, ⌈2⌉ = 2. 乙 and 丙 (zero) share rank 2: by rank 第二方阵, by the rule 第三.
    a = make_unit(year, "甲", signed=1, funds_amount=50)
    b, c = make_unit(year, "乙"), make_unit(year, "丙")
    result = compute(year, 1)
    assert ranks(result, [a, b, c]) == [1, 2, 2]
    assert echelons(result, [a, b, c]) == [1, 3, 3]
    assert rows(result, [b])[0].echelon_note == "零进度，列第三方阵（按排名为第二方阵）"


def test_when_every_unit_is_zero_they_are_all_third(year):
    units = [make_unit(year, n) for n in "甲乙丙"]
    assert echelons(compute(year, 1), units) == [3, 3, 3]


def test_zero_progress_rule_can_be_switched_off(year):
    set_rules(year, zero_progress_third=False)
    a = make_unit(year, "甲", signed=1, funds_amount=50)
    b, c = make_unit(year, "乙"), make_unit(year, "丙")
    assert echelons(compute(year, 1), [a, b, c]) == [1, 2, 2]


def test_below_the_floor_a_unit_is_never_first(year):
    # Q1 floor = 50 % × 25 % = 12.5 %. 甲: funds 20 % → R = 10 %: rank 1 of 2, yet 第二方阵.
    a = make_unit(year, "甲", funds_amount=20)
    b = make_unit(year, "乙")
    result = compute(year, 1)
    assert ranks(result, [a, b]) == [1, 2]
    assert echelons(result, [a, b]) == [2, 3]
    assert rows(result, [a])[0].echelon_note == (
        "总体完成率 10.00% 低于第一方阵门槛 12.50%，列第二方阵"
    )


def test_exactly_at_the_floor_is_first(year):
    a = make_unit(year, "甲", funds_amount=25)  # R = 12.5 %
    b = make_unit(year, "乙")
    assert echelons(compute(year, 1), [a, b]) == [1, 3]


def test_the_floor_follows_the_quarters_time_progress_and_is_configurable(year):
    a = make_unit(year, "甲", funds_amount=40)  # R = 20 %
    b = make_unit(year, "乙")
    assert echelons(compute(year, 1), [a, b])[0] == 1  # floor 12.5 %
    assert echelons(compute(year, 2), [a, b])[0] == 2  # floor 25 %
    set_rules(year, first_echelon_floor=D("0.2"))  # floor 10 % at Q2
    assert echelons(compute(year, 2), [a, b])[0] == 1
    set_rules(year, first_echelon_floor=D("0"))  # no floor
    assert echelons(compute(year, 1), [a, b])[0] == 1


# --- caps and units listed apart -------------------------------------------------------------


def test_a_per_indicator_cap_stops_one_overachieved_target_topping_the_city(year):
    # Year cap 1.2: 甲 (signings 100 %, funds 300 %) S = 110; 乙 (signings 200 %, funds 100 %) 110;
    # 丙 (signings 100 %, funds 110 %) S = 105.
    a = make_unit(year, "甲", signed=1, funds_amount=300)
    b = make_unit(year, "乙", signed=2, funds_amount=100)
    c = make_unit(year, "丙", signed=1, funds_amount=110)
    result = compute(year, 1)
    assert [e.score for e in rows(result, [a, b, c])] == [D("110.00"), D("110.00"), D("105.00")]
    indicator = year.indicators.get(code="funds")
    indicator.score_cap = D("1.00")
    indicator.save()
    result = compute(year, 1)
    # Funds now counts at most 100 %: 甲 100, 乙 110, 丙 100 (甲 before 丙 on the equal R = 100).
    assert [e.score for e in rows(result, [a, b, c])] == [D("100.00"), D("110.00"), D("100.00")]
    assert ranks(result, [a, b, c]) == [2, 1, 2]


def test_units_with_too_few_assessed_indicators_are_listed_apart(year):
    lone = UnitFactory(name="单指标单位")
    set_targets(year, lone, funds=100)
    funds(ProjectFactory(unit=lone), datetime.date(2026, 2, 1), 300)
    a = make_unit(year, "甲", signed=1, funds_amount=100)
    b = make_unit(year, "乙", signed=1)
    result = compute(year, 1)
    row = rows(result, [lone])[0]
    assert (row.score, row.status, row.rank, row.echelon) == (D("120.00"), "完成任务", None, None)
    assert row.listed_apart
    assert row.echelon_note == "考核指标 1 项，少于 2 项，单列不排名"
    assert ranks(result, [a, b]) == [1, 2]  # N = 2 without it
    assert [e.id for e in result.units][:3] == [a.pk, b.pk, lone.pk]


def test_the_minimum_number_of_indicators_is_configurable(year):
    set_rules(year, min_indicators=1)
    lone = UnitFactory(name="单指标单位")
    set_targets(year, lone, funds=100)
    funds(ProjectFactory(unit=lone), datetime.date(2026, 2, 1), 300)
    a = make_unit(year, "甲", signed=1, funds_amount=100)
    result = compute(year, 1)
    assert ranks(result, [lone, a]) == [1, 2]
    assert not rows(result, [lone])[0].listed_apart


# --- unit types ------------------------------------------------------------------------------


def test_one_ranking_by_default_across_unit_types(year):
    c1 = make_unit(year, "甲县", signed=1, funds_amount=90)
    c2 = make_unit(year, "乙县", signed=1, funds_amount=30)
    p1 = make_unit(year, "丙园区", signed=1, funds_amount=60, unit_type=UnitType.PARK)
    p2 = make_unit(year, "丁园区", signed=1, funds_amount=10, unit_type=UnitType.PARK)
    result = compute(year, 1)
    assert ranks(result, [c1, p1, c2, p2]) == [1, 2, 3, 4]
    assert [label for label, _ in result.unit_sections()] == [""]


def test_ranking_per_unit_type(year):
    set_rules(year, rank_by_unit_type=True)
    c1 = make_unit(year, "甲县", signed=1, funds_amount=90)
    c2 = make_unit(year, "乙县", signed=1, funds_amount=30)
    c3 = make_unit(year, "戊县", signed=1, funds_amount=20)
    p1 = make_unit(year, "丙园区", signed=1, funds_amount=60, unit_type=UnitType.PARK)
    p2 = make_unit(year, "丁园区", signed=1, funds_amount=10, unit_type=UnitType.PARK)
    result = compute(year, 1)
    # 县区 N = 3 → ranks 1, 2, 3 → 第一/第二/第三; 园区 N = 2: ⌈2/3⌉ = 1, ⌈4/3⌉ = 2.
    assert ranks(result, [c1, c2, c3]) == [1, 2, 3]
    assert echelons(result, [c1, c2, c3]) == [1, 2, 3]
    assert ranks(result, [p1, p2]) == [1, 2]
    assert echelons(result, [p1, p2]) == [1, 2]
    sections = result.unit_sections()
    assert [(label, [u.name for u in members]) for label, members in sections] == [
        ("县区", ["甲县", "乙县", "戊县"]),
        ("园区", ["丙园区", "丁园区"]),
    ]
    assert result.by_unit_type


# --- groups ----------------------------------------------------------------------------------


def test_groups_follow_the_zero_progress_rule(year):
    a = make_unit(year, "甲", signed=1, funds_amount=50)
    busy, idle, idle2 = (GroupFactory(year=2026, name=n) for n in ("一组", "二组", "三组"))
    add_member(busy, a)
    for g in (busy, idle, idle2):
        set_targets(year, g, signed=1, funds=100)
    result = compute(year, 1)
    assert [g.echelon for g in result.groups] == [1, 3, 3]


# --- escalation during the year --------------------------------------------------------------


def _behind(year):
    return make_unit(year, "甲", signed=1, funds_amount=50)  # R = 75 %: not completed


def test_escalation_is_projected_and_labelled_by_default(year):
    a = _behind(year)
    result = compute(year, 3)
    assert rows(result, [a])[0].escalation == "批评诫勉"
    assert result.escalation_mode == "projected" and result.escalation_projected
    assert not compute(year, 4).escalation_projected


def test_escalation_shown_only_at_q4(year):
    set_rules(year, escalation_display=EscalationDisplay.YEAR_END)
    a = _behind(year)
    assert rows(compute(year, 3), [a])[0].escalation == ""
    assert rows(compute(year, 4), [a])[0].escalation == "批评诫勉"


def test_the_old_as_of_now_escalation_is_unlabelled(year):
    set_rules(year, escalation_display=EscalationDisplay.AS_OF_NOW)
    a = _behind(year)
    result = compute(year, 3)
    assert rows(result, [a])[0].escalation == "批评诫勉"
    assert result.escalation_mode == "" and not result.escalation_projected


def test_the_rules_in_force_are_described(year):
    set_rules(year, tie_break_indicator="funds", rank_by_unit_type=True)
    name = year.indicators.get(code="funds").name
    assert compute(year, 1).echelon_rules == [
        f"得分相同的依次按精确得分、精确总体完成率、{name}完成率排名，全部相同的并列",
        "零进度单位列第三方阵",
        "总体完成率低于 12.50%（序时进度的 50%）的不列第一方阵",
        "考核指标少于 2 项的单位单列，不参与排名",
        "按单位类型分别排名、分别划分方阵",
    ]
