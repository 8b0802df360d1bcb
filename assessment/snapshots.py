"""Snapshots (SPEC §5): compute a quarter, publish it (发布通报), unlock it with a reason, and
compare versions unit by unit. A published snapshot's figures are frozen in `Snapshot.data` and
the evidence lines it counted in `Snapshot.lines` (`assessment.evidence`), stored together when
it is computed; publishing refuses when the figures computed now differ from the stored ones."""

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from assessment.diff import diff_results
from assessment.engine import compute, load_year
from assessment.evidence import adjustment_records, collect_lines, mismatches
from assessment.formatting import quarter_name
from assessment.models import (
    AssessmentLog,
    AssessmentYear,
    LogAction,
    Snapshot,
    SnapshotLine,
    SnapshotStatus,
)
from assessment.serialize import result_from_dict, result_to_dict
from units.models import Role, Unit, User
from zhaoshang import guard
from zhaoshang.notify import notify

STALE = "自测算以来数据已有变化"
RECOMPUTE = "请重新测算并核对差异后再发布。"
ATTEMPTS = 3


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
    new version (a unique-constraint error). SQLite's IMMEDIATE transactions serialise anyway.

    Refused while a workbook import is writing the year (`zhaoshang.guard.import_refusal`): a
    publication between two of its chunks would stop it halfway."""
    rows = AssessmentYear.objects.select_for_update().filter(pk=year_id)
    if reason := guard.import_refusal({rows.values_list("year", flat=True).get()}):
        raise SnapshotError(reason)


def result_of(snapshot):
    """The frozen AssessmentResult of a snapshot."""
    return result_from_dict(snapshot.data)


def _computed(ay, quarter):
    """(AssessmentResult, [SnapshotLine]) of a quarter as the data stands, the lines adding up
    to the figures. Under READ COMMITTED a write may land between the engine's queries and the
    lines' query; then both are read again (the check costs no query)."""
    for _ in range(ATTEMPTS):
        result = compute(ay, quarter)
        lines = collect_lines(ay, result.period_start, result.period_end)
        if not mismatches(result, lines):
            return result, lines
    raise SnapshotError("测算期间数据仍在变化，请稍后重新测算。")


def _store_lines(snapshot, lines):
    """Store the evidence behind `snapshot`'s figures: its lines, and the year's adjustments."""
    snapshot.adjustments = adjustment_records(snapshot.year)
    snapshot.lines_stored = True
    snapshot.save(update_fields=["adjustments", "lines_stored"])
    snapshot.lines.all().delete()
    for line in lines:
        line.snapshot = snapshot
    SnapshotLine.objects.bulk_create(lines, batch_size=500)


def staleness(snapshot, fresh):
    """Why `snapshot` no longer shows what the engine computes now (`fresh`), or None.

    Compares the whole serialised results (names and escalations too); the message counts the
    units and groups whose figures moved and the figures themselves (`assessment.diff`)."""
    stored = result_of(snapshot)
    # Compared as rebuilt results, so Decimals compare by value ("25" equals "25.00").
    fresh = result_from_dict(result_to_dict(fresh))
    if stored == fresh:
        return None
    changes = diff_results(stored, fresh)
    if not changes:
        return f"{STALE}（单位名称、协作组、考核规则或问责情况），{RECOMPUTE}"
    figures = sum(len(c.changes) for c in changes)
    names = "、".join(c.name for c in changes[:3]) + ("等" if len(changes) > 3 else "")
    return f"{STALE}：{len(changes)} 个单位或协作组（{names}）共 {figures} 项数据不同，{RECOMPUTE}"


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
        raise SnapshotError(f"{ay.year}年{quarter_name(quarter)}已发布，须先解锁才能重新测算。")
    result, lines = _computed(ay, quarter)
    data = result_to_dict(result)
    now = timezone.now()
    if latest is not None and latest.status == SnapshotStatus.DRAFT:
        latest.data, latest.computed_at, latest.computed_by = data, now, user
        latest.save(update_fields=["data", "computed_at", "computed_by"])
        snapshot = latest
    else:
        version = (latest.version + 1) if latest else 1
        snapshot = Snapshot.objects.create(
            year=ay,
            quarter=quarter,
            version=version,
            data=data,
            computed_at=now,
            computed_by=user,
        )
    _store_lines(snapshot, lines)
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

    Refused, with nothing published, when the figures the engine computes now differ from the
    stored computation (a claim approved, an amount or a name changed since 测算): the office
    recomputes, checks the difference and publishes that. The check runs inside the publish's
    transaction, under the year's lock, so nothing computed can slip in between. The evidence
    lines are stored again as they are at publication (same figures; names as published).
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
    fresh, lines = _computed(snapshot.year, snapshot.quarter)
    reason = staleness(snapshot, fresh)
    if reason:
        raise SnapshotError(reason)
    _store_lines(snapshot, lines)
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
    _announce(snapshot, user)
    return snapshot


def _announce(snapshot, user):
    """通报已发布: every active unit's staff and the city leaders, linked to the 通报."""
    year, quarter = snapshot.year.year, snapshot.quarter
    notify(
        "bulletin_published",
        units=Unit.objects.filter(is_active=True).values_list("pk", flat=True),
        users=User.objects.filter(role=Role.LEADER, is_active=True).values_list("pk", flat=True),
        title=f"{year}年{quarter_name(quarter)}招商引资考核通报已发布",
        body="请查看本单位的得分、排名和各项指标完成情况。",
        url=reverse("assessment:report", args=[year, quarter]),
        key=f"{year}-q{quarter}-v{snapshot.version}",
        actor=user,
    )


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
