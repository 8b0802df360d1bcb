"""Storing a snapshot's evidence lines costs one query per indicator, never one per claim or unit
(the engine's query budget, assessment/engine.py): the lines are inserted in batches."""

import math

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Snapshot
from assessment.snapshots import compute_snapshot
from tests.assessment.test_engine_queries import build_city, wipe_city
from tests.factories.assessment import default_year

BATCH = 500


def costs(n_units):
    year = default_year(2026)
    build_city(year, n_units)
    with CaptureQueriesContext(connection) as ctx:
        snapshot = compute_snapshot(2026, 2)
    inserts = [
        q
        for q in ctx.captured_queries
        if q["sql"].startswith('INSERT INTO "assessment_snapshotline"')
    ]
    others = len(ctx.captured_queries) - len(inserts)
    lines = snapshot.lines.count()
    assert lines >= 4 * n_units  # every unit's claims are on record: the count is not vacuous
    return others, len(inserts), lines


def test_ten_and_a_hundred_units_cost_the_same_queries_but_batched_inserts(db):
    small, small_inserts, _ = costs(10)
    Snapshot.objects.all().delete()
    wipe_city()
    large, large_inserts, lines = costs(100)
    assert small == large
    assert small_inserts == 1
    assert large_inserts <= math.ceil(lines / BATCH)
