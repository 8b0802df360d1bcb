"""Why a unit has its score: the approved claims behind each actual, and what it would take to
reach the next echelon. One query per indicator (the same conditions as the engine's aggregates),
never one per claim."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q
from django.urls import reverse

from assessment.actuals import (
    APPROVED,
    PENDING_STATUSES,
    completed_fixed_asset_claims,
    fixed_asset_claims,
    funds_claims,
    funds_condition,
    milestone_claims,
    milestone_condition,
    project_conditions,
)
from assessment.dashboard.forecast import next_echelon_gap
from assessment.engine import HUNDRED, period_of
from assessment.models import IndicatorKind


@dataclass
class ClaimLine:
    project_id: int
    project_name: str
    label: str  # what the claim is: 签约 2026-03-15, 2026-05 月投资, 到位资金 …
    date: object
    contribution: Decimal  # the claim's own figure (1 project, or 万元)
    percent: Decimal  # the unit's credit share
    credited: Decimal  # percent × contribution
    approved: bool
    url: str


@dataclass
class IndicatorExplanation:
    code: str
    name: str
    lines: list[ClaimLine] = field(default_factory=list)
    unit_word: str = "万元"  # how one claim's figure reads: 个 for counts, else 万元

    @property
    def approved_total(self):
        return sum((line.credited for line in self.lines if line.approved), Decimal(0))


def claim_url(kind, claim_id):
    """The claim's page in the review room (its timeline, evidence and decisions)."""
    return reverse("review:claim_detail", args=[kind, claim_id])


def _rows(qs, unit_id, condition):
    return (
        qs.filter(condition, project__credit_shares__unit_id=unit_id)
        .annotate(share=F("project__credit_shares__percent"))
        .select_related("project")
        .order_by("project__name", "pk")
    )


def _line(claim, kind, label, date, contribution):
    return ClaimLine(
        project_id=claim.project_id,
        project_name=claim.project.name,
        label=label,
        date=date,
        contribution=contribution,
        percent=claim.share,
        credited=claim.share * contribution / HUNDRED,
        approved=claim.status == APPROVED,
        url=claim_url(kind, claim.pk),
    )


def explain_unit(year_obj, quarter, unit_id):
    """[IndicatorExplanation] for every indicator of the year: the unit's approved and pending
    claims in the period, with its credit share applied."""
    start, end = period_of(year_obj.year, quarter)
    excluded = year_obj.excluded_categories
    pending = Q(status=APPROVED) | Q(status__in=PENDING_STATUSES)
    out = []
    for ind in year_obj.indicators.all():
        exp = IndicatorExplanation(
            code=ind.code,
            name=ind.name,
            unit_word="个" if ind.kind == IndicatorKind.MILESTONE_COUNT else "万元",
        )
        if ind.kind in (IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT):
            qs = _rows(milestone_claims(start, end, excluded), unit_id, milestone_condition(ind))
            for m in qs:
                if ind.kind == IndicatorKind.MILESTONE_COUNT:
                    value = Decimal(1)
                else:
                    value = getattr(m.project, f"{ind.investment_basis}_investment")
                label = f"{m.get_kind_display()} {m.date:%Y-%m-%d}"
                exp.lines.append(_line(m, "milestone", label, m.date, value))
        elif ind.kind == IndicatorKind.FIXED_ASSET:
            if ind.completed_in_period:
                base = completed_fixed_asset_claims(start, end, excluded)
            else:
                base = fixed_asset_claims(start, end, excluded)
            for inv in _rows(base, unit_id, project_conditions(ind) & pending):
                line = _line(
                    inv, "investment", f"{inv.month:%Y年%m月}固定资产投资", inv.month, inv.amount
                )
                if ind.completed_in_period and getattr(inv, "done_status", APPROVED) != APPROVED:
                    line.approved = False  # the completion itself is not yet approved
                exp.lines.append(line)
        else:
            for entry in _rows(funds_claims(start, end, excluded), unit_id, funds_condition(ind)):
                label = f"{entry.get_source_display()} {entry.date:%Y-%m-%d}"
                exp.lines.append(_line(entry, "funds", label, entry.date, entry.amount))
        out.append(exp)
    return out


def next_echelon_steps(result, entity, cap, kind="unit"):
    """How to reach the next echelon, for the unit page: (echelon, the score to reach, [GapStep])
    with only the indicators that can close the gap alone; None for 第一方阵 / unranked entities.

    The rule is `assessment.dashboard.forecast.next_echelon_gap`, shared with the forecast page:
    reaching the lowest score of the better echelon (after rounding) is enough, as equal scores
    share a rank.
    """
    gap = next_echelon_gap(result, entity, cap, kind=kind)
    if gap is None:
        return None
    return gap.echelon, gap.needed_score, [s for s in gap.steps if s.additional is not None]
