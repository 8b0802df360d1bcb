"""The rounds of the publish/write race tests (issue 15, path 5), for PostgreSQL and SQLite.

Each round runs two threads with their own connections. Free rounds only start them together
(a barrier and some jitter); ordered rounds hold one thread at the point where the race used to
slip through — a writer that has checked the period locks but not yet opened its transaction, a
publisher queued behind a writer's uncommitted transaction — so every run covers the known
interleavings as well as whatever the scheduler makes of the free ones.

What must hold after every round (`assert_nothing_moved_after_publication`): recomputed from live
data, the quarter's figures equal the published snapshot's; no claim dated in the quarter moved
after `published_at`; a claim that did not move was refused with the locked-period message.
"""

import datetime
import random
import threading
import time

from django.db import connection

from assessment import snapshots
from assessment.engine import compute
from assessment.models import SnapshotStatus
from projects import claims
from projects.models import ClaimEvent, ClaimStatus, MilestoneKind
from tests.concurrency.test_project_edit import lock_waiters, run_in_threads
from tests.factories import (
    EvidenceFactory,
    FundsEntryFactory,
    MilestoneFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
    default_year,
    set_targets,
)
from units.models import Role

WAIT = 20  # seconds any thread waits for the other before the round fails
# Each mode three times: the writer held after its check until the publication committed (the
# old hole), the publisher queued behind the writer's uncommitted moves, and free rounds.
MODES = ["publish_first", "write_first", "free"] * 3
Q1_DAYS = (datetime.date(2026, 2, 3), datetime.date(2026, 3, 2), datetime.date(2026, 3, 20))
# What each bulk action is raced with: the claims' status before, and after a move.
ACTIONS = {
    "approve": (ClaimStatus.CONFIRMED, ClaimStatus.APPROVED),
    "submit": (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED),
}


def wait_for_lock_waiter(seconds=5):
    """Keep the current transaction open until another backend is queued behind a lock (the
    other thread really ran into this one), or give up after `seconds`. SQLite shows no waiters
    (a writer waits in its busy timeout): there the transaction is held for a moment; None."""
    if connection.vendor != "postgresql":
        time.sleep(0.3)
        return None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if lock_waiters():
            return True
        time.sleep(0.02)
    return False


class Round:
    """The events one round's threads order themselves by."""

    def __init__(self, mode, seed):
        self.mode = mode
        self.barrier = threading.Barrier(2)
        self.jitter = random.Random(seed)
        self.events = {}
        self.seen_waiting = []

    def event(self, name):
        return self.events.setdefault(name, threading.Event())

    def set(self, name):
        self.event(name).set()

    def wait(self, name):
        assert self.event(name).wait(WAIT), f"round {self.mode}: {name} never happened"

    def start(self):
        """Both threads start together; in a free round each after up to 80 ms of its own, so
        either may be first (publishing takes a few tens of milliseconds)."""
        self.barrier.wait(timeout=WAIT)
        if self.mode == "free":
            time.sleep(self.jitter.uniform(0, 0.08))

    def hold_until_queued(self):
        self.seen_waiting.append(wait_for_lock_waiter())


def hook(monkeypatch, owner, name, before=None, after=None):
    """Wrap `owner.name`: call `before()` first and `after()` once it returned."""
    real = getattr(owner, name)

    def wrapped(*args, **kwargs):
        if before:
            before()
        result = real(*args, **kwargs)
        if after:
            after()
        return result

    monkeypatch.setattr(owner, name, wrapped)


def make_city():
    """A unit with 2026's default rules and targets, its staff, a reviewer and a leader."""
    unit = UnitFactory(name="东湖区")
    year = default_year(2026)
    set_targets(year, unit, signed_100m=2, started_100m=2, funds=1000)
    people = {
        "reviewer": UserFactory(username="wu", role=Role.REVIEWER, unit=None),
        "leader": UserFactory(username="li", role=Role.LEADER, unit=None),
        "staff": UserFactory(username="zhao", role=Role.UNIT_STAFF, unit=unit),
    }
    return unit, year, people


def publish_quarter(year, quarter, user, attempts=5):
    """What the office does: publish the latest computation; when publish refuses it as stale
    (figures moved since 测算), compute again and publish that. Returns (snapshot, attempts)."""
    for attempt in range(1, attempts + 1):
        draft = snapshots.latest_snapshot(year, quarter)
        try:
            return snapshots.publish(draft, user), attempt
        except snapshots.SnapshotError:
            snapshots.compute_snapshot(year, quarter, user)
    raise AssertionError(f"publishing {year} Q{quarter} failed {attempts} times")


def new_round_claims(unit, year, reviewer, status, projects=3):
    """Reopen the quarter (unlock what the last round published), then give `projects` new
    projects a signing, a start and funds dated in Q1, all in `status`, and compute a draft."""
    latest = snapshots.latest_snapshot(year, 1)
    if latest is not None and latest.status == SnapshotStatus.PUBLISHED:
        snapshots.unlock(latest, reviewer, "下一轮测试")
    signed, started, paid = Q1_DAYS
    made = []
    for _ in range(projects):
        project = ProjectFactory(unit=unit, stage="negotiating")
        made += [
            MilestoneFactory(
                project=project, kind=MilestoneKind.SIGNED, date=signed, status=status
            ),
            MilestoneFactory(
                project=project, kind=MilestoneKind.STARTED, date=started, status=status
            ),
            FundsEntryFactory(project=project, date=paid, status=status),
        ]
    # Each with the evidence its type needs, or submitting and 审定 refuse it (SPEC §4).
    for claim in made:
        EvidenceFactory(**{claims.claim_type(claim): claim})
    snapshots.compute_snapshot(year, 1, reviewer)
    return made


def events_of(claim):
    return ClaimEvent.objects.filter(**{claims.claim_type(claim): claim})


def race_publish(monkeypatch, mode, seed, year, reviewer, write):
    """Run `write()` (a bulk workflow action) against publishing Q1 in one round of `mode`;
    returns (bulk result, published snapshot, publish attempts, whether a thread was queued)."""
    race = Round(mode, seed)
    if mode == "publish_first":
        # The writer has checked the period locks (open) and waits, before its transaction, for
        # the publication to commit: where the old code wrote without checking again.
        hook(monkeypatch, claims, "_bulk_step", after=lambda: (race.set("read"), race.wait("done")))
    elif mode == "write_first":
        # The writer holds its moves, uncommitted, until the publisher is queued behind them.
        hook(
            monkeypatch,
            claims,
            "_record",
            after=lambda: (race.set("read"), race.hold_until_queued()),
        )
    seen = {}

    def writer():
        race.start()
        seen["result"] = write()

    def publisher():
        race.start()
        if mode != "free":
            race.wait("read")
        seen["snapshot"], seen["attempts"] = publish_quarter(year, 1, reviewer)
        race.set("done")

    try:
        run_in_threads(writer, publisher)
    finally:
        monkeypatch.undo()
    return seen["result"], seen["snapshot"], seen["attempts"], race.seen_waiting


def assert_nothing_moved_after_publication(year, round_claims, result, snapshot, moved_to):
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.PUBLISHED
    assert snapshots.latest_snapshot(year, 1).pk == snapshot.pk
    # The published figures are what the data gives: nothing counted changed after publication.
    assert snapshots.staleness(snapshot, compute(year, 1)) is None
    refused = {(type(c), c.pk): message for c, message in result.failed}
    done = {(type(c), c.pk) for c in result.done}
    for claim in round_claims:
        before = claim.status
        claim.refresh_from_db()
        late = events_of(claim).filter(created__gte=snapshot.published_at)
        assert not late.exists(), f"{claim} moved after the publication"
        key = (type(claim), claim.pk)
        if key in done:
            assert claim.status == moved_to
        else:
            assert refused[key] == claims.LOCKED_PERIOD_MESSAGE
            assert claim.status == before and not events_of(claim).exists()


def publish_rounds(monkeypatch, city, action, modes=MODES):
    """Race `action` ('approve': a leader's bulk approval; 'submit': a unit's bulk submission)
    of Q1 claims with publishing Q1, one round per mode; assert every round. Returns what each
    round did: (mode, moved, refused, publish attempts)."""
    unit, year, people = city
    status, moved_to = ACTIONS[action]
    outcomes = []
    for index, mode in enumerate(modes):
        round_claims = new_round_claims(unit, year, people["reviewer"], status)

        def write(round_claims=round_claims):
            if action == "approve":
                return claims.act_many(people["leader"], round_claims, claims.Action.APPROVE)
            return claims.submit_many(people["staff"], round_claims)

        result, snapshot, attempts, waited = race_publish(
            monkeypatch, mode, index, year, people["reviewer"], write
        )
        assert_nothing_moved_after_publication(year, round_claims, result, snapshot, moved_to)
        outcomes.append((mode, len(result.done), len(result.failed), attempts))
        if mode == "publish_first":  # the old hole: every move committed after publishing
            assert len(result.failed) == len(round_claims), outcomes
        if mode == "write_first":
            # Publish saw the moves (approved, or 待核实 once submitted), refused its stale draft
            # and published a fresh computation.
            assert len(result.done) == len(round_claims) and attempts == 2, outcomes
            assert waited in ([True], [None]), "the publisher never queued behind the writer"
    return outcomes
