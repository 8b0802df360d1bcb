"""Figures of the quarterly 通报, read from one AssessmentResult (published snapshot or draft)."""

from decimal import Decimal

from django.utils import timezone

from assessment.engine import STATUS_BELOW_HALF, STATUS_ZERO
from assessment.formatting import DRAFT_MARK, quarter_name
from assessment.models import SnapshotStatus
from assessment.results import Echelon
from assessment.totals import indicator_totals

ZERO = Decimal(0)


def is_draft(snapshot):
    """Not the official 通报: a draft or unlocked snapshot, or a live computation before any.
    Such figures carry DRAFT_MARK on the ranking page, the 通报 (on paper too) and every
    workbook."""
    return snapshot is None or snapshot.status != SnapshotStatus.PUBLISHED


def signature(year, snapshot):
    """The 落款 of the 通报 and of every sheet of the ranking workbook: [issuing office, date],
    or None when the year names no office (years before issue 22 print none, as before). The
    office is a year rule (`AssessmentYear.issuing_office`, frozen with the others once a
    quarter is published, zhaoshang.guard); the date is the publication's — a draft has none
    yet and says so."""
    office = getattr(year, "issuing_office", "")
    if not office:
        return None
    published = getattr(snapshot, "published_at", None)
    if published is None or is_draft(snapshot):
        return [office, f"{DRAFT_MARK}，发布时确定日期"]
    day = timezone.localtime(published).date()
    return [office, f"{day.year}年{day.month}月{day.day}日"]


def behind_schedule(result):
    """[(unit, [indicator names behind the time progress])] for ranked units."""
    names = {s.code: s.name for s in result.indicators}
    out = []
    for u in result.units:
        if not u.ranked:
            continue
        behind = [names[c] for c, r in u.indicators.items() if r.on_schedule is False]
        if behind:
            out.append((u, behind))
    return out


def _echelons(units):
    return [
        (n, name, [u for u in units if u.ranked and u.echelon == n]) for n, name in Echelon.choices
    ]


def indicator_tables(result, units):
    """[(spec, [(unit, figure)], pending total)]: per indicator, every assessed unit's figures
    (目标 / 完成 / 完成率 / 待核实) in ranking order, for the 通报's 附表."""
    tables = []
    for spec in result.indicators:
        rows = [(u, u.indicators.get(spec.code)) for u in units]
        pending = sum((f.pending for _, f in rows if f), ZERO)
        tables.append((spec, rows, pending))
    return tables


def pending_totals(result):
    """{indicator code: Σ 待核实 (reported, not yet verified) over every unit}: shown beside the
    全市 figures, never counted in them."""
    return {
        spec.code: sum(
            (u.indicators[spec.code].pending for u in result.units if spec.code in u.indicators),
            ZERO,
        )
        for spec in result.indicators
    }


def report_context(result):
    """The 通报's figures. Units listed apart (too few indicators) are in no echelon but keep their
    status, so they are named among the 零进度 and 不足50% units; before Q4 the escalation list
    is shown only when the year labels it a projection (issue 17 item 7)."""
    ranked = [u for u in result.units if u.ranked]
    assessed = [u for u in result.units if u.ranked or u.listed_apart]
    listed = [u for u in result.units if u.ranked] + [u for u in result.units if u.listed_apart]
    pending = pending_totals(result)
    return {
        "result": result,
        "quarter_name": quarter_name(result.quarter),
        "draft_mark": DRAFT_MARK,
        # 全市: every unit, ranked or not — the ranking workbook's 全市合计 row (one rule).
        "summary": indicator_totals(result),
        "pending": pending,  # {code: Σ 待核实}, beside 全市, not in it
        "indicator_tables": indicator_tables(result, listed),
        "groups": [g for g in result.groups if g.ranked],
        "echelons": _echelons(ranked),
        # [(unit type label or "", [(echelon, name, units)])]: one ranking, or one per type.
        "sections": [(label, _echelons(units)) for label, units in result.unit_sections()],
        "apart": [u for u in result.units if u.listed_apart],
        "behind": behind_schedule(result),
        "zero": [u for u in assessed if u.status == STATUS_ZERO],
        "below_half": [u for u in assessed if u.status == STATUS_BELOW_HALF],
        "year_end": result.quarter == 4,
        "escalations": (
            [u for u in assessed if u.escalation]
            if result.quarter == 4 or result.escalation_projected
            else []
        ),
    }
