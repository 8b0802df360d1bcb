"""The gap to the next echelon follows the year's echelon rules (issue 17 item 6): the rank the
echelon takes (within the unit type when ranked apart), the first-echelon floor, 零进度 → 第三方阵
and each indicator's own cap. Hand-computed cases, checked against the engine after the step.

First quarter 2026: 序时进度 25 %, floor 0.5 × 25 = 12.5 %. funds weight 15, signed_100m 25."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.engine import compute
from assessment.gap import GapRules, next_echelon_gap
from assessment.results import Echelon
from tests.assessment.factories import default_year, funds, set_targets, signed_project
from tests.factories import ProjectFactory, UnitFactory

D = datetime.date


def add_funds(unit, amount):
    funds(ProjectFactory(unit=unit), D(2026, 2, 1), Decimal(str(amount)))


def entity(unit, year=None):
    return next(e for e in compute(year or 2026, 1).units if e.id == unit.pk)


def gap_of(unit, year):
    result = compute(year, 1)
    return next_echelon_gap(result, entity(unit, year), GapRules.of_year(year, 1))


def steps(gap):
    return {s.code: s.additional for s in gap.steps}


@pytest.fixture
def funds_city(db):
    """X 100/1000 (S = R = 10), Y 50/1000 (5), Z1 and Z2 nothing (零进度); N = 4."""
    year = default_year(2026)
    units = {n: UnitFactory(name=n) for n in ("X", "Y", "Z1", "Z2")}
    for unit in units.values():
        set_targets(year, unit, funds=1000)
    add_funds(units["X"], 100)
    add_funds(units["Y"], 50)
    return year, units


def test_a_unit_kept_out_of_the_first_echelon_by_the_floor_is_told_the_floor(funds_city):
    year, units = funds_city
    x = entity(units["X"], year)
    # N = 4: rank 1 ≤ ⌈4/3⌉ = 2 is first by rank; R 10 % < 12.5 % keeps it second.
    assert (x.rank, x.echelon) == (1, Echelon.SECOND)
    gap = gap_of(units["X"], year)
    assert gap.echelon == Echelon.FIRST
    assert gap.needed_score is None  # its rank holds already
    assert gap.conditions == ["总体完成率须达到第一方阵门槛 12.50%"]
    # 12.5 % of 1000 = 125: 25 more. (The old rule measured against the first echelon's lowest
    # score and asked for nothing.)
    assert steps(gap) == {"funds": Decimal("25.00")}
    add_funds(units["X"], "24.99")
    assert entity(units["X"], year).echelon == Echelon.SECOND
    add_funds(units["X"], "0.01")
    assert entity(units["X"], year).echelon == Echelon.FIRST


def test_a_zero_progress_unit_needs_some_progress_even_when_its_rank_would_do(funds_city):
    year, units = funds_city
    z = entity(units["Z1"], year)
    # Z1 and Z2 share rank 3 ≤ ⌈8/3⌉ = 3 (second by rank), but 零进度 puts them third.
    assert (z.rank, z.echelon, z.status) == (3, Echelon.THIRD, "零进度")
    gap = gap_of(units["Z1"], year)
    assert gap.echelon == Echelon.SECOND and gap.needed_score is None
    assert gap.conditions == ["须有完成数（零进度单位列第三方阵）"]
    assert steps(gap) == {"funds": Decimal("0.01")}
    add_funds(units["Z1"], "0.01")
    assert entity(units["Z1"], year).echelon == Echelon.SECOND


def test_a_unit_below_its_echelons_ranks_must_reach_the_kth_other(db):
    """N = 3: A 50, B 20, C 10 → 第二方阵 is ranks ≤ 2; C must reach B's exact 20."""
    year = default_year(2026)
    units = [UnitFactory(name=n) for n in "ABC"]
    for unit, amount in zip(units, (500, 200, 100), strict=True):
        set_targets(year, unit, funds=1000)
        add_funds(unit, amount)
    gap = gap_of(units[2], year)
    assert (gap.echelon, gap.needed_score, gap.conditions) == (2, Decimal("20.00"), [])
    assert steps(gap) == {"funds": Decimal("100.00")}


def test_ranked_per_unit_type_the_gap_is_measured_within_the_type(db):
    """县区: A 50, B 10 (N = 2: first is rank ≤ 1); 园区 P 80, Q 60, R 40 do not count for B."""
    year = default_year(2026, rank_by_unit_type=True)
    made = {}
    for name, kind, amount in (
        ("A", "county", 500),
        ("B", "county", 100),
        ("P", "park", 800),
        ("Q", "park", 600),
        ("R", "park", 400),
    ):
        made[name] = UnitFactory(name=name, unit_type=kind)
        set_targets(year, made[name], funds=1000)
        add_funds(made[name], amount)
    b = entity(made["B"], year)
    assert (b.rank, b.echelon) == (2, Echelon.SECOND)
    gap = gap_of(made["B"], year)
    assert (gap.echelon, gap.needed_score) == (Echelon.FIRST, Decimal("50.00"))
    # The exact 50 (tie-break: equal on S and R share rank 1): 400 more, which also clears the
    # 12.5 % floor B is below.
    assert steps(gap) == {"funds": Decimal("400.00")}
    assert gap.conditions == ["总体完成率须达到第一方阵门槛 12.50%"]
    add_funds(made["B"], 400)
    assert entity(made["B"], year).echelon == Echelon.FIRST


def test_an_indicators_own_cap_limits_what_it_can_close(db):
    """V: signed 2/25 (25 × 0.08 = 2), funds 100/100 (15) → S 42.5; W: signed 0/1, funds
    100/100 → S 37.5. N = 2, first is rank 1. By funds alone W needs 15c = 17, c = 1.1333…:
    13.34 more under the year's cap 1.2, impossible when funds is capped at 1.0."""
    year = default_year(2026)
    v, w = UnitFactory(name="V"), UnitFactory(name="W")
    set_targets(year, v, signed_100m=25, funds=100)
    set_targets(year, w, signed_100m=1, funds=100)
    signed_project(v, D(2026, 2, 1))
    signed_project(v, D(2026, 2, 2))
    add_funds(v, 100)
    add_funds(w, 100)
    gap = gap_of(w, year)
    assert gap.needed_score == Decimal("42.50")
    assert steps(gap) == {"signed_100m": Decimal(1), "funds": Decimal("13.34")}
    capped = year.indicators.get(code="funds")
    capped.score_cap = Decimal(1)
    capped.save()
    assert steps(gap_of(w, year)) == {"signed_100m": Decimal(1), "funds": None}


def test_the_unit_page_says_what_the_floor_asks(funds_city, login, reviewer):
    _year, units = funds_city
    url = reverse("assessment:unit_assessment", args=[2026, 1, units["X"].pk])
    page = login(reviewer).get(url).content.decode()
    assert "进入第一方阵还需" in page
    assert "按排名已可进入；总体完成率须达到第一方阵门槛 12.50%" in page
    steps_html = page[page.index('data-testid="next-steps"') :]
    assert "再增加 25.00 万元" in steps_html[:300]
