"""The pages the bench times (issue 21): every page a user opens daily, each as the role that
opens it — the leader's dashboard, structure tab, forecast and 十佳, the forecast and the unit
explanation as a unit's staff, the review queue, alerts and 月报 grid as the office, beside the
ranking and the project list and page. Each is timed (server time, median) with its query count
and the size of its HTML, and judged in `report` against `report.DAILY_MS`.
"""

import traceback

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from assessment.snapshots import compute_snapshot
from projects.models import Project
from units.models import Role, Unit, User
from zhaoshang.ops.bench.generator import BENCH_QUARTER, BENCH_YEAR, UNIT_PREFIX
from zhaoshang.ops.bench.timing import measure, timed

REVIEWER = "bench_reviewer"
LEADER = "bench_leader"
STAFF = "bench_staff"
ROLE_LABELS = {"reviewer": "考核办", "leader": "市领导", "staff": "单位填报员"}


def log(message):
    print(f"  · {message}", flush=True)


def slowest(queries, count=3):
    """The `count` slowest captured queries as (ms, sql shortened)."""
    ranked = sorted(queries, key=lambda q: float(q.get("time") or 0), reverse=True)
    return [(round(float(q["time"]) * 1000, 1), q["sql"][:400]) for q in ranked[:count]]


def reviewer_user():
    user, _ = User.objects.get_or_create(
        username=REVIEWER, defaults={"role": Role.REVIEWER, "display_name": "基准考核办"}
    )
    return user


def bench_unit():
    """The first unit of the synthetic city (the staff user's unit)."""
    return Unit.objects.filter(name__startswith=UNIT_PREFIX).order_by("pk").first()


def users():
    """{role key: user} of the three roles the pages are timed as."""
    unit = bench_unit()
    leader, _ = User.objects.get_or_create(
        username=LEADER, defaults={"role": Role.LEADER, "display_name": "基准市领导"}
    )
    staff, _ = User.objects.get_or_create(
        username=STAFF,
        defaults={"role": Role.UNIT_STAFF, "display_name": "基准填报员", "unit": unit},
    )
    return {"reviewer": reviewer_user(), "leader": leader, "staff": staff}


def _url(name, *args, query=""):
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def pages():
    """(key, label, role, url) of the pages to time, in order; url None when not available."""
    year, quarter = BENCH_YEAR, BENCH_QUARTER
    period = f"year={year}&quarter={quarter}"
    unit = bench_unit()
    project = Project.objects.filter(unit=unit).order_by("pk").first() if unit else None
    project_list = _url("projects:project_list")
    ranking = _url("assessment:ranking", year, quarter)
    dashboard = _url("dashboard:index", query=period)
    structure = _url("dashboard:structure", query=f"year={year}")
    forecast = _url("dashboard:forecast", query=period)
    contributors = _url("dashboard:contributors", query=f"year={year}")
    report_grid = _url("projects:report_list", query=f"year={year}")
    explanation = _url("assessment:unit_assessment", year, quarter, unit.pk) if unit else None
    project_page = _url("projects:project_detail", project.pk) if project else None
    filtered = f"{project_list}?stage=started&band=10000&category=industrial"
    return [
        ("ranking_live", "排名页（无快照，实时测算）", "reviewer", ranking),
        ("ranking", "排名页（已测算快照）", "reviewer", ranking),
        ("dashboard", "领导看板（已测算季度）", "leader", dashboard),
        ("structure", "结构分析（领导）", "leader", structure),
        ("forecast", "年末预测（领导）", "leader", forecast),
        ("forecast_staff", "年末预测（单位）", "staff", forecast),
        ("contributors", "十佳引资功臣", "leader", contributors),
        ("review_queue", "审核队列", "reviewer", _url("review:queue")),
        ("alerts", "预警（全市）", "leader", _url("projects:alert_list")),
        ("report_grid", "月报（各单位）", "reviewer", report_grid),
        ("unit_assessment", "单位考核说明", "staff", explanation),
        ("project_list", "项目列表（无筛选）", "reviewer", project_list),
        (
            "project_list_filtered",
            "项目列表（筛选：开工、1亿元以上、产业类）",
            "reviewer",
            filtered,
        ),
        ("project_detail", "项目页（单位）", "staff", project_page),
    ]


# The ranking as it is before and after the quarter is computed; every other page is timed with
# the quarter's snapshot in place, as on a working day.
BEFORE_SNAPSHOT = {"ranking_live"}


def measure_page(client, url, runs, budget_s=30):
    """Server time (median), query count and HTML size of one page. The first call is captured
    for the query count; a page slower than the whole budget is reported from that call."""
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


def measure_pages(runs, budget_s=30):
    """{key: {label, role, url, ms, n, queries, bytes, slowest} or {…, error}} of `pages()`."""
    by_role = users()
    clients = {}
    for role, user in by_role.items():
        clients[role] = Client(HTTP_HOST="localhost")
        clients[role].force_login(user)
    out = {}
    computed = False
    for key, label, role, url in pages():
        if key not in BEFORE_SNAPSHOT and not computed:
            compute_snapshot(BENCH_YEAR, BENCH_QUARTER, by_role["reviewer"])
            computed = True
        entry = {"label": label, "role": ROLE_LABELS[role], "url": url}
        if url is None:
            out[key] = {**entry, "error": "not available (URL not defined yet)"}
            log(f"{label}: not available")
            continue
        try:
            out[key] = {**entry, **measure_page(clients[role], url, runs, budget_s)}
        except Exception as exc:  # a page that fails is reported, the bench goes on
            out[key] = {**entry, "error": f"{type(exc).__name__}: {exc}"}
            traceback.print_exc()
        log(f"{label}（{entry['role']}）: {out[key].get('ms', out[key].get('error'))} ms")
    return out
