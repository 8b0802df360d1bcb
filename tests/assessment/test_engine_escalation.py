"""Consecutive years not completed escalate; a completed year resets (SPEC §5)."""

import datetime
from decimal import Decimal

import pytest

from assessment.engine import compute
from assessment.models import AssessmentYear
from projects.models import FundsEntry
from tests.assessment.factories import IndicatorFactory, funds, set_targets
from tests.factories import AssessmentYearFactory, ProjectFactory, UnitFactory
from tests.integrity.tamper import tamper


def make_year(y):
    ay = AssessmentYearFactory(year=y)
    IndicatorFactory(year=ay, code="funds", kind="funds", milestone="", display_unit="万元")
    return ay


def result_for(unit, amount_by_year, target=100):
    """Give `unit` a target of 100 and `amount` in each year; return its final-year row."""
    project = ProjectFactory(unit=unit)
    last = max(amount_by_year)
    for y, amount in amount_by_year.items():
        ay = AssessmentYear.objects.filter(year=y).first() or make_year(y)
        set_targets(ay, unit, funds=target)
        if amount:
            funds(project, datetime.date(y, 6, 1), amount)
    return next(e for e in compute(last, 4).units if e.id == unit.pk)


@pytest.mark.parametrize(
    ("history", "count", "escalation"),
    [
        ({2026: 80}, 1, "批评诫勉"),
        ({2025: 80, 2026: 80}, 2, "黄牌警告"),
        ({2024: 10, 2025: 80, 2026: 0}, 3, "建议调整主要负责人"),
        ({2022: 1, 2023: 1, 2024: 10, 2025: 80, 2026: 0}, 5, "建议调整主要负责人"),
        ({2024: 10, 2025: 100, 2026: 80}, 1, "批评诫勉"),
        ({2025: 10, 2026: 100}, 0, ""),
    ],
)
def test_consecutive_years_not_completed(db, history, count, escalation):
    row = result_for(UnitFactory(), history)
    assert (row.years_not_completed, row.escalation) == (count, escalation)


def test_a_year_the_unit_was_not_assessed_ends_the_run(db):
    unit = UnitFactory()
    result_for(unit, {2024: 10})
    make_year(2025)  # no target for the unit in 2025
    row = result_for(unit, {2026: 10})
    assert (row.years_not_completed, row.escalation) == (1, "批评诫勉")


def test_previous_year_comes_from_its_published_q4_snapshot(db, reviewer):
    from assessment.snapshots import compute_snapshot, publish

    unit = UnitFactory()
    project = ProjectFactory(unit=unit)
    ay25 = make_year(2025)
    set_targets(ay25, unit, funds=100)
    entry = funds(project, datetime.date(2025, 6, 1), 50)
    publish(compute_snapshot(ay25, 4, reviewer), reviewer)
    # Later the 2025 figure is corrected upwards; the announced 2025 result stands.
    tamper(FundsEntry.objects.filter(pk=entry.pk), amount=Decimal(100))
    ay26 = make_year(2026)
    set_targets(ay26, unit, funds=100)
    row = next(e for e in compute(2026, 4).units if e.id == unit.pk)
    assert (row.years_not_completed, row.escalation) == (2, "黄牌警告")
