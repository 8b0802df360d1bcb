"""What the assessment pages show to whom (SPEC §1): everyone logged in reads the published
(announced) rankings; reviewers and leaders also see drafts and live computations."""

from dataclasses import dataclass

from assessment.engine import compute
from assessment.snapshots import announced_snapshot, latest_snapshot, result_of
from units import access


def sees_drafts(user):
    return access.sees_everything(user)


def can_run(user):
    """Compute, publish, unlock, edit rules, targets and adjustments."""
    return access.is_reviewer(user)


@dataclass
class Shown:
    result: object  # AssessmentResult or None
    snapshot: object  # Snapshot or None
    live: bool  # computed now, not stored


def shown_result(user, year_obj, quarter, live_fallback=True):
    """The result a user sees for a quarter: the latest snapshot for reviewers and leaders (a
    live computation when none exists), the latest announced snapshot for everyone else."""
    if sees_drafts(user):
        snapshot = latest_snapshot(year_obj, quarter)
        if snapshot is None:
            if not live_fallback:
                return Shown(None, None, False)
            return Shown(compute(year_obj, quarter), None, True)
    else:
        snapshot = announced_snapshot(year_obj, quarter)
        if snapshot is None:
            return Shown(None, None, False)
    return Shown(result_of(snapshot), snapshot, False)


def previous_ranks(user, year_obj, quarter):
    """{(kind, id): rank} of the previous quarter as this user would see it (empty for Q1)."""
    if quarter == 1:
        return {}
    shown = shown_result(user, year_obj, quarter - 1, live_fallback=False)
    if shown.result is None:
        return {}
    ranks = {("unit", e.id): e.rank for e in shown.result.units if e.ranked}
    ranks.update({("group", e.id): e.rank for e in shown.result.groups if e.ranked})
    return ranks


def rank_changes(entities, previous):
    """{id: places gained (positive) or lost} for entities ranked in both quarters."""
    out = {}
    for e in entities:
        before = previous.get((e.kind, e.id))
        if e.ranked and before is not None:
            out[e.id] = before - e.rank
    return out
