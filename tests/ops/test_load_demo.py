"""`load_demo` touches only the demo's own records (issue 15 path 9): it loads into an empty
database, changes nothing when run again on the demo database, and refuses — saying so in
Chinese, with status 3 that `make run` goes on from — a database holding anybody else's data."""

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from assessment.models import SnapshotStatus
from projects.models import ClaimEvent, ClaimStatus
from tests.factories import (
    AssessmentYearFactory,
    FundsEntryFactory,
    ProjectFactory,
    SnapshotFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Role, Unit
from zhaoshang.ops.demo import marker
from zhaoshang.ops.management.commands.load_demo import REFUSED
from zhaoshang.ops.models import DemoDatabase

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


def every_table():
    """{table: (rows, SHA-256 of its sorted rows)} of the whole database."""
    digest = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — a name from the catalogue
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            digest[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digest


def load():
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    return out.getvalue()


def refused():
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("load_demo", stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == REFUSED
    return err.getvalue()


def test_a_rerun_on_the_demo_database_changes_nothing():
    first = load()
    assert "2025 年第 1–4 季度已发布" in first and "2026 年第 1–2 季度已发布" in first
    assert "2026 年第 3 季度已测算（未发布）" in first
    assert Unit.objects.filter(name="东湖区").exists() and DemoDatabase.objects.count() == 1
    before = every_table()
    events = list(ClaimEvent.objects.order_by("pk").values())
    again = load()
    assert "本次未改动任何记录" in again
    assert every_table() == before
    assert list(ClaimEvent.objects.order_by("pk").values()) == events


@pytest.fixture
def real_city(db):
    """A real database: a unit, its project, a claim imported from Excel with its event."""
    reviewer = UserFactory(username="wu", role=Role.REVIEWER, unit=None, display_name="吴考核")
    project = ProjectFactory(unit=UnitFactory(name="东湖区"), name="真实的项目")
    claim = FundsEntryFactory(project=project, status=ClaimStatus.SUBMITTED)
    ClaimEvent.objects.create(
        funds=claim, actor=reviewer, from_status="", to_status="submitted", comment="Excel 导入"
    )
    return claim


def test_a_database_with_real_data_is_refused_and_left_byte_identical(real_city):
    before = every_table()
    message = refused()
    assert "未载入演示数据" in message and "没有新增、修改或删除任何记录" in message
    assert "单位 1 条" in message and "招商项目 1 条" in message
    assert every_table() == before
    assert list(real_city.events.values_list("comment", flat=True)) == ["Excel 导入"]


def test_a_database_with_only_an_administrator_is_refused(db):
    """Demo logins with a published password have no place next to a real account."""
    UserFactory(username="boss", role=Role.ADMIN, unit=None, is_superuser=True)
    assert "用户 1 条" in refused()
    assert not Unit.objects.exists() and not DemoDatabase.objects.exists()


def test_a_rerun_reports_quarters_as_they_stand_now(db):
    """Published by hand since the load: the status says 已发布, as it is."""
    UnitFactory(name="东湖区")
    marker.mark()
    ay = AssessmentYearFactory(year=2026)
    SnapshotFactory(year=ay, quarter=1, status=SnapshotStatus.PUBLISHED)
    SnapshotFactory(year=ay, quarter=2, status=SnapshotStatus.DRAFT)
    SnapshotFactory(year=ay, quarter=3, status=SnapshotStatus.DRAFT)
    SnapshotFactory(year=ay, quarter=3, version=2, status=SnapshotStatus.PUBLISHED)
    out = load()
    assert "2026 年第 1、3 季度已发布；2026 年第 2 季度已测算（未发布）" in out
    assert "已测算（未发布）" not in out.split("第 2 季度")[0]


def test_demo_logins_are_listed_only_on_the_demo_database(real_city):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "不是演示数据库" in out.getvalue() and "zs-demo-2026" not in out.getvalue()


def _sqlite_rows(path):
    con = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()


@pytest.mark.skipif(not (BASE_DIR / ".venv" / "bin" / "python").exists(), reason="make install")
def test_make_demo_goes_on_from_a_refusal(tmp_path):
    """`make run` serves a real database: `make demo` (its first half) ends well after saying
    why no demo was loaded, and the database is as it was."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SQLITE_PATH=str(tmp_path / "db.sqlite3"), MEDIA_ROOT=str(tmp_path / "media"))
    seed = (
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "from units.models import Unit\n"
        "Unit.objects.create(name='真实县')\n"
    )
    python = [sys.executable, "manage.py", "shell", "-c", seed]
    subprocess.run(python, cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=300)
    before = _sqlite_rows(tmp_path / "db.sqlite3")
    result = subprocess.run(
        ["make", "-s", "demo"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "未载入演示数据" in result.stderr and "继续启动服务器" in result.stdout
    assert _sqlite_rows(tmp_path / "db.sqlite3") == before
