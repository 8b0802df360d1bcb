"""The gap to the next echelon (进位差距): the least one indicator must add, the others unchanged,
to lift a ranked unit (or group) into the echelon above it — under the year's echelon rules
(`assessment.echelons`, issue 17 item 6), the unit explanation and the forecast page alike.

What it takes to be in echelon E (the one above the entity's own):
- **rank**: rank ≤ k = ⌈N·f_E⌉, N the ranked entities of its block (its unit type when the result
  ranks per type). The bar is the k-th best of the *others* (by their rank): reaching its score
  puts the entity at position k at worst. Without the tie-break, equal rounded scores share a
  rank, so reaching the bar's rounded score is enough (the exact score ≥ bar − adjustment −
  0.005); with it, the bar's exact score must be reached, the order then left to the exact R.
  When its own rank is within k already, only the rules below keep it out;
- **floor** (第一方阵 only, when the year has one): the exact R must reach the floor; R counts
  each completion up to 100 %, so an indicator already complete cannot lift it;
- **零进度** (when the year puts 零进度 units third): some progress at all — one project or
  0.01 万元 on any indicator.
An indicator's step is the largest of what each condition asks of it, counts rounded up to whole
projects and amounts up to 0.01 万元; `additional` is None when that indicator alone cannot meet a
condition (it would need more than its cap, or, for the floor, more than 100 %). Each indicator's
own cap applies (`assessment.engine.caps_of`).
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from assessment.echelons import STATUS_ZERO, RankRules
from assessment.engine import HUNDRED, ONE, ZERO, caps_of
from assessment.results import Echelon
from units.templatetags.zs import pct as plain_pct

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")


@dataclass
class GapStep:
    code: str
    name: str
    display_unit: str
    additional: Decimal | None  # None: this indicator alone cannot close the gap


@dataclass
class EchelonGap:
    echelon: int  # the echelon to reach (1 or 2)
    needed_score: Decimal | None  # the score that secures the rank; None: the rank holds already
    steps: list[GapStep]
    conditions: list[str] = field(default_factory=list)  # the rules besides the score, in words


@dataclass(frozen=True)
class GapRules:
    """What the gap needs of a year, read once per page: each indicator's cap and the echelon
    rules of units and of groups for the quarter."""

    caps: dict
    units: RankRules
    groups: RankRules

    @classmethod
    def of_year(cls, ay, quarter, indicators=None):
        indicators = list(ay.indicators.all()) if indicators is None else indicators
        return cls(
            caps=caps_of(indicators, ay.score_cap),
            units=RankRules.of_year(ay, quarter),
            groups=RankRules.of_year(ay, quarter, groups=True),
        )


def _minimal(display_unit):
    return Decimal(1) if display_unit == "个" else CENT


def _round_up(raw, display_unit):
    raw = max(raw, ZERO)
    if display_unit == "个":
        return Decimal(math.ceil(raw))
    return raw.quantize(CENT, rounding=ROUND_CEILING)


def _score_bar(result, entity, block, k):
    """(rounded score to show, exact weighted-score bar as a percent) of the k-th best other, or
    (None, None) when the rank holds at any score."""
    if entity.rank <= k:
        return None, None  # its rank holds the echelon already: a rule keeps it out
    others = sorted((e for e in block if e is not entity), key=lambda e: e.rank)
    bar = others[k - 1]
    if result.tie_break and bar.score_exact is not None:
        return bar.score, bar.score_exact - entity.adjustment
    return bar.score, bar.score - entity.adjustment - HALF_CENT


def _weighted(specs, assessed, leave_out, cap):
    """Σ wᵢ·min(cᵢ, cap(i)) over the assessed indicators but `leave_out`."""
    return sum(
        (
            specs[c].weight * min(r.completion, cap(c))
            for c, r in assessed.items()
            if c != leave_out
        ),
        ZERO,
    )


def next_echelon_gap(result, entity, rules, kind="unit"):
    """The EchelonGap of `entity` (a unit of `result`, or a group with kind="group") to the
    echelon above its own, under `rules` (GapRules); None when it is 第一方阵 or not ranked."""
    if not entity.ranked or entity.echelon in (None, Echelon.FIRST):
        return None
    rank_rules = rules.units if kind == "unit" else rules.groups
    pool = result.units if kind == "unit" else result.groups
    per_type = kind == "unit" and result.by_unit_type
    block = [e for e in pool if e.ranked and (not per_type or e.unit_type == entity.unit_type)]
    target = Echelon(entity.echelon - 1)
    k = math.ceil(len(block) * rank_rules.fractions[target - 1])
    needed_score, score_bar = _score_bar(result, entity, block, k)
    specs = {s.code: s for s in result.indicators}
    assessed = {c: r for c, r in entity.indicators.items() if r.assessed and c in specs}
    total_w = sum((specs[c].weight for c in assessed), ZERO)
    floor = rank_rules.first_floor if target == Echelon.FIRST else None
    zero = rank_rules.zero_third and entity.status == STATUS_ZERO
    conditions = []
    if floor is not None and (entity.overall_exact or ZERO) >= floor:
        floor = None  # met already
    if floor is not None:
        conditions.append(f"总体完成率须达到第一方阵门槛 {plain_pct(floor)}")
    if zero:
        conditions.append("须有完成数（零进度单位列第三方阵）")

    def cap(code):
        return rules.caps.get(code, ONE)

    steps = []
    for code, r in assessed.items():
        spec, weight = specs[code], specs[code].weight
        asks = []  # the completion each condition asks of this indicator
        if score_bar is not None:
            rest = _weighted(specs, assessed, code, cap)
            asks.append(((score_bar * total_w / HUNDRED - rest) / weight, cap(code)))
        if floor is not None:
            rest = _weighted(specs, assessed, code, lambda _c: ONE)
            asks.append(((floor * total_w / HUNDRED - rest) / weight, ONE))
        additional = ZERO
        for needed_c, limit in asks:
            if needed_c > limit:
                additional = None
                break
            additional = max(
                additional, _round_up(needed_c * r.target - r.actual, spec.display_unit)
            )
        if additional is not None and zero:
            additional = max(additional, _minimal(spec.display_unit))
        steps.append(GapStep(code, spec.name, spec.display_unit, additional))
    return EchelonGap(target, needed_score, steps, conditions)
