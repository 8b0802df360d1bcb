"""Ranks and echelons (SPEC §5 方阵, issue 17 item 6): `rank_entities` under a year's RankRules.

The rules, each configurable per year (`AssessmentYear`), with their defaults for a new year:
- tie-break (on): equal S after rounding are ordered by the exact S (with adjustments), then the
  exact R, then the completion of a configured indicator (none by default; an entity not assessed
  on it comes after those that are); only entities equal on every key share a rank;
- 零进度 → 第三方阵 (on), whatever the rank;
- first-echelon floor (0.5): an entity whose exact R is below floor × expected time progress is
  never 第一方阵; it goes to 第二方阵. Nobody moves up in its place: the echelon of every other
  entity still follows its own rank;
- minimum assessed indicators (2): units with fewer are scored and given a status, but listed
  apart — not ranked, not counted in N, no echelon;
- per unit type (off): units are ranked, and split into echelons, within their unit type
  (县区 / 园区 / 市直部门 / 招商局), N being the number ranked in that type.
Groups follow the same rules except the last two (a group has no unit type, and its targets are
the office's own).

`RankRules()` (every rule off) is the rule before issue 17, which years published before it keep
(migration 0006): rank by the rounded S, equal S share a rank, echelon by rank only.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from assessment.results import Echelon
from units.templatetags.zs import pct as plain_pct

STATUS_ZERO = "零进度"

# The AssessmentYear values of the rule before issue 17 (migration 0006 sets them, in its own copy,
# on every year that had announced a quarter).
LEGACY_RULES = {
    "tie_break": False,
    "zero_progress_third": False,
    "first_echelon_floor": Decimal(0),
    "min_indicators": 1,
    "rank_by_unit_type": False,
    "escalation_display": "as_of_now",
}


@dataclass(frozen=True)
class RankRules:
    fractions: tuple = ()
    tie_break: bool = False
    tie_indicator: str = ""
    zero_third: bool = False
    first_floor: Decimal | None = None  # percent of R; None: no floor
    min_indicators: int = 1
    by_unit_type: bool = False
    unit_types: list = field(default_factory=list)  # [(value, label)] in display order

    @classmethod
    def of_year(cls, ay, quarter=None, *, groups=False, expected=None):
        """The year's rules for `quarter`, or for a period of expected progress `expected`
        (a campaign's time progress: campaigns rank under their year's rules)."""
        from units.models import UnitType

        return cls(
            fractions=ay.echelon_fractions(),
            tie_break=ay.tie_break,
            tie_indicator=ay.tie_break_indicator if ay.tie_break else "",
            zero_third=ay.zero_progress_third,
            first_floor=_floor(ay, quarter, expected),
            min_indicators=1 if groups else ay.min_indicators,
            by_unit_type=ay.rank_by_unit_type and not groups,
            unit_types=list(UnitType.choices),
        )


def _floor(ay, quarter, expected):
    return ay.first_floor(quarter) if expected is None else ay.floor_at(expected)


def describe(ay, quarter, indicator_names, expected=None):
    """The year's echelon rules in force, one Chinese sentence each, for the 通报 and the preview
    (`expected`: of a campaign, as in `RankRules.of_year`). Empty for the rule before issue 17,
    so a year published under it reads as it did."""
    lines = []
    if ay.tie_break:
        keys = "精确得分、精确总体完成率"
        if ay.tie_break_indicator:
            name = indicator_names.get(ay.tie_break_indicator, ay.tie_break_indicator)
            keys += f"、{name}完成率"
        lines.append(f"得分相同的依次按{keys}排名，全部相同的并列")
    if ay.zero_progress_third:
        lines.append("零进度单位列第三方阵")
    floor = _floor(ay, quarter, expected)
    if floor is not None:
        progress = "序时进度" if expected is None else "时间进度"
        lines.append(
            f"总体完成率低于 {plain_pct(floor)}（{progress}的 {_share(ay.first_echelon_floor)}）"
            "的不列第一方阵"
        )
    if ay.min_indicators > 1:
        lines.append(f"考核指标少于 {ay.min_indicators} 项的单位单列，不参与排名")
    if ay.rank_by_unit_type:
        lines.append("按单位类型分别排名、分别划分方阵")
    return lines


def _share(fraction):
    """0.50 → '50%'."""
    return f"{(100 * fraction).normalize():f}%"


def echelon_for(rank, n, fractions):
    """The Echelon of rank `rank` among `n` ranked (r ≤ ⌈N·f₁⌉ → 1, r ≤ ⌈N·f₂⌉ → 2, else 3)."""
    first, second = fractions
    if rank <= math.ceil(n * first):
        return Echelon.FIRST
    if rank <= math.ceil(n * second):
        return Echelon.SECOND
    return Echelon.THIRD


def _key(e, rules):
    if not rules.tie_break:
        return (e.score,)
    exact = e.score_exact if e.score_exact is not None else e.score
    overall = e.overall_exact if e.overall_exact is not None else Decimal(0)
    tie = (0, Decimal(0))
    if rules.tie_indicator:
        r = e.indicators.get(rules.tie_indicator)
        if r is not None and r.assessed:
            tie = (1, r.completion)
    return (e.score, exact, overall, tie)


def _rank_block(block, rules, fractions):
    """Rank one block (all units, or one unit type) in place; returns it in rank order."""
    # Stable sort, descending: entities equal on every key keep display order. An entity's rank
    # is 1 + the index of its key's first occurrence ("1, 2, 2, 4"): one sort, no pairwise pass.
    block.sort(key=lambda e: _key(e, rules), reverse=True)
    n = len(block)
    rank, previous = 0, None
    for index, e in enumerate(block):
        key = _key(e, rules)
        if index == 0 or key != previous:
            rank, previous = index + 1, key
        e.rank = rank
        e.echelon = echelon_for(rank, n, fractions)
        if rules.zero_third and getattr(e, "status", "") == STATUS_ZERO:
            if e.echelon != Echelon.THIRD:
                e.echelon_note = f"零进度，列第三方阵（按排名为{Echelon(e.echelon).label}）"
            else:
                e.echelon_note = "零进度，列第三方阵"
            e.echelon = Echelon.THIRD
        elif (
            rules.first_floor is not None
            and e.echelon == Echelon.FIRST
            and e.overall_exact is not None
            and e.overall_exact < rules.first_floor
        ):
            e.echelon = Echelon.SECOND
            overall, floor = plain_pct(e.overall), plain_pct(rules.first_floor)
            e.echelon_note = f"总体完成率 {overall} 低于第一方阵门槛 {floor}，列第二方阵"
    return block


def rank_entities(entities, fractions, rules=None):
    """Rank by score descending under `rules` (RankRules; None: the rule before issue 17); set
    echelons; ranked first (per unit type when the rules say so), then the rest.

    `entities` comes in display order (sort order, name), which orders full ties for display only.
    """
    rules = rules or RankRules()
    scored = [e for e in entities if e.score is not None]
    apart = []
    if rules.min_indicators > 1:
        apart = [e for e in scored if e.assessed_count < rules.min_indicators]
        for e in apart:
            e.listed_apart = True
            e.echelon_note = (
                f"考核指标 {e.assessed_count} 项，少于 {rules.min_indicators} 项，单列不排名"
            )
        scored = [e for e in scored if not e.listed_apart]
    unscored = [e for e in entities if e.score is None]
    if not rules.by_unit_type:
        return _rank_block(scored, rules, fractions) + apart + unscored
    out = []
    known = [value for value, _label in rules.unit_types]
    for value in [*known, *sorted({e.unit_type for e in entities} - set(known))]:
        out += _rank_block([e for e in scored if e.unit_type == value], rules, fractions)
        out += [e for e in apart + unscored if e.unit_type == value]
    return out
