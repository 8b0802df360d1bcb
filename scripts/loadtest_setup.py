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

# Users: this many read-only (reviewer/leader) accounts; the rest are unit staff.
READ_ONLY_USERS = 6


def log(message):
    print(message, flush=True)


SETUP_USERS = r"""
import json, sys
from django.contrib.auth.hashers import make_password
from assessment.models import Snapshot
from projects.models import Project
from units.models import Role, Unit, User

count, read_only, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
hashed = make_password(password)  # one hash for every user: hashing 50 times is slow
units = [
    u for u in Unit.objects.filter(is_active=True).order_by("sort_order", "pk")
    if Project.objects.filter(unit=u).exists()
]
out = []
for n in range(count):
    if n < read_only:
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
        "unit_user": unit is not None,
        "projects": list(projects.values_list("pk", flat=True)[:20]),
    })
published = (
    Snapshot.objects.filter(published_at__isnull=False)
    .order_by("-year__year", "-quarter").select_related("year").first()
)
print("LOADTEST_JSON " + json.dumps({
    "users": out,
    "ranking": [published.year.year, published.quarter] if published else None,
}))
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


def prepare(env, users):
    log(f"· 创建临时数据库 {DB_NAME}，迁移，载入演示数据……")
    create_database()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    out = subprocess.run(
        [PYTHON, "-c", _shell_wrapper(), str(users), str(READ_ONLY_USERS), PASSWORD],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("LOADTEST_JSON "))
    return json.loads(line.split(" ", 1)[1])


def _shell_wrapper():
    """SETUP_USERS run with Django set up and the script's own argv (manage.py shell -c has
    no argv of its own)."""
    return (
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'zhaoshang.settings')\n"
        "django.setup()\n" + SETUP_USERS
    )
