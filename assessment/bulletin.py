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


def report_context(result):
    ranked = [u for u in result.units if u.ranked]
    return {
        "result": result,
        "summary": indicator_totals(result),  # 全市: every unit, ranked or not
        "groups": [g for g in result.groups if g.ranked],
        "echelons": [
            (n, name, [u for u in ranked if u.echelon == n]) for n, name in Echelon.choices
        ],
        "behind": behind_schedule(result),
        "zero": [u for u in ranked if u.status == STATUS_ZERO],
        "below_half": [u for u in ranked if u.status == STATUS_BELOW_HALF],
        "year_end": result.quarter == 4,
        "escalations": [u for u in ranked if u.escalation] if result.quarter == 4 else [],
    }
