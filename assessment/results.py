"""What the assessment engine returns: plain data, no ORM objects, so pages, the 通报, the ranking
workbook and the benchmark all read the same figures.

Percentages are Decimal with two places, rounded half-up (SPEC §5); ratios are exact Decimals.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import IntegerChoices


class Echelon(IntegerChoices):
    """方阵 (SPEC §5): ranked units, and separately groups, split by rank into three echelons.

    The one definition of their values and names: the engine assigns them (`echelon_for`), and
    pages, the 通报, the command line and the ranking workbook name them through `echelon_name`.
    """

    FIRST = 1, "第一方阵"
    SECOND = 2, "第二方阵"
    THIRD = 3, "第三方阵"


def echelon_name(value, default="—"):
    """第一方阵 / 第二方阵 / 第三方阵 for 1 / 2 / 3; `default` for None (not ranked)."""
    try:
        return Echelon(value).label
    except ValueError:
        return default


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    display_unit: str  # 个 / 万元 / 亿元
    weight: Decimal


@dataclass
class IndicatorResult:
    code: str
    target: Decimal | None  # None or 0: not assessed for this entity
    actual: Decimal  # in the indicator's base unit (count, or 万元)
    completion: Decimal | None  # exact ratio A / T; None when not assessed
    completion_pct: Decimal | None  # 100 × A / T rounded to 2 places
    on_schedule: bool | None  # completion ≥ expected time progress; None when not assessed
    pending: Decimal = Decimal(0)  # reported but not yet verified (shown apart, never counted)

    @property
    def assessed(self):
        return self.completion is not None


@dataclass
class EntityResult:
    kind: str  # "unit" or "group"
    id: int
    name: str
    group_name: str = ""  # a unit's group in the assessed year
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    base_score: Decimal | None = None  # S before adjustments, 2 places
    adjustment: Decimal = Decimal(0)  # sum of 加减分
    score: Decimal | None = None  # S + adjustments, 2 places; ranks are by this
    overall: Decimal | None = None  # R, 2 places
    overall_exact: Decimal | None = None  # R unrounded (status compares this)
    rank: int | None = None
    echelon: int | None = None  # an Echelon: 1, 2, 3 (第一/第二/第三方阵)
    status: str = ""  # 完成任务 / 过半 / 不足50% / 零进度; "" when not ranked
    escalation: str = ""  # 批评诫勉 / 黄牌警告 / 建议调整主要负责人 (year end)
    years_not_completed: int = 0
    # Added by issue 17; absent from older snapshots, which keep these defaults.
    score_exact: Decimal | None = None  # S + adjustments unrounded (ties are broken on it)
    unit_type: str = ""  # a unit's type (units.UnitType value) when computed
    echelon_note: str = ""  # why the unit is in its echelon, when a rule (not the rank) decided
    listed_apart: bool = False  # scored, but too few assessed indicators to be ranked

    @property
    def assessed_count(self):
        return sum(1 for r in self.indicators.values() if r.assessed)

    @property
    def ranked(self):
        return self.rank is not None


@dataclass
class AssessmentResult:
    year: int
    quarter: int
    period_start: date
    period_end: date
    expected_progress: Decimal  # time progress for the quarter, percent (25.00, 50.00, …)
    indicators: list[IndicatorSpec]
    units: list[EntityResult]  # ranked first by rank, then unranked by name
    groups: list[EntityResult]
    # Added by issue 17; older snapshots keep these defaults (their rules had none of them).
    by_unit_type: bool = False  # units ranked within their unit type
    escalation_mode: str = ""  # an EscalationDisplay value; "" = before issue 17 ("as of now")
    echelon_rules: list[str] = field(default_factory=list)  # the rules in force, in Chinese
    tie_break: bool = False  # equal rounded S ordered by the exact S (then R, an indicator)

    @property
    def escalation_projected(self):
        """Escalation shown before year end, labelled 按当前进度预计."""
        return self.quarter < 4 and self.escalation_mode == "projected"

    def unit_sections(self):
        """[(unit type label or "", [units])]: one section, or one per unit type (ranked units of
        each type in rank order, then its unranked units) when the year ranks them apart."""
        if not self.by_unit_type:
            return [("", self.units)]
        from units.models import UnitType

        sections = []
        for value, label in UnitType.choices:
            members = [u for u in self.units if u.unit_type == value]
            if members:
                sections.append((label, members))
        return sections
