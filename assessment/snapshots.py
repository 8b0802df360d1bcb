"""Snapshots (SPEC §5): compute a quarter, publish it (发布通报), unlock it with a reason, and
compare versions unit by unit. A published snapshot's figures are frozen in `Snapshot.data`."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessment.engine import compute, load_year
from assessment.models import AssessmentLog, AssessmentYear, LogAction, Snapshot, SnapshotStatus
from assessment.serialize import result_from_dict, result_to_dict


class SnapshotError(Exception):
    """A refused snapshot action; the message is shown to the user as is."""


def latest_snapshot(year, quarter):
    """The newest version of a quarter (any status), or None."""
    return (
        Snapshot.objects.filter(year__year=getattr(year, "year", year), quarter=quarter)
        .select_related("year")
        .order_by("-version")
        .first()
    )


def announced_snapshot(year, quarter):
    """The newest version that was ever published (published, or unlocked since), or None.

    This is what unit users see: the figures that were announced.
    """
    return (
        Snapshot.objects.announced()
        .filter(year__year=getattr(year, "year", year), quarter=quarter)
        .select_related("year")
        .order_by("-version")
        .first()
    )


def _serialise_year(year_id):
    """Take the year's row lock: computing, publishing and unlocking a year's quarters happen one
    at a time. Otherwise a recompute that began before a publication would write its figures into
    the just-published version, and two recomputes after an unlock would both create the same
    new version (a unique-constraint error). SQLite's IMMEDIATE transactions serialise anyway."""
    AssessmentYear.objects.select_for_update().filter(pk=year_id).values_list("pk").get()


def result_of(snapshot):
    """The frozen AssessmentResult of a snapshot."""
    return result_from_dict(snapshot.data)


@transaction.atomic
def compute_snapshot(year, quarter, user=None):
    """Compute a quarter and store it as a draft snapshot.

    A draft is recomputed in place; after an unlock a new version is made; a published, locked
    quarter is refused (unlock it first).
    """
    ay = load_year(year)
    _serialise_year(ay.pk)
    latest = latest_snapshot(ay, quarter)
    if latest is not None and latest.status == SnapshotStatus.PUBLISHED:
        raise SnapshotError(f"{ay.year}年第{quarter}季度已发布，须先解锁才能重新测算。")
    data = result_to_dict(compute(ay, quarter))
    now = timezone.now()
    if latest is not None and latest.status == SnapshotStatus.DRAFT:
        latest.data, latest.computed_at, latest.computed_by = data, now, user
        latest.save(update_fields=["data", "computed_at", "computed_by"])
        snapshot = latest
    else:
        version = (latest.version + 1) if latest else 1
        snapshot = Snapshot.objects.create(
            year=ay, quarter=quarter, version=version, data=data, computed_at=now, computed_by=user
        )
    AssessmentLog.objects.create(
        year=ay,
        quarter=quarter,
        action=LogAction.COMPUTE,
        actor=user,
        reason=f"第{snapshot.version}版",
    )
    return snapshot


def seen_token(snapshot):
    """What the publish button carries: the version and computation the reviewer was looking at."""
    return f"{snapshot.version}:{snapshot.computed_at.isoformat()}"


@transaction.atomic
def publish(snapshot, user=None):
    """发布通报: freeze the snapshot's figures and lock the period's claims.

    Publishing also locks the year's rules again if a reviewer had unlocked them.
    """
    _serialise_year(snapshot.year_id)
    snapshot = Snapshot.objects.select_for_update().select_related("year").get(pk=snapshot.pk)
    newest = Snapshot.objects.filter(year=snapshot.year, quarter=snapshot.quarter).aggregate(
        v=Max("version")
    )["v"]
    if snapshot.version != newest:
        raise SnapshotError("只能发布该季度的最新版本。")
    if snapshot.status != SnapshotStatus.DRAFT:
        raise SnapshotError("该版本已发布或已解锁，请重新测算后再发布。")
    snapshot.status = SnapshotStatus.PUBLISHED
    snapshot.published_at = timezone.now()
    snapshot.published_by = user
    snapshot.save(update_fields=["status", "published_at", "published_by"])
    year = snapshot.year
    if year.rules_unlocked:
        year.rules_unlocked = False
        year.save(update_fields=["rules_unlocked"])
    AssessmentLog.objects.create(
        year=year,
        quarter=snapshot.quarter,
        action=LogAction.PUBLISH,
        actor=user,
        reason=f"第{snapshot.version}版",
    )
    return snapshot


@transaction.atomic
def unlock(snapshot, user, reason):
    """Unlock a published quarter: its claims become editable again; the reason is recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise SnapshotError("解锁必须填写理由。")
    _serialise_year(snapshot.year_id)
    snapshot = Snapshot.objects.select_for_update().select_related("year").get(pk=snapshot.pk)
    if snapshot.status != SnapshotStatus.PUBLISHED:
        raise SnapshotError("只有已发布的季度可以解锁。")
    snapshot.status = SnapshotStatus.UNLOCKED
    snapshot.unlocked_at = timezone.now()
    snapshot.unlocked_by = user
    snapshot.unlock_reason = reason
    snapshot.save(update_fields=["status", "unlocked_at", "unlocked_by", "unlock_reason"])
    AssessmentLog.objects.create(
        year=snapshot.year,
        quarter=snapshot.quarter,
        action=LogAction.UNLOCK_QUARTER,
        actor=user,
        reason=reason,
    )
    return snapshot


@transaction.atomic
def unlock_rules(year, user, reason):
    """Allow a year's rules (indicators, weights, cap, fractions, targets) to change after a
    quarter was published; recorded with the reason. The next publication locks them again."""
    reason = (reason or "").strip()
    if not reason:
        raise SnapshotError("解锁考核规则必须填写理由。")
    ay = load_year(year)
    ay.rules_unlocked = True
    ay.save(update_fields=["rules_unlocked"])
    AssessmentLog.objects.create(year=ay, action=LogAction.UNLOCK_RULES, actor=user, reason=reason)
    return ay
