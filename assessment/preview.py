"""What publishing a quarter does, shown before it is done (issue 17 item 6): which units land in
which echelon and why, and how many claims the publication locks."""

import datetime
import math
from dataclasses import dataclass

from assessment import locks
from assessment.models import quarter_end
from assessment.results import Echelon
from projects.models import FundsEntry, Milestone, MonthlyInvestment


@dataclass
class PreviewRow:
    entity: object
    reason: str


@dataclass
class PreviewSection:
    label: str  # the unit type, "" for one ranking, "协作组" for groups
    n: int  # number ranked in the section
    echelons: list  # [(echelon value, name, [PreviewRow])]
    apart: list  # [PreviewRow]: scored, listed apart


def rank_reason(entity, n, fractions):
    """Why an entity is in its echelon: the rule that decided (`echelon_note`), else its rank
    against the section's cut-offs (r ≤ ⌈N·f₁⌉ → 第一方阵, r ≤ ⌈N·f₂⌉ → 第二方阵)."""
    if entity.echelon_note:
        return entity.echelon_note
    first, second = math.ceil(n * fractions[0]), math.ceil(n * fractions[1])
    if entity.echelon == Echelon.FIRST:
        return f"第 {entity.rank} 名，在前 {first} 名内（共 {n} 个）"
    if entity.echelon == Echelon.SECOND:
        span = f"第 {second} 名" if first + 1 == second else f"第 {first + 1}–{second} 名"
        return f"第 {entity.rank} 名，在{span}内（共 {n} 个）"
    return f"第 {entity.rank} 名，在前 {second} 名之后（共 {n} 个）"


def _section(label, entities, fractions):
    ranked = [e for e in entities if e.ranked]
    n = len(ranked)
    echelons = [
        (
            value,
            name,
            [PreviewRow(e, rank_reason(e, n, fractions)) for e in ranked if e.echelon == value],
        )
        for value, name in Echelon.choices
    ]
    apart = [PreviewRow(e, e.echelon_note) for e in entities if e.listed_apart]
    return PreviewSection(label, n, echelons, apart)


def echelon_sections(result, fractions):
    """[PreviewSection]: the units (one per unit type when the year ranks them apart), then the
    groups."""
    sections = [_section(label, members, fractions) for label, members in result.unit_sections()]
    sections.append(_section("协作组", result.groups, fractions))
    return sections


def claims_locked(year, quarter):
    """How many claims publishing `quarter` of `year` makes read-only: every claim (of any status)
    dated from the day after the year's last locked day (or 1 January) to the quarter's end.
    Three counts, one per claim kind."""
    end = quarter_end(year, quarter)
    through = locks.locked_through(year)
    start = datetime.date(year, 1, 1) if through is None else through + datetime.timedelta(days=1)
    if start > end:
        return 0
    return sum(
        model.objects.filter(**{f"{model.claim_date_field}__range": (start, end)}).count()
        for model in (Milestone, MonthlyInvestment, FundsEntry)
    )
