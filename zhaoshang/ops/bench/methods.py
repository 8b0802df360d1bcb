"""One quarter's actual figures computed three ways, so the engine can be held against its bounds.

- `engine_actuals`: the real engine, `assessment.engine.compute(year, quarter)`;
- `bound_figures`: one hand-written SQL per indicator through the raw driver cursor, grouped by
  (credited unit, share percent), giving the same two figures the engine gives — the verified
  actual and the reported-but-not-yet-verified (待核实) amount — the least work the database can
  do for the engine's output, and the bound the engine is held against;
- `bound_actuals`: the same queries for the verified actual alone (a reference: less than the
  engine shows, so less work);
- `loop_actuals`: what home-made systems do — for each unit, for each indicator, one ORM
  aggregate query.

All three return {unit_id: {indicator code: Decimal}} with zero figures left out, so they can be
compared exactly with `disagreements`. Shares are applied in Python with Decimal in all three
(SQLite has no exact decimal arithmetic); the database sums per (unit, percent) group.
"""

import datetime
import decimal
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from assessment.engine import compute, load_year, period_of
from assessment.models import IndicatorKind
from projects.models import (
    PENDING_STATUSES,
    ClaimStatus,
    FundsEntry,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
)
from projects.newness import new_in_year
from units.models import Unit

APPROVED = str(ClaimStatus.APPROVED)
PENDING = [str(status) for status in PENDING_STATUSES]
COUNTED = [APPROVED, *PENDING]
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# How Django turns an SQLite float sum of a two-place DecimalField back into a Decimal.
_FLOAT_CONTEXT = decimal.Context(prec=15)


def engine_figures(year, quarter):
    """(actual, pending) of every unit from the real engine (the full compute, ranks and all)."""
    result = compute(year, quarter)
    out = ({}, {})
    for entity in result.units:
        for figures, attr in zip(out, ("actual", "pending"), strict=True):
            values = {c: getattr(r, attr) for c, r in entity.indicators.items() if getattr(r, attr)}
            if values:
                figures[entity.id] = values
    return out


def engine_actuals(year, quarter):
    """Actuals of every unit from the real engine."""
    return engine_figures(year, quarter)[0]


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


# 新引进 in year %s (`projects.newness`): the year's override, else not started before the year —
# the submitted signing's date, or without one the registration time, from 1 January on.
NEW_IN_YEAR_SQL = (
    "p.id IN (SELECT np.id FROM projects_project np"
    " LEFT JOIN projects_newnessoverride o ON o.project_id = np.id AND o.year = %s"
    " LEFT JOIN projects_milestone s ON s.project_id = np.id AND s.kind = 'signed'"
    " AND s.status NOT IN ('draft', 'rejected')"
    " WHERE COALESCE(o.is_new, CASE WHEN s.id IS NOT NULL THEN s.date >= %s"
    " ELSE np.created >= %s END))"
)


def _year_start(year):
    """1 January of `year`: as a date, and as the start of that day in the site's time zone."""
    day = datetime.date(year, 1, 1)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return day, connection.ops.adapt_datetimefield_value(moment)


def _project_sql(ind, year, excluded, params):
    """WHERE fragments for the project-level rules: new only, threshold, excluded categories."""
    parts = []
    if ind.new_only:
        parts.append(NEW_IN_YEAR_SQL)
        params.extend([year, *_year_start(year)])
    if ind.threshold is not None and ind.investment_basis:
        parts.append(f"p.{ind.investment_basis}_investment >= %s")
        params.append(ind.threshold)
    if excluded:
        parts.append(f"p.category NOT IN ({', '.join(['%s'] * len(excluded))})")
        params.extend(excluded)
    return "".join(f" AND {p}" for p in parts)


def _literal(status):
    # Claim statuses are the code's own constants (letters and underscores): safe as literals.
    assert status.replace("_", "").isalpha()
    return f"'{status}'"


APPROVED_SQL = _literal(APPROVED)
COUNTED_SQL = ", ".join(_literal(status) for status in COUNTED)


def _select(aggregate, expr, approved, with_pending):
    """The value column(s): verified only, or verified and pending (counted, not verified)."""
    if not with_pending:
        return f"{aggregate}({expr})"
    return (
        f"{aggregate}(CASE WHEN {approved} THEN {expr} END),"
        f" {aggregate}(CASE WHEN NOT ({approved}) THEN {expr} END)"
    )


def bound_sql(ind, start, end, excluded, with_pending=False):
    """(sql, params) of the one hand-written query for indicator `ind` over [start, end]: rows of
    (unit, percent, verified) — or (unit, percent, verified, pending) `with_pending`."""
    params = []
    share = "JOIN projects_creditshare cs ON cs.project_id = p.id"

    def status(column):
        return f"{column} IN ({COUNTED_SQL})" if with_pending else f"{column} = {APPROVED_SQL}"

    if ind.kind in (IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT):
        count = ind.kind == IndicatorKind.MILESTONE_COUNT
        value = _select(
            "COUNT" if count else "SUM",
            "1" if count else f"p.{ind.investment_basis}_investment",
            f"m.status = {APPROVED_SQL}",
            with_pending,
        )
        params += [ind.milestone, start, end]
        sql = (
            f" FROM projects_milestone m JOIN projects_project p ON p.id = m.project_id {share}"
            f" WHERE m.kind = %s AND {status('m.status')} AND m.date BETWEEN %s AND %s"
        )
    elif ind.completed_in_period:
        approved = f"c.status = {APPROVED_SQL} AND mi.status = {APPROVED_SQL}"
        value = _select("SUM", "mi.amount", approved, with_pending)
        params += [str(MilestoneKind.COMPLETED), start, end, end]
        sql = (
            " FROM projects_monthlyinvestment mi"
            " JOIN projects_milestone c ON c.project_id = mi.project_id AND c.kind = %s"
            f" JOIN projects_project p ON p.id = mi.project_id {share}"
            f" WHERE {status('c.status')} AND c.date BETWEEN %s AND %s"
            f" AND {status('mi.status')} AND mi.month <= %s"
        )
    elif ind.kind == IndicatorKind.FIXED_ASSET:
        value = _select("SUM", "mi.amount", f"mi.status = {APPROVED_SQL}", with_pending)
        params += [start, end]
        sql = (
            " FROM projects_monthlyinvestment mi JOIN projects_project p ON p.id = mi.project_id"
            f" {share} WHERE {status('mi.status')} AND mi.month BETWEEN %s AND %s"
        )
    else:
        value = _select("SUM", "f.amount", f"f.status = {APPROVED_SQL}", with_pending)
        params += [start, end]
        sql = (
            f" FROM projects_fundsentry f JOIN projects_project p ON p.id = f.project_id {share}"
            f" WHERE {status('f.status')} AND f.date BETWEEN %s AND %s"
        )
    sql = f"SELECT cs.unit_id, cs.percent, {value}{sql}"
    sql += _project_sql(ind, start.year, excluded, params)
    return sql + " GROUP BY cs.unit_id, cs.percent", params


def _run_bound(year, quarter, with_pending):
    ay = load_year(year)
    start, end = period_of(ay.year, quarter)
    excluded = list(ay.excluded_categories or [])
    actual, pending = {}, {}
    with connection.cursor() as wrapper:
        raw = wrapper.cursor  # the driver's own cursor: no Django query logging or wrapping
        for ind in ay.indicators.all():
            sql, params = bound_sql(ind, start, end, excluded, with_pending)
            raw.execute(sql, params)
            for unit_id, percent, value, *rest in raw.fetchall():
                _add(actual, unit_id, percent, ind.code, value)
                if rest:
                    _add(pending, unit_id, percent, ind.code, rest[0])
    return _finish(actual), _finish(pending)


def bound_figures(year, quarter):
    """(actual, pending) from one hand-written SQL per indicator: the engine's own output."""
    return _run_bound(year, quarter, with_pending=True)


def bound_actuals(year, quarter):
    """Verified actuals alone from one hand-written SQL per indicator (a reference)."""
    return _run_bound(year, quarter, with_pending=False)[0]


def _project_q(ind, year, excluded, prefix="project__"):
    q = Q()
    if ind.new_only:
        q &= new_in_year(year, prefix)
    if ind.threshold is not None and ind.investment_basis:
        q &= Q(**{f"{prefix}{ind.investment_basis}_investment__gte": ind.threshold})
    if excluded:
        q &= ~Q(**{f"{prefix}category__in": excluded})
    return q


def loop_query(ind, unit_id, start, end, excluded):
    """The per-unit ORM query of the loop method: rows of (percent, value) for one unit."""
    mine = {"project__credit_shares__unit_id": unit_id}
    percent = "project__credit_shares__percent"
    rules = _project_q(ind, start.year, excluded)
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
