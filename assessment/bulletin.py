"""Figures of the quarterly 通报, read from one AssessmentResult (published snapshot or draft)."""

from assessment.engine import STATUS_BELOW_HALF, STATUS_ZERO
from assessment.results import Echelon
from assessment.totals import indicator_totals


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


def report_context(result):
    """The 通报's figures. Units listed apart (too few indicators) are in no echelon but keep their
    status, so they are named among the 零进度 and 不足50% units; before Q4 the escalation list
    is shown only when the year labels it a projection (issue 17 item 7)."""
    ranked = [u for u in result.units if u.ranked]
    assessed = [u for u in result.units if u.ranked or u.listed_apart]
    return {
        "result": result,
        "summary": indicator_totals(result),  # 全市: every unit, ranked or not
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
