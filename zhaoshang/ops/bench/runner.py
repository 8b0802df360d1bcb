"""The worker: one scale on one (scratch) database, measured; results as a JSON-able dict.

Runs in its own process (`manage.py bench --worker`), started by `orchestrate` with SQLITE_PATH or
DATABASE_URL pointing at a scratch database, so the developer's database is never touched.
"""

import os
import platform
import sqlite3
import sys
import traceback
from importlib import import_module

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from assessment.actuals import compute_figures
from assessment.engine import compute, load_year, period_of
from assessment.snapshots import compute_snapshot
from units.models import Role, User
from zhaoshang.ops.bench.exports import measure_export, measure_import
from zhaoshang.ops.bench.generator import BENCH_QUARTER, BENCH_YEAR, SCALES, generate, is_postgres
from zhaoshang.ops.bench.methods import (
    bound_actuals,
    bound_figures,
    disagreements,
    engine_figures,
    loop_actuals,
)
from zhaoshang.ops.bench.timing import measure, seconds, timed

REVIEWER = "bench_reviewer"


def log(message):
    print(f"  · {message}", flush=True)


def db_version():
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def slowest(queries, count=3):
    """The `count` slowest captured queries as (ms, sql shortened)."""
    ranked = sorted(queries, key=lambda q: float(q.get("time") or 0), reverse=True)
    return [(round(float(q["time"]) * 1000, 1), q["sql"][:400]) for q in ranked[:count]]


def reviewer_user():
    user, _ = User.objects.get_or_create(
        username=REVIEWER, defaults={"role": Role.REVIEWER, "display_name": "基准考核办"}
    )
    return user


def measure_computation(runs):
    """Engine, hand-written SQL bound and per-unit loop: times, ratios, agreement."""
    out = {}
    year, quarter = BENCH_YEAR, BENCH_QUARTER
    engine_t, (engine, engine_pending) = measure(lambda: engine_figures(year, quarter), runs)
    log(f"engine {engine_t['ms']} ms")
    # The bound gives the engine's own output: verified actuals and pending (待核实) figures.
    bound_t, (bound, bound_pending) = measure(lambda: bound_figures(year, quarter), runs)
    log(f"hand-written SQL, same figures {bound_t['ms']} ms")
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
        bound_approved=approved_t,
        loop=loop_t,
        engine_queries=len(ctx.captured_queries),
        engine_slowest=slowest(ctx.captured_queries),
        ratio_engine_bound=round(engine_t["ms"] / bound_t["ms"], 2) if bound_t["ms"] else None,
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


def dashboard_url():
    """The dashboard's first URL without arguments, or None while it does not exist."""
    try:
        module = import_module("assessment.dashboard.urls")
    except ImportError:
        return None
    for pattern in getattr(module, "urlpatterns", []):
        name = getattr(pattern, "name", None)
        if name and not pattern.pattern.converters:
            try:
                return reverse(f"dashboard:{name}")
            except NoReverseMatch:
                continue
    return None


def pages(user):
    """(label, url) of the pages to time; url None when not available yet."""
    try:
        project_list = reverse("projects:project_list")
    except NoReverseMatch:
        project_list = None
    ranking = reverse("assessment:ranking", args=[BENCH_YEAR, BENCH_QUARTER])
    filtered = (
        f"{project_list}?stage=started&band=10000&category=industrial" if project_list else None
    )
    return [
        ("ranking_live", "排名页（无快照，实时测算）", ranking),
        ("ranking", "排名页（已测算快照）", ranking),
        ("dashboard", "领导看板", dashboard_url()),
        ("project_list", "项目列表（无筛选）", project_list),
        ("project_list_filtered", "项目列表（筛选：开工、1亿元以上、产业类）", filtered),
        ("contributors", "十佳引资功臣", contributors_url()),
    ]


def contributors_url():
    try:
        return f"{reverse('dashboard:contributors')}?year={BENCH_YEAR}"
    except NoReverseMatch:
        return None


def measure_page(client, url, runs, budget_s=30):
    """Server time (median) and query count of one page. The first call is captured for the
    query count; a page slower than the whole budget is reported from that single call."""
    with CaptureQueriesContext(connection) as ctx:
        cold, response = timed(lambda: client.get(url))
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}"}
    counted = {
        "queries": len(ctx.captured_queries),
        "slowest": slowest(ctx.captured_queries),
        "bytes": len(response.content),
    }
    if cold > budget_s:
        return {"ms": round(cold * 1000, 1), "n": 1, "cold_only": True, **counted}
    timing, _ = measure(lambda: client.get(url), runs, warmup=False, budget_s=budget_s)
    return {**timing, **counted}


def measure_pages(runs):
    user = reviewer_user()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    out = {}
    for key, label, url in pages(user):
        if key == "ranking":
            compute_snapshot(BENCH_YEAR, BENCH_QUARTER, user)
        if url is None:
            out[key] = {"label": label, "error": "not available (URL not defined yet)"}
            log(f"{label}: not available")
            continue
        try:
            out[key] = {"label": label, "url": url, **measure_page(client, url, runs)}
        except Exception as exc:  # a page that fails is reported, the bench goes on
            out[key] = {"label": label, "url": url, "error": f"{type(exc).__name__}: {exc}"}
            traceback.print_exc()
        log(f"{label}: {out[key].get('ms', out[key].get('error'))} ms")
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
