"""The pages the bench times (issue 21): every page a user opens daily, each as the role that
opens it — the leader's dashboard, structure tab, forecast and 十佳, the forecast and the unit
explanation as a unit's staff, the review queue, alerts and 月报 grid as the office, beside the
ranking and the project list and page. Each is timed (server time, median) with its query count
and the size of its HTML, and judged in `report` against `report.DAILY_MS`.

The city is measured as it stands on a working day late in the year (the generated data runs to
20 November): the previous year's four quarters and this year's first three are published
(`publish_history`), the fourth quarter is open. Pages that compute a quarter live read a result
cached by the data version (`zhaoshang.ops.dataversion`); each page is therefore timed twice: the
first view after the cache was emptied (`cold_ms`: what the first user sees after a write — the
engine runs once for everyone) and the median of the views after it (`ms`: what users see until
the next write). The goal is judged on `ms`; `cold_ms` is reported beside it. The December case
(`dashboard_december`) is the dashboard of the open fourth quarter, which nothing has computed.
"""

import traceback

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from assessment.snapshots import compute_snapshot, publish
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
        ("dashboard", "领导看板（已发布季度）", "leader", dashboard),
        (
            "dashboard_december",
            "领导看板（12月：第四季度未测算）",
            "leader",
            _url("dashboard:index", query=f"year={year}&quarter=4"),
        ),
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
        ("my_claims", "我的申报（单位）", "staff", _url("review:my_claims")),
    ]


# The ranking as it is before and after the quarter is computed; every other page is timed with
# the published quarters in place, as on a working day.
BEFORE_SNAPSHOT = {"ranking_live"}
# What is published before the daily pages are timed: (year, quarter), oldest first.
HISTORY = [(BENCH_YEAR - 1, q) for q in (1, 2, 3, 4)] + [
    (BENCH_YEAR, q) for q in range(1, BENCH_QUARTER + 1)
]


def publish_history(user):
    """Compute and publish every quarter of HISTORY (publication runs the engine again to check
    the stored figures); returns the seconds it took."""
    import time

    start = time.perf_counter()
    for year, quarter in HISTORY:
        publish(compute_snapshot(year, quarter, user), user)
    return round(time.perf_counter() - start, 2)


def measure_page(client, url, runs, budget_s=30):
    """Server time (median), query count and HTML size of one page. The first call, with the
    cache emptied, is the cold view (`cold_ms`) and is captured for the query count; a page slower
    than the whole budget is reported from that call."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        cold, response = timed(lambda: client.get(url))
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}"}
    counted = {
        "queries": len(ctx.captured_queries),
        "slowest": slowest(ctx.captured_queries),
        "bytes": len(response.content),
        "cold_ms": round(cold * 1000, 1),
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
    published = False
    for key, label, role, url in pages():
        if key not in BEFORE_SNAPSHOT and not published:
            seconds = publish_history(by_role["reviewer"])
            out["_history"] = {"published": len(HISTORY), "seconds": seconds}
            log(f"published {len(HISTORY)} quarters in {seconds} s")
            published = True
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
        shown = out[key].get("ms", out[key].get("error"))
        log(f"{label}（{entry['role']}）: {shown} ms (cold {out[key].get('cold_ms')})")
    return out
