"""Figures of the quarterly 通报, read from one AssessmentResult (published snapshot or draft)."""

from decimal import Decimal

from assessment.engine import HUNDRED, STATUS_BELOW_HALF, STATUS_ZERO, round2


def city_summary(result):
    """Per indicator: the sum of all units' actuals against the sum of their targets."""
    rows = []
    for spec in result.indicators:
        actual = sum((u.indicators[spec.code].actual for u in result.units), Decimal(0))
        target = sum((u.indicators[spec.code].target or 0 for u in result.units), Decimal(0))
        pct = round2(HUNDRED * actual / target) if target > 0 else None
        rows.append(
            {
                "spec": spec,
                "actual": actual,
                "target": target,
                "pct": pct,
                "on_schedule": pct is not None and pct >= result.expected_progress,
            }
        )
    return rows


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
        "summary": city_summary(result),
        "groups": [g for g in result.groups if g.ranked],
        "echelons": [
            (n, name, [u for u in ranked if u.echelon == n])
            for n, name in ((1, "第一方阵"), (2, "第二方阵"), (3, "第三方阵"))
        ],
        "behind": behind_schedule(result),
        "zero": [u for u in ranked if u.status == STATUS_ZERO],
        "below_half": [u for u in ranked if u.status == STATUS_BELOW_HALF],
        "year_end": result.quarter == 4,
        "escalations": [u for u in ranked if u.escalation] if result.quarter == 4 else [],
    }
