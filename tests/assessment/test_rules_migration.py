"""Migration 0006 (issue 17): a year that had announced a quarter keeps the echelon rule it was
published under; a year with nothing announced takes the new defaults."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from assessment.echelons import LEGACY_RULES
from assessment.forms import YearForm
from assessment.models import AssessmentYear
from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import SnapshotFactory, default_year, set_targets
from tests.factories import AssessmentYearFactory
from tests.factories.base import unguarded
from zhaoshang.guarded import Frozen


def _run_data_migration():
    module = MigrationLoader(connection).get_migration("assessment", "0006_echelon_rules")
    state = MigrationLoader(connection).project_state(("assessment", "0006_echelon_rules"))
    run = next(op for op in module.operations if op.__class__.__name__ == "RunPython")
    run.code(state.apps, None)


def test_announced_years_keep_the_old_rules_and_others_take_the_new(db):
    published = AssessmentYearFactory(year=2025)
    open_year = AssessmentYearFactory(year=2026)
    with unguarded():
        SnapshotFactory(year=published, quarter=1, published_at=timezone.now())
        SnapshotFactory(year=open_year, quarter=1)  # a draft announces nothing
    _run_data_migration()
    published = AssessmentYear.objects.get(year=2025)
    assert {name: getattr(published, name) for name in LEGACY_RULES} == LEGACY_RULES
    fresh = AssessmentYear.objects.get(year=2026)
    assert (fresh.tie_break, fresh.zero_progress_third, fresh.min_indicators) == (True, True, 2)
    assert fresh.escalation_display == "projected"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("tie_break", False),
        ("tie_break_indicator", "funds"),
        ("zero_progress_third", False),
        ("first_echelon_floor", Decimal("0.3")),
        ("min_indicators", 3),
        ("rank_by_unit_type", True),
        ("escalation_display", "year_end"),
    ],
)
def test_a_published_year_keeps_its_echelon_rules(db, reviewer, unit_a, name, value):
    """Every new rule is a frozen rule of the year (zhaoshang.guard.YearRule), and the year form
    shows it disabled once a quarter is published."""
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=1, funds=100)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    ay.refresh_from_db()
    setattr(ay, name, value)
    with pytest.raises(Frozen):
        ay.save()
    assert YearForm(instance=ay, rules_locked=True).fields[name].disabled


def test_a_published_indicators_cap_is_frozen(db, reviewer, unit_a):
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=1, funds=100)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    indicator = ay.indicators.get(code="funds")
    indicator.score_cap = Decimal("1")
    with pytest.raises(Frozen):
        indicator.save()
