"""City totals (全市合计) of one AssessmentResult — the one rule used by the 通报's 全市 table, the
ranking workbook's 合计 row and the dashboard's completion chart.

What is summed: per indicator, over *every* entity given — by default every unit of the result,
ranked or not — the actual (all that is credited to it, whether or not that indicator is assessed
for it) and the target where the indicator is assessed (target > 0). A unit without targets is
not ranked, but the projects credited to it are still the city's: leaving them out would make the
全市 figure depend on who was given a target. The ranking workbook lists ranked units only, so
its 合计 row says when it includes units that are not listed.
"""

from dataclasses import dataclass
from decimal import Decimal

from assessment.engine import HUNDRED, round2
from assessment.results import IndicatorSpec

ZERO = Decimal(0)


def ratio_pct(part, whole):
    """100 × part / whole, rounded half-up to two places (SPEC §5), or None when whole is 0."""
    if not whole:
        return None
    return round2(HUNDRED * Decimal(part) / Decimal(whole))


@dataclass
class IndicatorTotal:
    spec: IndicatorSpec
    actual: Decimal  # Σ actuals of the entities, assessed or not
    target: Decimal  # Σ targets of the entities for which the indicator is assessed
    pct: Decimal | None  # 100 × actual / target, two places; None without a target
    on_schedule: bool  # pct ≥ the quarter's expected time progress

    @property
    def code(self):
        return self.spec.code

    @property
    def name(self):
        return self.spec.name

    @property
    def display_unit(self):
        return self.spec.display_unit


def indicator_totals(result, entities=None):
    """[IndicatorTotal] per indicator of `result`, summed over `entities` (every unit of the
    result when None; pass `result.groups`, or a subset of units, for other totals)."""
    entities = result.units if entities is None else entities
    rows = []
    for spec in result.indicators:
        figures = [e.indicators.get(spec.code) for e in entities]
        actual = sum((f.actual for f in figures if f), ZERO)
        target = sum((f.target for f in figures if f and f.assessed), ZERO)
        pct = ratio_pct(actual, target)
        on_schedule = pct is not None and pct >= result.expected_progress
        rows.append(IndicatorTotal(spec, actual, target, pct, on_schedule))
    return rows


def overall_completion(rows):
    """R of the totals: 100 × Σ wᵢ·min(Aᵢ/Tᵢ, 1) / Σ wᵢ over indicators with a target, two
    places; None when no indicator has one."""
    weighted = weights = ZERO
    for row in rows:
        if row.target > 0:
            weighted += row.spec.weight * min(row.actual / row.target, Decimal(1))
            weights += row.spec.weight
    return round2(HUNDRED * weighted / weights) if weights else None
