"""Which claims make an indicator's actual (SPEC §5 Indicators, Snapshots)."""

import datetime
from decimal import Decimal

import pytest

from assessment.engine import compute
from projects.models import ClaimStatus, MilestoneKind
from tests.assessment.factories import (
    IndicatorFactory,
    default_year,
    funds,
    investment,
    milestone,
    set_targets,
    signed_project,
    split_credit,
)
from tests.factories import NewnessOverrideFactory, ProjectFactory, UnitFactory

D = Decimal


def unit_row(result, unit):
    return next(e for e in result.units if e.id == unit.pk)


def actual(result, unit, code):
    return unit_row(result, unit).indicators[code].actual


@pytest.fixture
def year(db):
    return default_year(2026)


def test_contracted_investment_of_exactly_one_yi_counts(year, unit_a):
    signed_project(unit_a, contracted_investment=D("10000"), total_investment=D("10000"))
    signed_project(unit_a, contracted_investment=D("9999.99"), total_investment=D("20000"))
    assert actual(compute(year, 1), unit_a, "signed_100m") == 1


def test_new_only_indicator_skips_carried_over_projects(year, unit_a):
    carried = signed_project(unit_a, total_investment=D("30000"))
    NewnessOverrideFactory(project=carried, year=2026, is_new=False)  # the office's 结转
    milestone(carried, MilestoneKind.STARTED, datetime.date(2026, 2, 1))
    result = compute(year, 1)
    # Signed counts new projects only; started counts carried-over ones too.
    assert actual(result, unit_a, "signed_100m") == 0
    assert actual(result, unit_a, "started_100m") == 1


def test_credit_share_of_half_counts_half_a_project_and_half_the_money(year, unit_a, unit_b):
    project = signed_project(unit_a)
    split_credit(project, {unit_a: 50, unit_b: 50})
    funds(project, datetime.date(2026, 2, 10), "301")
    result = compute(year, 1)
    assert actual(result, unit_a, "signed_100m") == D("0.5")
    assert actual(result, unit_b, "signed_100m") == D("0.5")
    assert actual(result, unit_b, "funds") == D("150.5")


def test_milestone_outside_the_period_does_not_count(year, unit_a):
    signed_project(unit_a, date=datetime.date(2026, 4, 1))  # Q2
    signed_project(unit_a, date=datetime.date(2025, 12, 31))  # last year
    assert actual(compute(year, 1), unit_a, "signed_100m") == 0
    # Year to date: the April signing counts from Q2 on, last year's never.
    assert actual(compute(year, 2), unit_a, "signed_100m") == 1
    assert actual(compute(year, 4), unit_a, "signed_100m") == 1


def test_unapproved_claims_are_ignored_and_pending_ones_shown_apart(year, unit_a):
    signed_project(unit_a, status=ClaimStatus.SUBMITTED)
    signed_project(unit_a, status=ClaimStatus.CONFIRMED)
    signed_project(unit_a, status=ClaimStatus.DRAFT)
    signed_project(unit_a, status=ClaimStatus.REJECTED)
    row = unit_row(compute(year, 1), unit_a).indicators["signed_100m"]
    assert row.actual == 0
    assert row.pending == 2


def test_completed_fixed_asset_counts_cumulative_investment_of_projects_completed_in_period(
    year, unit_a
):
    done = ProjectFactory(unit=unit_a)
    milestone(done, MilestoneKind.COMPLETED, datetime.date(2026, 5, 20))
    investment(done, datetime.date(2025, 11, 1), "700")  # last year counts: cumulative
    investment(done, datetime.date(2026, 4, 1), "300")
    investment(done, datetime.date(2026, 7, 1), "5000")  # after the Q2 period end
    investment(done, datetime.date(2026, 5, 1), "40", status=ClaimStatus.SUBMITTED)
    still_building = ProjectFactory(unit=unit_a)
    investment(still_building, datetime.date(2026, 3, 1), "9000")
    late = ProjectFactory(unit=unit_a)
    milestone(late, MilestoneKind.COMPLETED, datetime.date(2026, 8, 1))
    investment(late, datetime.date(2026, 3, 1), "800")

    q1 = unit_row(compute(year, 1), unit_a).indicators["completed_fai"]
    q2 = unit_row(compute(year, 2), unit_a).indicators["completed_fai"]
    assert q1.actual == 0  # completion falls in Q2
    assert q2.actual == D("1000")
    assert q2.pending == D("40")


def test_completed_fixed_asset_waits_for_the_completion_to_be_approved(year, unit_a):
    done = ProjectFactory(unit=unit_a)
    milestone(done, MilestoneKind.COMPLETED, datetime.date(2026, 2, 1), ClaimStatus.REVIEWED)
    investment(done, datetime.date(2026, 1, 1), "500")
    row = unit_row(compute(year, 1), unit_a).indicators["completed_fai"]
    assert (row.actual, row.pending) == (0, D("500"))


def test_plain_fixed_asset_indicator_sums_the_period_months(year, unit_a):
    IndicatorFactory(year=year, code="fai", kind="fixed_asset", milestone="", display_unit="万元")
    project = ProjectFactory(unit=unit_a)
    investment(project, datetime.date(2025, 12, 1), "100")
    investment(project, datetime.date(2026, 1, 1), "200")
    investment(project, datetime.date(2026, 3, 1), "300.25")
    investment(project, datetime.date(2026, 4, 1), "400")
    assert actual(compute(year, 1), unit_a, "fai") == D("500.25")


def test_funds_indicator_limited_to_one_source(year, unit_a):
    IndicatorFactory(
        year=year,
        code="upper_funds",
        kind="funds",
        milestone="",
        funds_source="upper",
        display_unit="万元",
    )
    project = ProjectFactory(unit=unit_a)
    funds(project, datetime.date(2026, 1, 5), "100", source="enterprise")
    funds(project, datetime.date(2026, 2, 5), "250", source="upper")
    funds(project, datetime.date(2026, 3, 5), "50", source="loan")
    funds(project, datetime.date(2026, 4, 5), "999", source="upper")
    result = compute(year, 1)
    assert actual(result, unit_a, "upper_funds") == D("250")
    assert actual(result, unit_a, "funds") == D("400")


def test_excluded_category_does_not_count(year, unit_a):
    signed_project(unit_a, category="real_estate")
    assert actual(compute(year, 1), unit_a, "signed_100m") == 0


def test_renamed_unit_keeps_its_figures(year, unit_a):
    signed_project(unit_a)
    set_targets(year, unit_a, signed_100m=1)
    unit_a.name = "甲县（更名）"
    unit_a.save()
    row = unit_row(compute(year, 1), unit_a)
    assert row.name == "甲县（更名）"
    assert row.indicators["signed_100m"].completion_pct == D("100.00")


def test_inactive_unit_without_data_is_left_out(year, unit_a):
    idle = UnitFactory(name="撤并单位", is_active=False)
    ids = {e.id for e in compute(year, 1).units}
    assert unit_a.pk in ids and idle.pk not in ids


def test_sums_of_amounts_are_whole_fen_even_when_the_database_adds_in_floats():
    """SQLite sums decimals as floats; Django hands back 15 significant digits of the float sum
    (what `make bench` found at L). The engine rounds each sum to whole 分 before the share."""
    from decimal import Decimal

    from assessment.actuals import Figures

    figures = Figures()
    figures.add(7, 60, "funds", Decimal("1882110.93000001"), Decimal("10.0099999999999"))
    figures.add(7, 100, "signed", 3, 0)
    assert figures.actual[7]["funds"] == Decimal("1129266.558")  # 60 % of 1,882,110.93
    assert figures.pending[7]["funds"] == Decimal("6.006")
    assert figures.actual[7]["signed"] == 3
