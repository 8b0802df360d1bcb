"""Two reviewers at the assessment page: one recomputes a quarter while the other publishes it.

Publishing freezes the figures; a recompute that started before the publication must not write
its figures into the published version afterwards (a published snapshot shows the same figures
forever), and two recomputes after an unlock must not both try to create the same new version.
PostgreSQL only: the race needs two real connections.
"""

import datetime
import threading
import time

import pytest
from django.db import connection

from assessment import snapshots
from assessment.models import Snapshot, SnapshotStatus
from projects.models import ClaimStatus
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.concurrency.test_project_edit import lock_waiters, run_in_threads
from tests.factories import UnitFactory, UserFactory
from units.models import Role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and two connections"
    ),
]


@pytest.fixture
def year_with_draft():
    unit = UnitFactory(name="东湖区")
    ay = default_year(2026)
    set_targets(ay, unit, signed_100m=2)
    signed_project(unit, date=datetime.date(2026, 2, 1))
    office = [UserFactory(username=name, role=Role.REVIEWER, unit=None) for name in ("wu", "zheng")]
    draft = snapshots.compute_snapshot(ay, 1, office[0])
    # A second signing is approved after the draft was computed: a recompute now differs.
    signed_project(unit, date=datetime.date(2026, 3, 1), status=ClaimStatus.APPROVED)
    return ay, draft, office


def slow_compute(monkeypatch, started):
    """The engine takes its time (as on a big year); while it runs, wait for the other reviewer
    to be queued behind a lock — or give up after a few seconds when nothing makes them wait."""
    real = snapshots.compute

    def compute(*args, **kwargs):
        result = real(*args, **kwargs)
        started.set()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not lock_waiters():
            time.sleep(0.02)
        return result

    monkeypatch.setattr(snapshots, "compute", compute)


def test_a_recompute_running_while_the_quarter_is_published_does_not_change_it(
    year_with_draft, monkeypatch
):
    ay, draft, (wu, zheng) = year_with_draft
    started = threading.Event()
    slow_compute(monkeypatch, started)
    seen = {}

    def recompute():
        try:
            snapshots.compute_snapshot(ay, 1, wu)
            seen["compute"] = "ok"
        except snapshots.SnapshotError as exc:
            seen["compute"] = str(exc)

    def publish():
        assert started.wait(timeout=10)
        published = snapshots.publish(draft, zheng)
        # What the publication froze, read right after it committed.
        seen["published"] = Snapshot.objects.get(pk=published.pk).data

    run_in_threads(recompute, publish)

    draft.refresh_from_db()
    assert draft.status == SnapshotStatus.PUBLISHED
    assert draft.data == seen["published"], "the published figures changed after publication"
    assert Snapshot.objects.filter(year=ay, quarter=1).count() == 1


def test_two_recomputes_after_an_unlock_make_one_new_version(year_with_draft, monkeypatch):
    ay, draft, (wu, zheng) = year_with_draft
    # Publish refuses figures that changed since 测算 (the fixture approves a signing after the
    # draft), so the office recomputes first, publishes, then unlocks.
    current = snapshots.compute_snapshot(ay, 1, wu)
    snapshots.unlock(snapshots.publish(current, wu), wu, "补报签约")
    barrier = threading.Barrier(2)
    outcomes = []

    def recompute(user):
        def run():
            barrier.wait(timeout=10)
            outcomes.append(snapshots.compute_snapshot(ay, 1, user).version)

        return run

    run_in_threads(recompute(wu), recompute(zheng))

    # The second recompute refreshes the draft the first one made; nobody sees an error.
    assert sorted(outcomes) == [2, 2]
    versions = Snapshot.objects.filter(year=ay, quarter=1).order_by("version")
    assert [(s.version, s.status) for s in versions] == [
        (1, SnapshotStatus.UNLOCKED),
        (2, SnapshotStatus.DRAFT),
    ]
