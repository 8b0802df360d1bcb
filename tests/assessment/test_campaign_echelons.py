"""Campaigns rank under their year's echelon rules (issue 17 item 6), the same implementation as
the quarters (`assessment.echelons`): hand-computed cases.

The campaign runs 1 April → 9 July 2026 (100 days); on 20 May half of it is gone, so the time
progress is 50 %. Weights: signed_100m 25, funds 15 (Σ 40); S = 100 × Σ wᵢ·min(cᵢ, cap) / 40,
R the same with min(cᵢ, 1)."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.campaigns.engine import compute_campaign
from assessment.campaigns.services import standing, write_campaign_workbook
from assessment.results import Echelon
from tests.assessment.factories import default_year, funds, milestone, signed_project
from tests.factories import CampaignFactory, ProjectFactory, UnitFactory, set_campaign_targets

D = datetime.date
START, END, AS_OF = D(2026, 4, 1), D(2026, 7, 9), D(2026, 5, 20)
SIGNED = "signed_100m"


def signings(unit, n):
    for k in range(n):
        signed_project(unit, D(2026, 4, 10 + k))


def funds_of(unit, amount):
    funds(ProjectFactory(unit=unit), D(2026, 4, 20), amount)


@pytest.fixture
def city(db):
    """Six units; their figures (hand-computed):
    B  signed 1/2, funds 400/400 → S 68.75, R 68.75
    K  signed 3/5, funds 100/500 → S 45.00 (15 + 3), R 45.00
    J  signed 0/1, funds 120/100 → S 45.00 (0 + 18, capped at 1.2), R 37.50 (0 + 15)
    E  signed 1/4, funds 0/400   → S 15.63 (6.25), R 15.625
    C  signed 0/1, funds 0/100   → 零进度
    L  signed 1/1 only           → one assessed indicator: listed apart (minimum 2)
    """
    units = {name: UnitFactory(name=name) for name in "BKJECL"}
    signings(units["B"], 1)
    funds_of(units["B"], 400)
    signings(units["K"], 3)
    funds_of(units["K"], 100)
    funds_of(units["J"], 120)
    signings(units["E"], 1)
    signings(units["L"], 1)
    targets = {
        "B": {SIGNED: 2, "funds": 400},
        "K": {SIGNED: 5, "funds": 500},
        "J": {SIGNED: 1, "funds": 100},
        "E": {SIGNED: 4, "funds": 400},
        "C": {SIGNED: 1, "funds": 100},
        "L": {SIGNED: 1},
    }
    targets = {units[n].pk: {code: Decimal(v) for code, v in t.items()} for n, t in targets.items()}
    return units, targets


def ranked(year, targets, **indicator_caps):
    indicators = list(year.indicators.filter(code__in=[SIGNED, "funds"]))
    for ind in indicators:
        if ind.code in indicator_caps:
            ind.score_cap = indicator_caps[ind.code]
    result = compute_campaign(START, END, indicators, targets, year=year, as_of=AS_OF)
    return result, {u.name: u for u in result.units}


def test_the_years_default_rules_rank_the_campaign(city):
    _units, targets = city
    year = default_year(2026, min_indicators=2, first_echelon_floor=Decimal(1))
    result, by = ranked(year, targets)
    assert result.expected_progress == Decimal("50.00")
    assert [(u.name, u.score, u.rank) for u in result.units if u.rank] == [
        ("B", Decimal("68.75"), 1),
        ("K", Decimal("45.00"), 2),  # equal S with J: the exact R decides (45 > 37.5)
        ("J", Decimal("45.00"), 3),
        ("E", Decimal("15.63"), 4),
        ("C", Decimal("0.00"), 5),
    ]
    # N = 5: ranks ≤ ⌈5/3⌉ = 2 first, ≤ ⌈10/3⌉ = 4 second, the rest third.
    assert by["B"].echelon == Echelon.FIRST
    # The floor is 100 % of the 50 % time progress: K (R 45 %) is never 第一方阵.
    assert by["K"].echelon == Echelon.SECOND
    assert "低于第一方阵门槛 50.00%" in by["K"].echelon_note
    assert by["J"].echelon == Echelon.SECOND and by["E"].echelon == Echelon.SECOND
    assert by["C"].status == "零进度" and by["C"].echelon == Echelon.THIRD
    assert by["L"].listed_apart and by["L"].rank is None and by["L"].echelon is None
    assert "考核指标少于 2 项的单位单列，不参与排名" in result.echelon_rules
    assert any("时间进度的 100%" in line for line in result.echelon_rules)


def test_the_rule_before_issue_17_shares_the_rank_and_ranks_everyone(city):
    """Without a year (a bare computation) nothing of the new rules applies: the contrast that
    shows the year's rules are the ones in force above."""
    _units, targets = city
    year = default_year(2026)
    indicators = list(year.indicators.filter(code__in=[SIGNED, "funds"]))
    result = compute_campaign(START, END, indicators, targets, as_of=AS_OF)
    by = {u.name: u for u in result.units}
    # L's single target met scores 100 and tops the campaign; K and J share rank 3.
    assert by["L"].rank == 1 and by["L"].score == Decimal("100.00")
    assert by["K"].rank == by["J"].rank == 3


def test_a_per_indicator_cap_applies_to_the_campaign(city):
    """funds capped at 1.0: J's over-achieved funds count 15, not 18 → S 37.50."""
    _units, targets = city
    year = default_year(2026, min_indicators=2)
    _result, by = ranked(year, targets, funds=Decimal(1))
    assert by["J"].score == Decimal("37.50")
    assert by["J"].rank == 3 and by["K"].rank == 2


def test_exact_score_breaks_a_rounded_tie(db):
    """H: signed 1/2, funds 5000.01/10000 → S 50.0000375; I: signed 1/2, funds 5000/10000 →
    S 50 exactly. Both show 50.00; H ranks first, I second."""
    year = default_year(2026, min_indicators=2)
    h, i = UnitFactory(name="H"), UnitFactory(name="I")
    for unit, amount in ((h, "5000.01"), (i, "5000")):
        signings(unit, 1)
        funds_of(unit, Decimal(amount))
    targets = {u.pk: {SIGNED: Decimal(2), "funds": Decimal(10000)} for u in (h, i)}
    result, by = ranked(year, targets)
    assert by["H"].score == by["I"].score == Decimal("50.00")
    assert (by["H"].rank, by["I"].rank) == (1, 2)


def test_units_are_ranked_per_unit_type_when_the_year_says_so(db):
    year = default_year(2026, rank_by_unit_type=True)
    county = UnitFactory(name="东县", unit_type="county")
    park = UnitFactory(name="高新园", unit_type="park")
    weak_park = UnitFactory(name="低园", unit_type="park")
    signings(county, 1)
    signings(park, 2)
    milestone(ProjectFactory(unit=weak_park), "signed", D(2026, 4, 2))
    targets = {u.pk: {SIGNED: Decimal(2)} for u in (county, park, weak_park)}
    result, by = ranked(year, targets)
    assert by["东县"].rank == 1  # alone among 县区, though below 高新园
    assert (by["高新园"].rank, by["低园"].rank) == (1, 2)
    assert [label for label, _ in result.unit_sections()] == ["县区", "园区"]


def test_the_campaign_page_and_workbook_rank_under_the_years_rules(city, monkeypatch):
    units, targets = city
    year = default_year(2026, min_indicators=2, first_echelon_floor=Decimal(1))
    campaign = CampaignFactory(year=year, start=START, end=END, published=True)
    for unit in units.values():
        set_campaign_targets(campaign, unit, **targets[unit.pk])
    shown = standing(campaign, today=AS_OF)
    by = {u.name: u for u in shown.result.units}
    assert by["K"].echelon == Echelon.SECOND and by["L"].listed_apart
    buf = io.BytesIO()
    write_campaign_workbook(campaign, shown.result, buf, claim_rows=[])
    buf.seek(0)
    sheet = load_workbook(buf)["单位排名"]
    assert "方阵规则" in sheet["A2"].value and "单列" in sheet["A2"].value
