"""What the review queue offers on each row of a page (issue 17: no step the user may not take).

The queue's rows are plain dicts (`filtersets.claim_rows`); for the page shown, each becomes an
unsaved claim carrying what the workflow's rules read (status, date, kind, unit), and the
workflow itself answers — `claims.allowed_actions`, with each claim's evidence kinds and step
actors read for the whole page at once (`verification.load_facts`, two queries per claim type)
and each year's settings once. A row the user can neither advance nor send back gets no check
box; a row lacking required evidence says “缺少佐证”. 我的申报 asks the same of its rows, so a
draft or a rejection offers 申报 / 重新申报 only where it can succeed (not in a locked quarter,
not without the evidence its type requires).
"""

from dataclasses import dataclass

from projects import claims, verification
from projects.locks import Periods
from projects.models import Project

BULK_ACTIONS = claims.FORWARD | {claims.Action.REJECT}


@dataclass(frozen=True)
class Offer:
    selectable: bool  # a bulk step of the review queue (advance or send back) may be taken
    missing: str | None
    submittable: bool = False  # 申报 / 重新申报 can succeed (我的申报, issue 18)
    locked: bool = False  # dated in a published quarter: nobody may act on it


def _stub(row):
    model = claims.CLAIM_MODELS[row["r_type"]]
    claim = model(pk=row["r_id"], status=row["r_status"], version=row["r_version"])
    setattr(claim, model.claim_date_field, row["r_date"])
    if row["r_type"] == "milestone":
        claim.kind = row["r_kind"]
    claim.project = Project(pk=row["r_project_id"], unit_id=row["r_unit_id"])
    return claim


def page_offers(user, rows):
    """{(type, id): Offer} for the rows of one page."""
    stubs = [_stub(row) for row in rows]
    if not stubs:
        return {}
    periods = Periods().read({claim.claim_date.year for claim in stubs})
    verification.load_facts(stubs)
    offers = {}
    for row, claim in zip(rows, stubs, strict=True):
        actions = set(claims.allowed_actions(user, claim, periods))
        missing = None
        if claim.status != "approved":
            missing = verification.evidence_missing(claim, periods)
        offers[(row["r_type"], row["r_id"])] = Offer(
            bool(actions & BULK_ACTIONS),
            missing,
            submittable=claims.Action.SUBMIT in actions,
            locked=periods.is_locked(claim.claim_date),
        )
    return offers
