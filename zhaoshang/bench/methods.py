"""One quarter's actual figures computed three ways, so the engine can be held against its bounds.

- `engine_actuals`: the real engine, `assessment.engine.compute(year, quarter)`;
- `bound_actuals`: one hand-written SQL per indicator through the raw driver cursor, grouped by
  (credited unit, share percent) — the least work the database can do for these figures;
- `loop_actuals`: what home-made systems do — for each unit, for each indicator, one ORM
  aggregate query.

All three return {unit_id: {indicator code: Decimal}} with zero figures left out, so they can be
compared exactly with `disagreements`. Shares are applied in Python with Decimal in all three
(SQLite has no exact decimal arithmetic); the database sums per (unit, percent) group.
"""

import decimal
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from assessment.engine import compute, load_year, period_of
from assessment.models import IndicatorKind
from projects.models import ClaimStatus, FundsEntry, Milestone, MilestoneKind, MonthlyInvestment
from units.models import Unit

APPROVED = str(ClaimStatus.APPROVED)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# How Django turns an SQLite float sum of a two-place DecimalField back into a Decimal.
_FLOAT_CONTEXT = decimal.Context(prec=15)


def engine_actuals(year, quarter):
    """Actuals of every unit from the real engine (the full compute, ranks and all)."""
    result = compute(year, quarter)
    out = {}
    for entity in result.units:
        figures = {code: r.actual for code, r in entity.indicators.items() if r.actual}
        if figures:
            out[entity.id] = figures
    return out


def _decimal(value):
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        return _FLOAT_CONTEXT.create_decimal_from_float(value).quantize(CENT)
    return Decimal(value)


def _add(out, unit_id, percent, code, value):
    value = _decimal(value)
    if value:
        figures = out.setdefault(unit_id, defaultdict(Decimal))
        figures[code] += _decimal(percent) / HUNDRED * value


def _finish(out):
    return {u: {c: v for c, v in f.items() if v} for u, f in out.items() if any(f.values())}


def _project_sql(ind, excluded, params):
    """WHERE fragments for the project-level rules: new only, threshold, excluded categories."""
    parts = []
    if ind.new_only:
        parts.append("p.is_new = %s")
        params.append(True)
    if ind.threshold is not None and ind.investment_basis:
        parts.append(f"p.{ind.investment_basis}_investment >= %s")
        params.append(ind.threshold)
    if excluded:
        parts.append(f"p.category NOT IN ({', '.join(['%s'] * len(excluded))})")
        params.extend(excluded)
    return "".join(f" AND {p}" for p in parts)


def bound_sql(ind, start, end, excluded):
    """(sql, params) of the one hand-written query for indicator `ind` over [start, end]."""
    params = []
    share = "JOIN projects_creditshare cs ON cs.project_id = p.id"
    if ind.kind in (IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT):
        value = (
            "COUNT(*)"
            if ind.kind == IndicatorKind.MILESTONE_COUNT
            else f"SUM(p.{ind.investment_basis}_investment)"
        )
        params += [ind.milestone, APPROVED, start, end]
        sql = (
            f"SELECT cs.unit_id, cs.percent, {value} FROM projects_milestone m"
            f" JOIN projects_project p ON p.id = m.project_id {share}"
            " WHERE m.kind = %s AND m.status = %s AND m.date BETWEEN %s AND %s"
        )
    elif ind.completed_in_period:
        params += [str(MilestoneKind.COMPLETED), APPROVED, start, end, APPROVED, end]
        sql = (
            "SELECT cs.unit_id, cs.percent, SUM(mi.amount) FROM projects_monthlyinvestment mi"
            " JOIN projects_milestone c ON c.project_id = mi.project_id AND c.kind = %s"
            f" JOIN projects_project p ON p.id = mi.project_id {share}"
            " WHERE c.status = %s AND c.date BETWEEN %s AND %s"
            " AND mi.status = %s AND mi.month <= %s"
        )
    elif ind.kind == IndicatorKind.FIXED_ASSET:
        params += [APPROVED, start, end]
        sql = (
            "SELECT cs.unit_id, cs.percent, SUM(mi.amount) FROM projects_monthlyinvestment mi"
            f" JOIN projects_project p ON p.id = mi.project_id {share}"
            " WHERE mi.status = %s AND mi.month BETWEEN %s AND %s"
        )
    else:
        params += [APPROVED, start, end]
        sql = (
            "SELECT cs.unit_id, cs.percent, SUM(f.amount) FROM projects_fundsentry f"
            f" JOIN projects_project p ON p.id = f.project_id {share}"
            " WHERE f.status = %s AND f.date BETWEEN %s AND %s"
        )
        if ind.funds_source:
            sql += " AND f.source = %s"
            params.append(ind.funds_source)
    sql += _project_sql(ind, excluded, params)
    return sql + " GROUP BY cs.unit_id, cs.percent", params


def bound_actuals(year, quarter):
    """Actuals from one hand-written SQL per indicator, run through the raw driver cursor."""
    ay = load_year(year)
    start, end = period_of(ay.year, quarter)
    excluded = list(ay.excluded_categories or [])
    out = {}
    with connection.cursor() as wrapper:
        raw = wrapper.cursor  # the driver's own cursor: no Django query logging or wrapping
        for ind in ay.indicators.all():
            sql, params = bound_sql(ind, start, end, excluded)
            raw.execute(sql, params)
            for unit_id, percent, value in raw.fetchall():
                _add(out, unit_id, percent, ind.code, value)
    return _finish(out)


def _project_q(ind, excluded, prefix="project__"):
    q = Q()
    if ind.new_only:
        q &= Q(**{f"{prefix}is_new": True})
    if ind.threshold is not None and ind.investment_basis:
        q &= Q(**{f"{prefix}{ind.investment_basis}_investment__gte": ind.threshold})
    if excluded:
        q &= ~Q(**{f"{prefix}category__in": excluded})
    return q


def loop_query(ind, unit_id, start, end, excluded):
    """The per-unit ORM query of the loop method: rows of (percent, value) for one unit."""
    mine = {"project__credit_shares__unit_id": unit_id}
    percent = "project__credit_shares__percent"
    rules = _project_q(ind, excluded)
    if ind.kind in (IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT):
        qs = Milestone.objects.filter(
            rules, kind=ind.milestone, status=APPROVED, date__range=(start, end), **mine
        )
        value = (
            Count("pk")
            if ind.kind == IndicatorKind.MILESTONE_COUNT
            else Sum(f"project__{ind.investment_basis}_investment")
        )
    elif ind.completed_in_period:
        qs = MonthlyInvestment.objects.filter(
            rules,
            status=APPROVED,
            month__lte=end,
            project__milestones__kind=MilestoneKind.COMPLETED,
            project__milestones__status=APPROVED,
            project__milestones__date__range=(start, end),
            **mine,
        )
        value = Sum("amount")
    elif ind.kind == IndicatorKind.FIXED_ASSET:
        qs = MonthlyInvestment.objects.filter(
            rules, status=APPROVED, month__range=(start, end), **mine
        )
        value = Sum("amount")
    else:
        source = {"source": ind.funds_source} if ind.funds_source else {}
        qs = FundsEntry.objects.filter(
            rules, status=APPROVED, date__range=(start, end), **source, **mine
        )
        value = Sum("amount")
    return qs.order_by().values(percent).annotate(value=value).values_list(percent, "value")


def loop_actuals(year, quarter):
    """Actuals from a loop over units and indicators, one ORM aggregate query each."""
    ay = load_year(year)
    start, end = period_of(ay.year, quarter)
    excluded = list(ay.excluded_categories or [])
    indicators = list(ay.indicators.all())
    out = {}
    for unit_id in Unit.objects.values_list("pk", flat=True):
        for ind in indicators:
            for percent, value in loop_query(ind, unit_id, start, end, excluded):
                _add(out, unit_id, percent, ind.code, value)
    return _finish(out)


def disagreements(reference, other, limit=5):
    """[(unit_id, code, reference value, other value)] where two methods differ (first `limit`)."""
    diffs = []
    for unit_id in sorted(set(reference) | set(other)):
        a, b = reference.get(unit_id, {}), other.get(unit_id, {})
        for code in sorted(set(a) | set(b)):
            if a.get(code, Decimal(0)) != b.get(code, Decimal(0)):
                diffs.append((unit_id, code, a.get(code), b.get(code)))
                if len(diffs) >= limit:
                    return diffs
    return diffs
