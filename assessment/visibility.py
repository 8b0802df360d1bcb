"""Which assessment result a user sees for a year and quarter (SPEC §1) — the one place that
decides it. The ranking, unit explanation, 通报, dashboard, forecast, ranking download and the
unit page's 考核情况 all ask here.

The rule: reviewers, leaders and admins (`sees_drafts`) see the newest version of a quarter
whatever its status, and a live computation when the quarter has no snapshot yet; everyone else
sees only the newest *announced* version (published, or unlocked since: the figures that were
announced) and nothing before the first publication. Whatever a snapshot exists for, its frozen
figures are shown, never a recomputation: a published quarter shows the same figures forever
(SPEC §5 Snapshots).
"""

from dataclasses import dataclass
from functools import partial

from django.utils import timezone

from assessment.engine import compute
from assessment.models import Snapshot, quarter_of
from assessment.snapshots import announced_snapshot, latest_snapshot, result_of
from units import access


def sees_drafts(user):
    """Reviewers, leaders and admins see computations before they are published."""
    return access.sees_everything(user)


def can_run(user):
    """Compute, publish, unlock, edit rules, targets and adjustments."""
    return access.is_reviewer(user)


def visible_snapshots_qs(user):
    """Every snapshot version the user may read (all of them, or the announced ones)."""
    return Snapshot.objects.all() if sees_drafts(user) else Snapshot.objects.announced()


def visible_snapshot(user, year, quarter):
    """The newest version of a quarter the user may read, or None (`year`: number or year)."""
    if sees_drafts(user):
        return latest_snapshot(year, quarter)
    return announced_snapshot(year, quarter)


def visible_snapshots(user, years, with_data=True):
    """{(year, quarter): Snapshot} — per quarter of `years` the newest version the user may read
    (the same choice as `visible_snapshot`), in two queries. `with_data=False` leaves the frozen
    result (`Snapshot.data`, about a megabyte of JSON at 500 units) to be read when first used,
    for pages that usually find what they show of it in a cache."""
    newest = {}
    rows = visible_snapshots_qs(user).filter(year__year__in=years).order_by("-version")
    for pk, year, quarter in rows.values_list("pk", "year__year", "quarter"):
        newest.setdefault((year, quarter), pk)
    if not newest:
        return {}
    rows = Snapshot.objects.filter(pk__in=newest.values()).select_related("year")
    if not with_data:
        rows = rows.defer("data")
    return {(s.year.year, s.quarter): s for s in rows}


@dataclass
class Shown:
    result: object  # AssessmentResult or None
    snapshot: object  # Snapshot or None
    live: bool  # computed now, not stored


NOTHING = Shown(None, None, False)


def shown_for(user, snapshot, live=None, read=result_of):
    """What the user sees of a quarter whose visible snapshot (`visible_snapshot(s)`) is
    `snapshot`: its frozen result; without one, `live()` (a live computation) for users who see
    drafts, and nothing for everyone else or when `live` is None.

    `read(snapshot)` reads the frozen result (`result_of`); a page that needs only part of a
    result may pass a `read` and a `live` giving that part (the dashboard's cached figures of a
    quarter), and gets it as `Shown.result` by the same rule."""
    if snapshot is not None:
        return Shown(read(snapshot), snapshot, False)
    if live is not None and sees_drafts(user):
        return Shown(live(), None, True)
    return NOTHING


def shown_result(user, year_obj, quarter, live_fallback=True):
    """The result a user sees for a quarter: the latest snapshot for reviewers and leaders (a
    live computation when none exists, unless `live_fallback` is False), the latest announced
    snapshot for everyone else."""
    live = partial(compute, year_obj, quarter) if live_fallback else None
    return shown_for(user, visible_snapshot(user, year_obj, quarter), live)


def default_period(user, today=None):
    """(year, quarter) of the newest quarter with a snapshot the user may read, else today's."""
    newest = (
        visible_snapshots_qs(user)
        .order_by("-year__year", "-quarter")
        .values_list("year__year", "quarter")
        .first()
    )
    if newest:
        return newest
    today = today or timezone.localdate()
    return today.year, quarter_of(today)


def latest_announced_entity(unit_id):
    """{year, quarter, entity} of a unit in the newest announced quarter of any year, or None.

    The unit page's 考核情况 says "已发布" and shows these to every reader, reviewers included.
    """
    snapshot = (
        Snapshot.objects.announced()
        .select_related("year")
        .order_by("-year__year", "-quarter", "-version")
        .first()
    )
    if snapshot is None:
        return None
    result = result_of(snapshot)
    entity = next((e for e in result.units if e.id == unit_id), None)
    if entity is None:
        return None
    return {"year": result.year, "quarter": result.quarter, "entity": entity}


# --- rank changes between quarters ----------------------------------------------------------


def ranks_of(result):
    """{(kind, id): rank} of the ranked units and groups of `result` ({} for None)."""
    if result is None:
        return {}
    return {(e.kind, e.id): e.rank for e in [*result.units, *result.groups] if e.ranked}


def previous_ranks(user, year_obj, quarter):
    """{(kind, id): rank} of the previous quarter as this user would see it (empty for Q1); a
    previous quarter without a snapshot gives no ranks (no live computation for a comparison)."""
    if quarter == 1:
        return {}
    return ranks_of(shown_result(user, year_obj, quarter - 1, live_fallback=False).result)


def rank_changes(entities, previous):
    """{id: places gained (positive) or lost} for entities ranked in both quarters; `previous`
    is `ranks_of` the earlier result."""
    out = {}
    for e in entities:
        before = previous.get((e.kind, e.id))
        if e.ranked and before is not None:
            out[e.id] = before - e.rank
    return out
