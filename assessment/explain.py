"""Why a unit has its score: the approved claims behind each actual, and what it would take to
reach the next echelon.

The claims are the evidence lines of `assessment.evidence`: a computed quarter (draft or
published) reads the lines stored with its snapshot, names as they were then, so a published
quarter's explanation never moves (SPEC §5 Snapshots); only a live computation (and a snapshot
from before lines were stored) reads them live, one query per indicator, never one per claim."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from assessment.engine import period_of
from assessment.evidence import (
    collect_lines,
    explanation_label,
    meeting_text,
    recognition_text,
    site_text,
    stored_lines,
)
from assessment.gap import next_echelon_gap
from assessment.models import RecognitionExclusion
from projects.models import PENDING_STATUSES, ClaimStatus, Project


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
    claim_id: int = 0
    # How the office verified it (issue 17): 认定 against the claim, 现场评估, 会办确认.
    recognition: str = ""
    site: str = ""
    meeting: str = ""


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


def _claim_line(line):
    return ClaimLine(
        project_id=line.project_id,
        project_name=line.project_name,
        label=explanation_label(line),
        date=line.date,
        contribution=line.amount,
        percent=line.share,
        credited=line.counted,
        approved=line.verified,
        url=claim_url(line.claim_kind, line.claim_id),
        claim_id=line.claim_id,
        recognition=recognition_text(line),
        site=site_text(line),
        meeting=meeting_text(line),
    )


def unit_lines(year_obj, quarter, unit_id, snapshot=None):
    """The unit's evidence lines of a quarter: stored with `snapshot` when it has them, else
    read live."""
    if snapshot is not None and snapshot.lines_stored:
        return stored_lines(snapshot, unit_id)
    start, end = period_of(year_obj.year, quarter)
    return collect_lines(year_obj, start, end, unit_id=unit_id)


def explain_unit(year_obj, quarter, unit_id, specs, snapshot=None):
    """[IndicatorExplanation] for every indicator of `specs` (the shown result's
    IndicatorSpecs, so names are the computed ones): the unit's approved and pending claims in
    the period, with its credit share applied, from `snapshot` when given (see `unit_lines`)."""
    by_code = {}
    for line in unit_lines(year_obj, quarter, unit_id, snapshot):
        by_code.setdefault(line.indicator_code, []).append(line)
    out = []
    for spec in specs:
        lines = sorted(by_code.get(spec.code, []), key=lambda x: (x.project_name, x.claim_id))
        out.append(
            IndicatorExplanation(
                code=spec.code,
                name=spec.name,
                lines=[_claim_line(line) for line in lines],
                unit_word="个" if spec.display_unit == "个" else "万元",
            )
        )
    return out


def next_echelon_steps(result, entity, rules, kind="unit"):
    """How to reach the next echelon, for the unit page: (echelon, the score to reach or None,
    [GapStep] with only the indicators that can close the gap alone, [condition]) — None for
    第一方阵 / unranked entities. `rules`: `assessment.gap.GapRules` of the year and quarter.

    The rule is `assessment.gap.next_echelon_gap`, shared with the forecast page: the rank the
    echelon takes, its floor and the 零进度 rule, under each indicator's cap.
    """
    gap = next_echelon_gap(result, entity, rules, kind=kind)
    if gap is None:
        return None
    steps = [s for s in gap.steps if s.additional is not None]
    return gap.echelon, gap.needed_score, steps, gap.conditions


def recognition_notes(year_obj, quarter, unit_id):
    """["不予认定：<project> — <reason>", "未备案，不计入：<project> …"]: why some of the unit's
    claims are left out by the year's recognition rules (`assessment.actuals`), in two queries.

    Read live: the 不予认定清单 is frozen with the year's rules once a quarter is published, so a
    published quarter shows the list it was computed under; a 备案日期 entered later does not
    move a past quarter either (the rule compares it with the period end)."""
    notes = []
    entries = (
        RecognitionExclusion.objects.filter(year=year_obj)
        .filter(
            Q(project__credit_shares__unit_id=unit_id)
            | Q(industry__projects__credit_shares__unit_id=unit_id)
        )
        .select_related("project", "industry")
        .distinct()
        .order_by("pk")
    )
    notes += [f"不予认定：{entry.subject} — {entry.reason}" for entry in entries]
    if year_obj.filing_required:
        start, end = period_of(year_obj.year, quarter)
        statuses = [ClaimStatus.APPROVED, *PENDING_STATUSES]
        claimed = Q()
        for related, day in (("milestones", "date"), ("investments", "month"), ("funds", "date")):
            model = Project._meta.get_field(related).related_model
            claimed |= Exists(
                model.objects.filter(
                    project=OuterRef("pk"), status__in=statuses, **{f"{day}__range": (start, end)}
                )
            )
        unfiled = (
            Project.objects.filter(credit_shares__unit_id=unit_id)
            .filter(Q(filing_date__isnull=True) | Q(filing_date__gt=end))
            .filter(claimed)
            .order_by("name")
            .values_list("name", flat=True)
        )
        rule = "本年度项目须于期末前备案方计入考核"
        notes += [f"未备案，不计入：{name}（{rule}）" for name in unfiled]
    return notes
