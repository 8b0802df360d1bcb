"""Publishing freezes a quarter; unlocking needs a reason; recomputing makes a new version."""

import datetime
from decimal import Decimal

import pytest

from assessment.diff import diff_results
from assessment.engine import compute
from assessment.locks import is_date_locked
from assessment.models import AssessmentLog, LogAction, SnapshotStatus
from assessment.snapshots import (
    SnapshotError,
    compute_snapshot,
    publish,
    result_of,
    unlock,
)
from projects.models import ClaimStatus
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.factories.base import unguarded
from tests.integrity.tamper import tamper


@pytest.fixture
def year(db, unit_a):
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=4)
    signed_project(unit_a, date=datetime.date(2026, 2, 1))
    return ay


def unit_row(result, unit):
    return next(e for e in result.units if e.id == unit.pk)


def test_published_snapshot_keeps_its_figures_after_claims_change(year, unit_a, reviewer):
    snapshot = publish(compute_snapshot(year, 1, reviewer), reviewer)
    with unguarded():  # written behind the application's back, as SQL could
        late = signed_project(unit_a, date=datetime.date(2026, 3, 1), status=ClaimStatus.CONFIRMED)
    tamper(late.milestones.all(), status=ClaimStatus.APPROVED)
    snapshot.refresh_from_db()
    frozen = unit_row(result_of(snapshot), unit_a)
    assert frozen.indicators["signed_100m"].actual == 1
    assert frozen.score == Decimal("25.00")  # one signing of a target of four
    # A fresh computation sees both signings.
    assert unit_row(compute(year, 1), unit_a).indicators["signed_100m"].actual == 2


def test_publish_locks_the_period_and_unlock_releases_it(year, reviewer):
    snapshot = publish(compute_snapshot(year, 1, reviewer), reviewer)
    assert is_date_locked(datetime.date(2026, 1, 1))
    assert is_date_locked(datetime.date(2026, 3, 31))
    assert not is_date_locked(datetime.date(2026, 4, 1))
    assert not is_date_locked(datetime.date(2025, 12, 31))
    unlock(snapshot, reviewer, "甲县补报签约材料，复核后重新发布")
    assert not is_date_locked(datetime.date(2026, 2, 1))


def test_unlock_requires_a_reason_and_records_it(year, reviewer):
    snapshot = publish(compute_snapshot(year, 1, reviewer), reviewer)
    with pytest.raises(SnapshotError, match="理由"):
        unlock(snapshot, reviewer, "   ")
    assert is_date_locked(datetime.date(2026, 2, 1))
    unlock(snapshot, reviewer, "数据更正")
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.unlock_reason, snapshot.unlocked_by) == (
        SnapshotStatus.UNLOCKED,
        "数据更正",
        reviewer,
    )
    log = AssessmentLog.objects.get(action=LogAction.UNLOCK_QUARTER)
    assert (log.actor, log.reason) == (reviewer, "数据更正")


def test_a_published_quarter_cannot_be_recomputed_until_unlocked(year, reviewer):
    first = publish(compute_snapshot(year, 1, reviewer), reviewer)
    with pytest.raises(SnapshotError, match="须先解锁"):
        compute_snapshot(year, 1, reviewer)
    unlock(first, reviewer, "更正")
    second = compute_snapshot(year, 1, reviewer)
    assert (first.version, second.version) == (1, 2)
    # Drafts are recomputed in place rather than piling up versions.
    assert compute_snapshot(year, 1, reviewer).pk == second.pk


def test_a_later_quarter_locks_everything_from_january(year, reviewer):
    publish(compute_snapshot(year, 3, reviewer), reviewer)
    assert is_date_locked(datetime.date(2026, 2, 1))
    assert is_date_locked(datetime.date(2026, 9, 30))
    assert not is_date_locked(datetime.date(2026, 10, 1))


def test_difference_between_versions_lists_the_changed_unit(year, unit_a, unit_b, reviewer):
    first = publish(compute_snapshot(year, 1, reviewer), reviewer)
    unlock(first, reviewer, "补录")
    signed_project(unit_a, date=datetime.date(2026, 3, 1))
    second = compute_snapshot(year, 1, reviewer)
    changes = diff_results(result_of(first), result_of(second))
    assert [d.name for d in changes] == ["甲县"]
    labels = {c.label: (c.old, c.new) for c in changes[0].changes}
    assert labels["新引进亿元合同项目·完成"] == (Decimal(1), Decimal(2))
    assert labels["得分"] == (Decimal("25.00"), Decimal("50.00"))
