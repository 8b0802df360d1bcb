"""Set-up half of the load test (scripts/loadtest.py): the scratch PostgreSQL database, the
server environment with production settings, and the load-test users. Kept apart so the load test
itself stays readable; nothing here sends a request."""

import json
import os
import secrets
import subprocess
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
DB_NAME = "zs_load"
PG_URL = os.environ.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "zs-load-" + secrets.token_hex(6)

# Users: a quarter are city roles (leaders and reviewers, alternating); the rest are unit staff.
CITY_SHARE = 0.25


def log(message):
    print(message, flush=True)


SETUP_USERS = r"""
import json, sys
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from assessment.models import Snapshot
from projects.models import Project
from units.models import Role, Unit, User

count, city, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
hashed = make_password(password)  # one hash for every user: hashing 50 times is slow
published = (
    Snapshot.objects.filter(published_at__isnull=False)
    .order_by("-year__year", "-quarter").select_related("year").first()
)
year, quarter = (published.year.year, published.quarter) if published else (None, None)
units = [
    u for u in Unit.objects.filter(is_active=True).order_by("sort_order", "pk")
    if Project.objects.filter(unit=u).exists()
]
out = []
for n in range(count):
    if n < city:
        role, unit = (Role.REVIEWER if n % 2 else Role.LEADER), None
    else:
        role, unit = Role.UNIT_STAFF, units[n % len(units)]
    name = f"load{n:02d}"
    User.objects.update_or_create(
        username=name,
        defaults={"role": role, "unit": unit, "password": hashed, "display_name": name},
    )
    projects = Project.objects.filter(**({"unit": unit} if unit else {})).order_by("pk")
    out.append({
        "username": name,
        "role": {Role.LEADER: "leader", Role.REVIEWER: "reviewer"}.get(role, "staff"),
        "unit": unit.pk if unit else None,
        "projects": list(projects.values_list("pk", flat=True)[:20]),
        "explanation": (
            reverse("assessment:unit_assessment", args=[year, quarter, unit.pk])
            if unit and published else None
        ),
    })
# The dashboard, structure, forecast and 十佳 as a user opens them: the current period.
urls = {
    "dashboard": reverse("dashboard:index"),
    "structure": reverse("dashboard:structure"),
    "forecast": reverse("dashboard:forecast"),
    "contributors": reverse("dashboard:contributors"),
    "review_queue": reverse("review:queue"),
    "alerts": reverse("projects:alert_list"),
    "report_grid": reverse("projects:report_list"),
    "my_claims": reverse("review:my_claims"),
    "ranking": reverse("assessment:ranking", args=[year, quarter]) if published else None,
}
print("LOADTEST_JSON " + json.dumps({
    "users": out,
    "urls": urls,
    "ranking": [year, quarter] if published else None,
}))
"""

# The bench's synthetic city (zhaoshang.ops.bench) at a scale, as on a working day in November:
# last year and this year's Q1–Q3 published (the bench's own `publish_history`).
GENERATE_CITY = r"""
import sys
from zhaoshang.ops.bench.generator import SCALES, generate
from zhaoshang.ops.bench.pages import publish_history, reviewer_user
generate(SCALES[sys.argv[1]])
print("published in", publish_history(reviewer_user()), "s")
"""


# --- scratch database ----------------------------------------------------------------------


def admin_sql(statement):
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def create_database():
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")


def drop_database():
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def server_env(static_root):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(static_root),
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
        timeout=600,
    )
    return result.stdout if capture else None


def prepare(env, users, scale="demo"):
    """The scratch database with the demo city (`scale` "demo") or the bench's synthetic city
    at `scale` (S, M, L), and the load-test users; returns the users and the URLs to visit."""
    create_database()
    manage(env, "migrate", "--noinput", "-v", "0")
    if scale == "demo":
        log(f"· 已创建临时数据库 {DB_NAME}，载入演示数据……")
        manage(env, "load_demo")
    else:
        log(f"· 已创建临时数据库 {DB_NAME}，生成 {scale} 规模模拟城市并发布历史季度……")
        run_python(env, GENERATE_CITY, scale)
        with psycopg.connect(f"{PG_URL}/{DB_NAME}", autocommit=True) as conn:
            conn.execute("ANALYZE")  # what autovacuum does on a live server
    manage(env, "collectstatic", "--noinput", "-v", "0")
    city = max(2, round(users * CITY_SHARE))
    out = run_python(env, SETUP_USERS, str(users), str(city), PASSWORD)
    line = next(x for x in out.splitlines() if x.startswith("LOADTEST_JSON "))
    return json.loads(line.split(" ", 1)[1])


def run_python(env, code, *args):
    """`code` run with Django set up and `args` as its argv; returns its standard output."""
    return subprocess.run(
        [PYTHON, "-c", _shell_wrapper(code), *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1200,
    ).stdout


def _shell_wrapper(code):
    """`code` with Django set up and the script's own argv (manage.py shell -c has no argv of
    its own)."""
    return (
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'zhaoshang.settings')\n"
        "django.setup()\n" + code
    )
