"""Forecast and gap (预测与差距): where each unit may stand at year end, and the least it must add
to reach the next echelon now. An estimate (估算，仅供参考), never an assessment.

Assumptions, stated on the page (ASSUMPTIONS):
- signed projects (approved signing) not yet started whose planned start falls after the as-of date
  and within the year would count as started; overdue plans are not counted;
- started projects (approved start) not yet completed whose planned completion falls after the
  as-of date and within the year would count as completed, bringing their approved fixed-asset
  investment to date into 竣工项目完成固定资产投资;
- funds in place and plain fixed-asset investment follow their trend: year-to-date approved amount
  ÷ elapsed months × 12;
- no further signings are assumed (洽谈 projects carry no planned signing date).

`pipeline_additions` is the only function that reads projects (one aggregate query per milestone
kind, grouped by credited unit and share); the rest are pure functions over the engine's
AssessmentResult, so they are tested on hand-made results.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from assessment import visibility
from assessment.actuals import project_conditions
from assessment.dashboard.numbers import num
from assessment.engine import HUNDRED, ONE, ZERO, compute_cached, round2, status_for
from assessment.gap import GapRules, next_echelon_gap
from assessment.models import AssessmentYear, IndicatorKind, quarter_end
from projects.models import ClaimStatus, Milestone, MilestoneKind, Project, Stage
from units import access

ESTIMATE_NOTE = "估算，仅供参考"
ASSUMPTIONS = [
    "已审定签约、尚未开工、计划开工日期在截止日之后且在本年度内的项目，按年内开工计；"
    "计划开工日期已过仍未开工的不计。",
    "已审定开工、尚未竣工、计划竣工日期在截止日之后且在本年度内的项目，按年内竣工计，"
    "其截至目前已审定的固定资产投资计入“竣工项目完成固定资产投资”。",
    "实际到位资金和固定资产投资按趋势推算：年初至今已审定金额 ÷ 已过月数 × 12。",
    "不预计新增签约（洽谈项目没有计划签约日期）。",
    "各单位按分成比例计入，与考核口径一致。",
]

PLAN = "pipeline"  # additions from planned dates
TREND = "trend"  # year-to-date × 12 / elapsed months
HOLD = "hold"  # stays at its actual


def elapsed_months(as_of):
    """Months of the year gone by at `as_of`: whole months plus the fraction of the current one
    (31 March → 3, 30 June → 6)."""
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    return Decimal(as_of.month - 1) + Decimal(as_of.day) / Decimal(days)


def trend_projection(actual, as_of):
    """Year-to-date `actual` carried to the year end at its pace so far (never below actual)."""
    months = elapsed_months(as_of)
    if months <= 0:
        return actual
    return max(actual, actual * Decimal(12) / months)


def method_for(indicator):
    """How an indicator (model row) is projected: PLAN, TREND or HOLD."""
    if indicator.kind in (IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT):
        return HOLD if indicator.milestone == MilestoneKind.SIGNED else PLAN
    if indicator.completed_in_period:
        return PLAN
    return TREND


# --- the one place that reads projects ------------------------------------------------------


def _milestone(kind, **extra):
    return Milestone.objects.filter(project=OuterRef("pk"), kind=kind, **extra)


def _by_share(qs):
    return qs.order_by().values(
        share_unit=F("credit_shares__unit_id"), pct=F("credit_shares__percent")
    )


def pipeline_additions(indicators, as_of, excluded_categories=(), unit_ids=None):
    """{unit_id: {code: Decimal}}: what the pipeline would add to each PLAN indicator between
    `as_of` (exclusive) and 31 December, credited by share; only to `unit_ids` when given (the
    units a page shows). One query per milestone kind.

    Every query starts from the projects yet to start or complete (issue 21): summing the
    investment of those to complete from the monthly investment side read every approved month
    of the city (312 ms at M on SQLite, for none to add)."""
    year_end = datetime.date(as_of.year, 12, 31)
    live = Project.objects.exclude(stage=Stage.TERMINATED)
    if excluded_categories:
        live = live.exclude(category__in=list(excluded_categories))
    not_rejected = ~Q(status=ClaimStatus.REJECTED)
    # Verified milestones from the dates stored on the project (issue 21); a start or completion
    # still claimed (not rejected) keeps a project out of what is yet to come.
    to_start = live.filter(
        signed_on__isnull=False,
        planned_start__gt=as_of,
        planned_start__lte=year_end,
    ).exclude(Exists(_milestone(MilestoneKind.STARTED).filter(not_rejected)))
    to_complete = live.filter(
        started_on__isnull=False,
        planned_completion__gt=as_of,
        planned_completion__lte=year_end,
    ).exclude(Exists(_milestone(MilestoneKind.COMPLETED).filter(not_rejected)))
    out = defaultdict(lambda: defaultdict(Decimal))

    def collect(qs, inds, aggregate):
        if not inds:
            return
        if unit_ids is not None:
            # Filtered before the shares are read, so that they are read through this join.
            qs = qs.filter(credit_shares__unit_id__in=list(unit_ids))
        aggs = {f"v{n}": aggregate(ind) for n, ind in enumerate(inds)}
        for row in _by_share(qs).annotate(**aggs):
            if row["share_unit"] is None:
                continue  # a project credited to no unit adds to none
            share = Decimal(row["pct"]) / HUNDRED
            for n, ind in enumerate(inds):
                out[row["share_unit"]][ind.code] += share * Decimal(row[f"v{n}"] or 0)

    def milestone_value(ind):
        cond = project_conditions(ind, as_of.year, prefix="")
        if ind.kind == IndicatorKind.MILESTONE_COUNT:
            return Count("pk", filter=cond)
        return Sum(f"{ind.investment_basis}_investment", filter=cond)

    def invested(ind):
        # The approved investment to date of each project to complete, credited by its shares
        # like the engine's 竣工项目完成固定资产投资.
        cond = Q(investments__status=ClaimStatus.APPROVED, investments__month__lte=as_of)
        return Sum("investments__amount", filter=cond & project_conditions(ind, as_of.year, ""))

    plan = [i for i in indicators if method_for(i) == PLAN and not i.completed_in_period]
    collect(to_start, [i for i in plan if i.milestone == MilestoneKind.STARTED], milestone_value)
    collect(
        to_complete, [i for i in plan if i.milestone == MilestoneKind.COMPLETED], milestone_value
    )
    collect(to_complete, [i for i in indicators if i.completed_in_period], invested)
    return out


# --- pure projections -----------------------------------------------------------------------


@dataclass
class IndicatorForecast:
    code: str
    name: str
    display_unit: str
    method: str  # PLAN / TREND / HOLD
    target: Decimal
    actual: Decimal
    projected: Decimal
    completion_pct: Decimal  # projected completion, percent, two places

    @property
    def added(self):
        return self.projected - self.actual


@dataclass
class UnitForecast:
    unit_id: int
    name: str
    score: Decimal | None  # now
    overall: Decimal | None  # now
    projected_score: Decimal | None = None
    projected_overall: Decimal | None = None
    projected_status: str = ""
    indicators: list[IndicatorForecast] = field(default_factory=list)


def project_entity(entity, specs, methods, additions, as_of, cap):
    """UnitForecast of one EntityResult: each assessed indicator projected by its method, then
    S and R recomputed exactly as the engine does (no adjustments: they are not a forecast)."""
    forecast = UnitForecast(entity.id, entity.name, entity.score, entity.overall)
    weighted_s = weighted_r = total_w = ZERO
    all_zero = True
    for spec in specs:
        r = entity.indicators.get(spec.code)
        if r is None or not r.assessed:
            continue
        method = methods.get(spec.code, HOLD)
        if method == PLAN:
            projected = r.actual + additions.get(spec.code, ZERO)
        elif method == TREND:
            projected = trend_projection(r.actual, as_of)
        else:
            projected = r.actual
        c = projected / r.target
        weighted_s += spec.weight * min(c, cap)
        weighted_r += spec.weight * min(c, ONE)
        total_w += spec.weight
        all_zero = all_zero and projected == 0
        forecast.indicators.append(
            IndicatorForecast(
                spec.code,
                spec.name,
                spec.display_unit,
                method,
                r.target,
                r.actual,
                round2(projected),
                round2(HUNDRED * c),
            )
        )
    if total_w:
        forecast.projected_score = round2(HUNDRED * weighted_s / total_w)
        r_exact = HUNDRED * weighted_r / total_w
        forecast.projected_overall = round2(r_exact)
        forecast.projected_status = status_for(r_exact, all_zero)
    return forecast


# --- the page -------------------------------------------------------------------------------


@dataclass
class ForecastRow:
    """A unit's card: its forecast, its place in the ranking the user sees (None when not
    shown) and `gap`, its gap to the next echelon (`assessment.gap`).

    The gap is worked out when first read: the page shows 25 of a city's 500 cards (the view
    paginates them), and each gap looks through the whole ranking (116 ms for 500 at M, issue
    21). Read as `row["forecast"]` or `row.forecast` alike."""

    forecast: UnitForecast
    ranked: object  # EntityResult of the shown ranking, or None
    ranking: object = field(repr=False, default=None)  # AssessmentResult the gap is measured in
    rules: object = field(repr=False, default=None)  # GapRules

    @cached_property
    def gap(self):
        if self.ranked is None:
            return None
        return next_echelon_gap(self.ranking, self.ranked, self.rules)

    def __getitem__(self, key):
        return getattr(self, key)


def forecast_page(user, year, quarter, today=None):
    """Forecasts for the units `user` may read, and each one's gap to the next echelon.

    Projections start from a live computation (approved data now). The gap is measured against
    the ranking the user sees on the ranking page (`assessment.visibility`): the quarter's latest
    snapshot for leaders and reviewers (this live computation when there is none), the announced
    snapshot for everyone else (no gap shown before it is published). A published quarter's gap
    is thus measured against the published ranking, as every page of it reads the snapshot.
    """
    today = today or timezone.localdate()
    ay = AssessmentYear.objects.filter(year=year).first()
    if ay is None:
        return {"missing_year": True, "assumptions": ASSUMPTIONS, "note": ESTIMATE_NOTE}
    as_of = min(quarter_end(year, quarter), today)
    indicators = list(ay.indicators.all())
    methods = {i.code: method_for(i) for i in indicators}
    live = compute_cached(ay, quarter, with_escalation=False)
    snapshot = visibility.visible_snapshot(user, ay, quarter)
    ranking = visibility.shown_for(user, snapshot, lambda: live).result
    visible = set(access.visible_units(user, year=year).values_list("pk", flat=True))
    # The whole city's pipeline only for those who see every unit (a unit's staff, its own).
    scope = None if access.sees_everything(user) else visible
    additions = pipeline_additions(indicators, as_of, ay.excluded_categories, unit_ids=scope)
    gap_rules = GapRules.of_year(ay, quarter, indicators)
    by_id = {e.id: e for e in ranking.units} if ranking is not None else {}
    rows = []
    for entity in live.units:
        if entity.id not in visible or entity.score is None:
            continue
        forecast = project_entity(
            entity, live.indicators, methods, additions.get(entity.id, {}), as_of, ay.score_cap
        )
        rows.append(ForecastRow(forecast, by_id.get(entity.id), ranking, gap_rules))
    chart = {
        "type": "bar",
        "unit": "%",
        "categories": [r["forecast"].name for r in rows],
        "series": [
            {"name": "当前总体完成率", "data": [num(r["forecast"].overall) for r in rows]},
            {
                "name": "预计年末总体完成率（估算）",
                "data": [num(r["forecast"].projected_overall) for r in rows],
            },
        ],
        "markLine": "100.00",
        "markLineName": "完成任务",
    }
    return {
        "missing_year": False,
        "as_of": as_of,
        "elapsed_months": round2(elapsed_months(as_of)),
        "rows": rows,
        "ranking_published": ranking is not None,
        "assumptions": ASSUMPTIONS,
        "note": ESTIMATE_NOTE,
        "methods": {PLAN: "按计划日期", TREND: "按趋势推算", HOLD: "不作预计"},
        "charts": {"forecast": chart},
    }
