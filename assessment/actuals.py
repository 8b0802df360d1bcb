"""Actual figures per unit and indicator for one period, from a fixed number of aggregate queries.

One query per indicator kind (milestones, monthly fixed-asset investment, the completed-in-period
fixed-asset variant, funds), each grouped by (credited unit, share percent) with one filtered
aggregate per indicator, so the number of queries does not grow with units, projects or claims.

Each unit is credited share% × contribution (SPEC §3 分成). Sums of amounts come back from the
database as exact two-place Decimals per (unit, percent) group; the share multiplication happens in
Python with Decimal, so no float ever touches a figure (SQLite has no exact decimal arithmetic).

A claim counts for what the office recognised (认定, SPEC §4): funds and monthly investment for
their `counted_amount` (the 认定金额 when set, else the claimed amount, annotated on every claim
selection below), and a 不予认定 claim — a milestone too — is not selected at all; neither adds
a query.

Approved claims (ClaimStatus.APPROVED) make the actual; claims in PENDING_STATUSES are summed apart
as "reported, not yet verified".

"New only" (仅新引进) asks whether the project is 新引进 in the period's assessment year
(`projects.newness`: the year's override, else its signing): the year the period starts in — a
quarter's, or a campaign's (a campaign lies inside its year). It is one subquery inside each
aggregate's filter, so it adds no query.

Recognition rules of the year (SPEC §4, issue 17), each a filter of the claim selections below
(never a query of their own, so the engine's query budget stays as it was):
- 不予认定清单 (`assessment.models.recognition`): a listed project's or industry's claims are
  left out — an Exists subquery on the period's year;
- 备案 (`AssessmentYear.filing_required`, off by default): only projects whose 备案日期 is on or
  before the period end count;
- 仅计市域外资金 (`Indicator.outside_city_only`, off by default): a funds indicator counts only
  entries whose 来源地 is outside the city; a blank 来源地 does not count under it.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from assessment.models import IndicatorKind, excluded_claims
from projects.models import (
    OUTSIDE_CITY_REGIONS,
    PENDING_STATUSES,
    ClaimStatus,
    FundsEntry,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
    counted_amount,
)
from projects.newness import new_in_year

APPROVED = ClaimStatus.APPROVED
COUNTED = [APPROVED, *PENDING_STATUSES]
ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def exact(value):
    """A count as it is; a sum of amounts (whole 分) as whole 分.

    SQLite sums decimals as floats, and Django turns an aggregate's float into a Decimal of 15
    significant digits without rounding it to the field's places: over a few hundred rows of a
    province-scale unit that keeps float noise (1,129,266.559999999 for 1,129,266.56 — found by
    `make bench` at L). Every amount is stored in whole 分, so every sum of them is too."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(value).quantize(CENT)


class Figures:
    """actual[unit_id][code] and pending[unit_id][code], Decimals (missing → 0)."""

    def __init__(self):
        self.actual = defaultdict(lambda: defaultdict(Decimal))
        self.pending = defaultdict(lambda: defaultdict(Decimal))

    def add(self, unit_id, percent, code, approved, pending):
        share = Decimal(percent) / HUNDRED
        if approved:
            self.actual[unit_id][code] += share * exact(approved)
        if pending:
            self.pending[unit_id][code] += share * exact(pending)

    def unit_ids(self):
        return set(self.actual) | set(self.pending)

    def rolled_up(self, top_of):
        """These figures with every sub-unit's added to its top-level ancestor (`top_of`: unit_id
        → top unit_id, e.g. `units.tree.Tree.top_of`), the level the year assesses (issue 20
        item 3). Plain Python over what is already summed: no query."""
        out = Figures()
        for source, target in ((self.actual, out.actual), (self.pending, out.pending)):
            for unit_id, codes in source.items():
                top = target[top_of(unit_id)]
                for code, value in codes.items():
                    top[code] += value
        return out


def project_conditions(indicator, year, prefix="project__"):
    """Q for the project-level rules of an indicator in assessment year `year`: new only (新引进
    in that year), investment basis ≥ threshold."""
    q = Q()
    if indicator.new_only:
        q &= new_in_year(year, prefix)
    if indicator.threshold is not None and indicator.investment_basis:
        field = f"{prefix}{indicator.investment_basis}_investment"
        q &= Q(**{f"{field}__gte": indicator.threshold})
    return q


def _eligible(qs, excluded_categories, start, end, filing_required):
    """The claims the year's recognition rules let count: not 不予认定 by the office, not of an
    excluded category, not on the year's 不予认定清单, and registered (备案) by `end` when the
    year requires it."""
    qs = qs.filter(not_recognised=False).exclude(excluded_claims(start.year))
    if excluded_categories:
        qs = qs.exclude(project__category__in=list(excluded_categories))
    if filing_required:
        qs = qs.filter(project__filing_date__lte=end)
    return qs


def _by_share(qs):
    return qs.order_by().values(
        unit_id=F("project__credit_shares__unit_id"),
        percent=F("project__credit_shares__percent"),
    )


def milestone_condition(indicator, year):
    return Q(kind=indicator.milestone) & project_conditions(indicator, year)


def _milestone_aggregates(indicators, year):
    aggs = {}
    for n, ind in enumerate(indicators):
        cond = milestone_condition(ind, year)
        if ind.kind == IndicatorKind.MILESTONE_COUNT:
            aggs[f"a{n}"] = Count("pk", filter=cond & Q(status=APPROVED))
            aggs[f"p{n}"] = Count("pk", filter=cond & Q(status__in=PENDING_STATUSES))
        else:
            field = f"project__{ind.investment_basis}_investment"
            aggs[f"a{n}"] = Sum(field, filter=cond & Q(status=APPROVED))
            aggs[f"p{n}"] = Sum(field, filter=cond & Q(status__in=PENDING_STATUSES))
    return aggs


def milestone_claims(start, end, excluded_categories, filing_required=False):
    """Milestones that may count in [start, end]: dated in the period, approved or pending."""
    qs = Milestone.objects.filter(date__range=(start, end), status__in=COUNTED)
    return _eligible(qs, excluded_categories, start, end, filing_required)


def fixed_asset_claims(start, end, excluded_categories, filing_required=False):
    qs = MonthlyInvestment.objects.filter(month__range=(start, end), status__in=COUNTED)
    qs = _eligible(qs, excluded_categories, start, end, filing_required)
    return qs.annotate(counted=counted_amount())


def completed_fixed_asset_claims(start, end, excluded_categories, filing_required=False):
    """Monthly investment up to `end` of projects whose completion falls in [start, end].

    Annotated with `done_status` (the completion milestone's status): a figure is approved only
    when both the completion and the month are approved. The completion milestone is reached
    through a join in one `.filter()` call, so the aggregates reuse that join; the unique
    (project, kind) constraint on Milestone means it cannot duplicate monthly rows.
    """
    qs = MonthlyInvestment.objects.filter(
        month__lte=end,
        status__in=COUNTED,
        project__milestones__kind=MilestoneKind.COMPLETED,
        project__milestones__date__range=(start, end),
        project__milestones__status__in=COUNTED,
        project__milestones__not_recognised=False,
    ).annotate(done_status=F("project__milestones__status"), counted=counted_amount())
    return _eligible(qs, excluded_categories, start, end, filing_required)


def funds_claims(start, end, excluded_categories, filing_required=False):
    qs = FundsEntry.objects.filter(date__range=(start, end), status__in=COUNTED)
    qs = _eligible(qs, excluded_categories, start, end, filing_required)
    return qs.annotate(counted=counted_amount())


def funds_condition(indicator, year):
    q = project_conditions(indicator, year)
    if indicator.funds_source:
        q &= Q(source=indicator.funds_source)
    if indicator.outside_city_only:
        q &= Q(source_region__in=OUTSIDE_CITY_REGIONS)
    return q


def _sum_aggregates(indicators, year, condition, approved_q, pending_q):
    aggs = {}
    for n, ind in enumerate(indicators):
        cond = condition(ind, year)
        aggs[f"a{n}"] = Sum("counted", filter=cond & approved_q)
        aggs[f"p{n}"] = Sum("counted", filter=cond & pending_q)
    return aggs


def _collect(figures, rows, indicators):
    for row in rows:
        if row["unit_id"] is None:  # a project without shares cannot exist (Project.save)
            continue
        for n, ind in enumerate(indicators):
            figures.add(row["unit_id"], row["percent"], ind.code, row[f"a{n}"], row[f"p{n}"])


def compute_figures(indicators, start, end, excluded_categories, filing_required=False):
    """All units' actual and pending figures for `indicators` in [start, end] → Figures;
    `filing_required` is the year's 备案 rule."""
    year = start.year  # the period's assessment year (quarters and campaigns lie inside one)
    figures = Figures()
    milestone_inds = [
        i
        for i in indicators
        if i.kind in (IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT)
    ]
    plain_fa = [i for i in indicators if i.kind == IndicatorKind.FIXED_ASSET and not i.milestone]
    completed_fa = [i for i in indicators if i.completed_in_period]
    funds = [i for i in indicators if i.kind == IndicatorKind.FUNDS]

    if milestone_inds:
        qs = milestone_claims(start, end, excluded_categories, filing_required)
        rows = _by_share(qs).annotate(**_milestone_aggregates(milestone_inds, year))
        _collect(figures, rows, milestone_inds)
    if plain_fa:
        qs = fixed_asset_claims(start, end, excluded_categories, filing_required)
        aggs = _sum_aggregates(
            plain_fa, year, project_conditions, Q(status=APPROVED), Q(status__in=PENDING_STATUSES)
        )
        _collect(figures, _by_share(qs).annotate(**aggs), plain_fa)
    if completed_fa:
        qs = completed_fixed_asset_claims(start, end, excluded_categories, filing_required)
        approved = Q(status=APPROVED, done_status=APPROVED)
        aggs = _sum_aggregates(completed_fa, year, project_conditions, approved, ~approved)
        _collect(figures, _by_share(qs).annotate(**aggs), completed_fa)
    if funds:
        qs = funds_claims(start, end, excluded_categories, filing_required)
        aggs = _sum_aggregates(
            funds, year, funds_condition, Q(status=APPROVED), Q(status__in=PENDING_STATUSES)
        )
        _collect(figures, _by_share(qs).annotate(**aggs), funds)
    return figures
