"""The worker: one scale on one (scratch) database, measured; results as a JSON-able dict.

Runs in its own process (`manage.py bench --worker`), started by `orchestrate` with SQLITE_PATH or
DATABASE_URL pointing at a scratch database, so the developer's database is never touched.
"""

import os
import platform
import sqlite3
import sys
import traceback

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.actuals import compute_figures
from assessment.engine import compute, load_year, period_of
from assessment.models import AssessmentYear
from zhaoshang.ops.bench.exports import measure_export, measure_import
from zhaoshang.ops.bench.generator import BENCH_QUARTER, BENCH_YEAR, SCALES, generate, is_postgres
from zhaoshang.ops.bench.methods import (
    bound_actuals,
    bound_figures,
    disagreements,
    engine_figures,
    loop_actuals,
)
from zhaoshang.ops.bench.pages import log, measure_pages, reviewer_user, slowest
from zhaoshang.ops.bench.rawbound import measure_bound
from zhaoshang.ops.bench.timing import measure, seconds


def db_version():
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def measure_computation(runs):
    """Engine, its bound (its own statements run raw), hand-written SQL and per-unit loop:
    times, ratios, agreement. The generated city has the previous year (issue 21: with one,
    each engine run also reads last year's fourth quarter)."""
    out = {}
    year, quarter = BENCH_YEAR, BENCH_QUARTER
    engine_t, (engine, engine_pending) = measure(lambda: engine_figures(year, quarter), runs)
    log(f"engine {engine_t['ms']} ms")
    bound_t, statements, bound_rows = measure_bound(year, quarter, runs)
    log(f"engine's own {statements} statements run raw {bound_t['ms']} ms")
    # Hand-written SQL giving the engine's output (verified and pending figures): a check that
    # the figures agree, and a reference time.
    written_t, (bound, bound_pending) = measure(lambda: bound_figures(year, quarter), runs)
    log(f"hand-written SQL, same figures {written_t['ms']} ms")
    approved_t, approved_only = measure(lambda: bound_actuals(year, quarter), runs)
    log(f"hand-written SQL, verified only {approved_t['ms']} ms")
    loop_t, loop = measure(lambda: loop_actuals(year, quarter), runs, budget_s=60)
    log(f"per-unit loop {loop_t['ms']} ms (n={loop_t['n']})")
    # Where the engine's time goes: its aggregate queries, slowest first.
    ay = load_year(year)
    start, end = period_of(year, quarter)
    indicators = list(ay.indicators.all())
    figures_t, _ = measure(
        lambda: compute_figures(indicators, start, end, ay.excluded_categories), runs
    )
    with CaptureQueriesContext(connection) as ctx:
        compute(year, quarter)
    out.update(
        engine=engine_t,
        engine_figures_only=figures_t,
        bound=bound_t,
        bound_statements=statements,
        bound_rows=bound_rows,
        handwritten=written_t,
        bound_approved=approved_t,
        previous_year=AssessmentYear.objects.filter(year=year - 1).exists(),
        loop=loop_t,
        engine_queries=len(ctx.captured_queries),
        engine_slowest=slowest(ctx.captured_queries),
        ratio_engine_bound=round(engine_t["ms"] / bound_t["ms"], 2) if bound_t["ms"] else None,
        ratio_engine_handwritten=(
            round(engine_t["ms"] / written_t["ms"], 2) if written_t["ms"] else None
        ),
        ratio_engine_bound_approved=(
            round(engine_t["ms"] / approved_t["ms"], 2) if approved_t["ms"] else None
        ),
        ratio_loop_engine=round(loop_t["ms"] / engine_t["ms"], 1) if engine_t["ms"] else None,
        units_with_figures=len(engine),
        figures=sum(len(f) for f in engine.values()),
        agree_bound=[
            *disagreements(engine, bound),
            *disagreements(engine_pending, bound_pending),
            *disagreements(engine, approved_only),
        ],
        agree_loop=disagreements(engine, loop),
        pending_figures=sum(len(f) for f in engine_pending.values()),
    )
    out["agree"] = not out["agree_bound"] and not out["agree_loop"]
    out["agree_bound"] = [[str(x) for x in d] for d in out["agree_bound"]]
    out["agree_loop"] = [[str(x) for x in d] for d in out["agree_loop"]]
    return out


def versions():
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": db_version(),
        "sqlite_library": sqlite3.sqlite_version,
    }


def run(scale_name, runs=5, import_projects=None):
    """Generate `scale_name` into the (empty, scratch) default database and measure everything.

    The import workbook has as many projects as the scale (10 monthly rows each) unless
    `import_projects` says otherwise; at L (2.2 million rows) it is skipped unless asked for."""
    # Production runs with DEBUG off: no query log, no debug template machinery.
    settings.DEBUG = False
    scale = SCALES[scale_name]
    if import_projects is None:
        import_projects = 0 if scale_name == "L" else scale.projects
    result = {"scale": scale_name, "label": scale.label, "backend": connection.vendor}
    result["load_start"] = os.getloadavg()
    result["migrate_s"], _ = seconds(lambda: call_command("migrate", verbosity=0))
    log(f"migrated in {result['migrate_s']} s; generating {scale.label}")
    result["generate_s"], result["rows"] = seconds(lambda: generate(scale))
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does on a live server
    log(f"generated in {result['generate_s']} s: {result['rows']}")
    result["versions"] = versions()
    sections = [
        ("computation", lambda: measure_computation(runs)),
        ("pages", lambda: measure_pages(runs)),
        ("export", lambda: measure_export(reviewer_user(), runs, scale_name)),
        ("import", lambda: measure_import(import_projects, runs)),
    ]
    for key, fn in sections:
        try:
            result[key] = fn()
        except Exception as exc:
            traceback.print_exc(file=sys.stdout)
            result[key] = {"error": f"{type(exc).__name__}: {exc}"}
    result["load"] = f"{os.getloadavg()[0]:.1f}"
    result["load"] = f"{result.pop('load_start')[0]:.1f} / {result['load']}"
    return result
