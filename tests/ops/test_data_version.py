"""The data-version cache (issue 21): a page computed live is cached, and any write of the data
its figures rest on makes the next view compute afresh."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from assessment import engine
from assessment.models import Snapshot
from assessment.snapshots import compute_snapshot
from projects.models import FundsEntry
from tests.assessment.factories import default_year, funds, set_targets
from tests.factories import ProjectFactory
from zhaoshang.ops import dataversion

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def computations(monkeypatch):
    """Count the engine's runs while leaving them real."""
    calls = []
    real = engine.compute

    def counting(*args, **kwargs):
        if args[0] != 2025:  # not the previous year's Q4 that escalation reads
            calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "compute", counting)
    return calls


@pytest.fixture
def year(unit_a):
    year = default_year(2026)
    set_targets(year, unit_a, funds=1000)
    return year


def _projected(client):
    response = client.get(reverse("dashboard:forecast"), {"year": 2026, "quarter": 2})
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(r'data-testid="projected-overall">([^<]*)<', html).group(1)


def test_a_write_makes_the_next_view_fresh(login, leader, unit_a, year, computations):
    project = ProjectFactory(unit=unit_a)
    funds(project, D(2026, 4, 20), 250)
    client = login(leader)
    first = _projected(client)
    runs = len(computations)
    assert runs >= 1
    assert _projected(client) == first  # the same data: read from the cache
    assert len(computations) == runs
    funds(project, D(2026, 5, 20), 500)  # an approved figure more
    fresh = _projected(client)
    assert len(computations) > runs
    assert fresh != first
    cache.clear()
    assert _projected(client) == fresh  # what a computation from scratch shows


def test_every_write_path_changes_the_version(unit_a, year, reviewer):
    seen = [dataversion.version()]

    def changed():
        now = dataversion.version()
        assert now not in seen
        seen.append(now)

    project = ProjectFactory(unit=unit_a)  # save()
    changed()
    entry = funds(project, D(2026, 4, 20), 100)
    changed()
    FundsEntry.objects.bulk_create([FundsEntry(project=project, date=D(2026, 5, 1), amount=5)])
    changed()
    FundsEntry.objects.filter(pk=entry.pk).update(version=entry.version + 1)  # a free field
    changed()
    FundsEntry.objects.filter(amount=5).delete()
    changed()
    unit_a.name = "甲县（更名）"
    unit_a.save()  # units are not guarded, still an input of the engine
    changed()
    compute_snapshot(2026, 2, reviewer)  # snapshots feed later years' escalation
    changed()
    assert Snapshot.objects.count() == 1


def test_a_rolled_back_write_leaves_the_version(unit_a, year):
    before = dataversion.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        ProjectFactory(unit=unit_a)
        raise RuntimeError
    assert dataversion.version() == before


def test_pruning_keeps_versions_new(unit_a, year):
    for _ in range(3):
        ProjectFactory(unit=unit_a)
    before = dataversion.version()
    assert dataversion.prune() >= 2
    after = dataversion.version()
    assert after != before
    ProjectFactory(unit=unit_a)
    assert dataversion.version() not in (before, after)


def test_cached_result_is_keyed_by_year_quarter_and_escalation(unit_a, year, computations):
    engine.compute_cached(2026, 2)
    engine.compute_cached(2026, 2)
    engine.compute_cached(2026, 2, with_escalation=False)
    engine.compute_cached(2026, 1)
    assert len(computations) == 3
