"""The evidence lines behind a period's figures (SPEC §5 Snapshots): every approved or pending
claim an indicator counts, once per credited unit, with the unit's share applied.

One query per indicator (and one for the unit tree: a sub-unit's lines count for its top-level
unit, issue 20 item 3), with the engine's own claim selections and conditions
(`assessment.actuals`), never one per claim. Computing a quarter stores its lines in the snapshot
(`SnapshotLine`, names as they are then), so the explanation page, the 佐证明细 sheet and every
other reader of a computed quarter read what was counted, not today's data; only a live
computation (and a snapshot computed before lines were stored) reads them live.

The lines are `SnapshotLine` instances, unsaved when read live, so readers take one shape.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, JSONField, OuterRef, Subquery, Value

from assessment.actuals import (
    APPROVED,
    completed_fixed_asset_claims,
    fixed_asset_claims,
    funds_claims,
    funds_condition,
    milestone_claims,
    milestone_condition,
    project_conditions,
)
from assessment.formatting import figure as amount_figure
from assessment.models import IndicatorKind, SnapshotLine
from projects.models import ClaimEvent, ClaimStatus, FundsSource, MilestoneKind
from projects.steps import CONFIRM_FIELDS, DETAIL_LABELS, SITE_FIELDS
from units.models import Unit
from units.tree import Tree

HUNDRED = Decimal(100)
ZERO = Decimal(0)
INVESTMENT_LABEL = "固定资产投资"
MILESTONE_LABELS = dict(MilestoneKind.choices)
SOURCE_LABELS = dict(FundsSource.choices)
COMMON = (
    "pk",
    "status",
    "project_id",
    "project__name",
    "project__credit_shares__unit_id",
    "project__credit_shares__unit__name",
    "project__credit_shares__percent",
)


# What every row ends with (`_rows`): how the office verified the claim (issue 17).
VERIFICATION = ("v_claimed", "recognition_reason", "v_site", "v_meeting")


def _verification(qs, kind):
    """`qs` annotated with the VERIFICATION columns: the claimed amount (none for milestones)
    and the details of the claim's latest 现场评估 and 会办确认 — subqueries in the same query,
    so the lines still cost one query per indicator."""

    def latest(status):
        events = ClaimEvent.objects.filter(**{kind: OuterRef("pk")}, to_status=status)
        return Subquery(
            events.order_by("-created", "-pk").values("details")[:1], output_field=JSONField()
        )

    claimed = F("amount") if kind != "milestone" else Value(None, output_field=DecimalField())
    return qs.annotate(
        v_claimed=claimed,
        v_site=latest(ClaimStatus.SITE_ASSESSED),
        v_meeting=latest(ClaimStatus.CONFIRMED),
    )


def _extras(row):
    """The columns a branch asked for, between COMMON and VERIFICATION."""
    return row[len(COMMON) : -len(VERIFICATION)]


def _line(code, kind, label, row, day, amount, verified):
    pk, _status, project_id, project_name, unit_id, unit_name, share = row[: len(COMMON)]
    claimed, reason, site, meeting = row[-len(VERIFICATION) :]
    amount = ZERO if amount is None else Decimal(amount)
    share = Decimal(share)
    return SnapshotLine(
        claimed=None if claimed is None else Decimal(claimed),
        recognition_reason=reason or "",
        site_record=site or {},
        meeting_record=meeting or {},
        indicator_code=code,
        claim_kind=kind,
        claim_id=pk,
        claim_label=label,
        project_id=project_id,
        project_name=project_name,
        unit_id=unit_id,
        unit_name=unit_name,
        date=day,
        amount=amount,
        share=share,
        counted=share * amount / HUNDRED,
        verified=verified,
    )


def _rows(qs, kind, condition, unit_ids, *extra):
    # The unit filter sits in the same filter() as the condition so the credit-share join is
    # the one values_list reads (a second filter() on a multi-valued relation adds a join).
    if unit_ids is not None:
        qs = qs.filter(condition, project__credit_shares__unit_id__in=unit_ids)
    else:
        qs = qs.filter(condition)
    qs = _verification(qs, kind)
    columns = (*COMMON, *extra, *VERIFICATION)
    return qs.values_list(*columns).order_by("pk", "project__credit_shares__unit_id")


def collect_lines(year_obj, start, end, unit_id=None, indicators=None):
    """[SnapshotLine] (unsaved) of every approved or pending claim counted for the year's
    indicators in [start, end], one per credited unit (only `unit_id`'s when given), in
    indicator order, then by date and claim. `verified` says whether it makes the actual (the
    rest is the "reported, not yet verified" figure)."""
    excluded = year_obj.excluded_categories
    filing = year_obj.filing_required
    year = year_obj.year
    if indicators is None:
        indicators = list(year_obj.indicators.all())
    # Issue 20 item 3: a sub-unit's claims count for its top-level ancestor, as in the engine —
    # the unit's lines include its sub-units', each credited to the unit (one query for the tree).
    units = list(Unit.objects.order_by().values_list("pk", "parent_id", "name"))
    tree = Tree((pk, parent) for pk, parent, _ in units)
    names = {pk: name for pk, _, name in units}
    unit_id = [unit_id, *tree.descendants(unit_id)] if unit_id is not None else None
    lines = []
    for ind in indicators:
        code = ind.code
        found = []
        if ind.kind in (IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT):
            count = ind.kind == IndicatorKind.MILESTONE_COUNT
            basis = "kind" if count else f"project__{ind.investment_basis}_investment"
            qs = milestone_claims(start, end, excluded, filing)
            condition = milestone_condition(ind, year)
            for row in _rows(qs, "milestone", condition, unit_id, "date", "kind", basis):
                day, kind, value = _extras(row)
                label = str(MILESTONE_LABELS.get(kind, kind))
                amount = Decimal(1) if count else value
                found.append(_line(code, "milestone", label, row, day, amount, row[1] == APPROVED))
        elif ind.kind == IndicatorKind.FIXED_ASSET:
            if ind.completed_in_period:
                # Approved only when the completion itself is approved too (as the engine).
                qs = completed_fixed_asset_claims(start, end, excluded, filing)
                extra = ("month", "counted", "done_status")
            else:
                qs = fixed_asset_claims(start, end, excluded, filing)
                extra = ("month", "counted", "status")
            for row in _rows(qs, "investment", project_conditions(ind, year), unit_id, *extra):
                day, value, done = _extras(row)
                verified = row[1] == APPROVED and done == APPROVED
                found.append(_line(code, "investment", INVESTMENT_LABEL, row, day, value, verified))
        elif ind.kind == IndicatorKind.FUNDS:
            qs = funds_claims(start, end, excluded, filing)
            condition = funds_condition(ind, year)
            for row in _rows(qs, "funds", condition, unit_id, "date", "source", "counted"):
                day, source, value = _extras(row)
                label = str(SOURCE_LABELS.get(source, source))
                found.append(_line(code, "funds", label, row, day, value, row[1] == APPROVED))
        for line in found:
            top = tree.top_of(line.unit_id)
            if top != line.unit_id:
                line.unit_id, line.unit_name = top, names[top]
        found.sort(key=lambda line: (line.date, line.claim_id, line.unit_id))
        lines.extend(found)
    return lines


def sums(lines):
    """{(unit_id, code): [verified total, pending total]} of `lines`."""
    out = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        out[(line.unit_id, line.indicator_code)][0 if line.verified else 1] += line.counted
    return out


def mismatches(result, lines):
    """[(unit name, indicator code)] where `lines` do not add up to `result`'s unit figures
    (actual from the verified lines, pending from the others); [] when they agree."""
    totals = sums(lines)
    seen = set()
    out = []
    for entity in result.units:
        for code, figure in entity.indicators.items():
            seen.add((entity.id, code))
            actual, pending = totals.get((entity.id, code), (ZERO, ZERO))
            if actual != figure.actual or pending != figure.pending:
                out.append((entity.name, code))
    out += [
        (f"#{unit_id}", code)
        for (unit_id, code), figures in totals.items()
        if (unit_id, code) not in seen and any(figures)
    ]
    return out


def stored_lines(snapshot, unit_id=None):
    """The lines stored with `snapshot` (only `unit_id`'s when given), in their stored order."""
    qs = snapshot.lines.all()
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return list(qs.order_by("pk"))


def explanation_label(line):
    """How the explanation page names the claim: 签约 2026-03-15, 2026年03月固定资产投资 …"""
    if line.claim_kind == "investment":
        return f"{line.date:%Y年%m月}{INVESTMENT_LABEL}"
    return f"{line.claim_label} {line.date:%Y-%m-%d}"


def recognition_text(line):
    """认定 beside the claim (issue 17): "按申报认定" when the office recognised what was claimed,
    else the claimed and recognised figures with the reason. Milestones count as claimed."""
    if line.claimed is None or line.claimed == line.amount:
        return "按申报认定"
    claimed, recognised = (amount_figure(v, "万元") for v in (line.claimed, line.amount))
    text = f"申报 {claimed}，认定 {recognised}"
    return f"{text}（{line.recognition_reason}）" if line.recognition_reason else text


def record_text(details, fields):
    """'评估日期：2026-03-20；评估人员：…' of a step's stored record; '' when none."""
    keys = [*fields, "photos"] if fields is SITE_FIELDS else list(fields)
    parts = [f"{DETAIL_LABELS[k]}：{details[k]}" for k in keys if (details or {}).get(k)]
    return "；".join(parts)


def site_text(line):
    return record_text(line.site_record, SITE_FIELDS)


def meeting_text(line):
    return record_text(line.meeting_record, CONFIRM_FIELDS)


def workbook_label(line):
    """The 类型 column of 佐证明细: 签约 / 固定资产投资 / 到位资金（企业自筹）."""
    if line.claim_kind == "funds":
        return f"到位资金（{line.claim_label}）"
    return line.claim_label


@dataclass(frozen=True)
class AdjustmentRecord:
    """A score adjustment as a snapshot stored it (the explanation page's 加减分 table)."""

    unit_id: int
    points: Decimal
    reason: str
    created_by: str
    created: datetime.datetime


def adjustment_records(year_obj):
    """JSON-safe records of the year's score adjustments (every unit), to store in a snapshot."""
    rows = year_obj.adjustments.select_related("created_by").order_by("created", "pk")
    return [
        {
            "unit_id": a.unit_id,
            "points": str(a.points),
            "reason": a.reason,
            "created_by": str(a.created_by) if a.created_by else "",
            "created": a.created.isoformat(),
        }
        for a in rows
    ]


def stored_adjustments(snapshot, unit_id):
    """[AdjustmentRecord] of `unit_id` stored with `snapshot`."""
    return [
        AdjustmentRecord(
            unit_id=r["unit_id"],
            points=Decimal(r["points"]),
            reason=r["reason"],
            created_by=r["created_by"],
            created=datetime.datetime.fromisoformat(r["created"]),
        )
        for r in snapshot.adjustments
        if r["unit_id"] == unit_id
    ]
