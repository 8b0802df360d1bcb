"""Migration 0006 (issue 17): a year that had announced a quarter keeps the echelon rule it was
published under; a year with nothing announced takes the new defaults."""

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from assessment.echelons import LEGACY_RULES
from assessment.models import AssessmentYear
from tests.assessment.factories import SnapshotFactory
from tests.factories import AssessmentYearFactory
from tests.factories.base import unguarded


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
