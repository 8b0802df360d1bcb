"""`backup` then `restore` brings back every row of every table and every evidence file.

These tests run the real commands in subprocesses against their own database (a SQLite file, or
scratch PostgreSQL databases), never the test database, and check the result independently of
the manifest the service writes: every table's rows and every file's bytes are compared.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]

MIGRATE = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
"""

SEED = """
from decimal import Decimal
from django.core.files.base import ContentFile
from tests.factories import (EvidenceFactory, FundsEntryFactory, MilestoneFactory,
    MonthlyInvestmentFactory, ProjectFactory, UnitFactory, UserFactory)
unit = UnitFactory(name="甲县")
UserFactory(username="staff_a", unit=unit)
project = ProjectFactory(
    unit=unit, name="年产10万吨新材料项目", total_investment=Decimal("32000.50")
)
milestone = MilestoneFactory(project=project)
funds = FundsEntryFactory(project=project, amount=Decimal("1234.56"))
MonthlyInvestmentFactory(project=project)
EvidenceFactory(milestone=milestone, file=ContentFile(bytes(range(256)) * 40, name="合同.pdf"))
EvidenceFactory(milestone=None, funds=funds, file=ContentFile(b"receipt", name="到账凭证.jpg"))
"""


def add_unit(site, name):
    """A unit added straight into the site's database (a copy of its first unit, renamed): the
    damage is done in this process with sqlite3, a Django start-up less per test."""
    con = sqlite3.connect(site / "db.sqlite3")
    try:
        columns = [row[1] for row in con.execute('PRAGMA table_info("units_unit")')]
        columns.remove("id")
        chosen = ", ".join("?" if c == "name" else f'"{c}"' for c in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        con.execute(
            f"INSERT INTO units_unit ({names}) SELECT {chosen} FROM units_unit LIMIT 1", [name]
        )
        con.commit()
    finally:
        con.close()


def damage(site):
    """After a backup: a unit added, every project's total changed, one evidence file deleted and
    the other overwritten."""
    add_unit(site, "备份之后新增的单位")
    con = sqlite3.connect(site / "db.sqlite3")
    try:
        con.execute("UPDATE projects_project SET total_investment = 1")
        files = [row[0] for row in con.execute("SELECT file FROM projects_evidence ORDER BY id")]
        con.commit()
    finally:
        con.close()
    (site / "media" / files[0]).unlink()
    (site / "media" / files[1]).write_bytes(b"tampered")


def manage(*args, env, stdin=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def rows_digest(cursor, tables):
    """{table: (row count, SHA-256 of the sorted rows)} — independent of zhaoshang.ops.backup."""
    snapshot = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        snapshot[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return snapshot


def sqlite_snapshot(path):
    con = sqlite3.connect(path)
    try:
        cursor = con.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return rows_digest(cursor, sorted(name for (name,) in cursor.fetchall()))
    finally:
        con.close()


def media_snapshot(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def seeded_site(tmp_path_factory):
    """A migrated SQLite file with projects, claims and two evidence files (built once)."""
    site = tmp_path_factory.mktemp("site")
    env = sqlite_env(site)
    # One process migrates and seeds (each Django start-up costs about a second).
    ok(manage("shell", "-c", MIGRATE + SEED, env=env))
    return site


def sqlite_env(site):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DEBUG="1",
        SQLITE_PATH=str(site / "db.sqlite3"),
        MEDIA_ROOT=str(site / "media"),
        ZS_TEMP_DIR=str(site / "tmp"),
    )
    return env


@pytest.fixture
def site(seeded_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(seeded_site, copy)
    return copy


def test_sqlite_round_trip_loses_nothing(site, tmp_path):
    env = sqlite_env(site)
    before_db = sqlite_snapshot(site / "db.sqlite3")
    before_media = media_snapshot(site / "media")
    assert before_db["projects_evidence"][0] == 2
    assert before_db["projects_project"][0] == 1
    assert len(before_media) == 2

    out = ok(manage("backup", "--output", str(tmp_path / "backups"), env=env))
    archives = list((tmp_path / "backups").glob("zhaoshang-backup-*.tar.gz"))
    assert len(archives) == 1
    assert "备份完成" in out

    damage(site)
    assert sqlite_snapshot(site / "db.sqlite3") != before_db
    assert media_snapshot(site / "media") != before_media

    out = ok(manage("restore", str(archives[0]), "--yes", env=env))
    assert "恢复完成并已核对" in out
    assert sqlite_snapshot(site / "db.sqlite3") == before_db
    assert media_snapshot(site / "media") == before_media


def test_restore_asks_before_overwriting(site, tmp_path):
    env = sqlite_env(site)
    ok(manage("backup", "--output", str(tmp_path), env=env))
    archive = next(tmp_path.glob("*.tar.gz"))
    damage(site)
    damaged = sqlite_snapshot(site / "db.sqlite3")

    result = manage("restore", str(archive), env=env, stdin="no\n")
    assert result.returncode != 0
    assert "确认恢复请输入 yes" in result.stdout
    assert "已取消，未做任何改动" in result.stderr
    assert sqlite_snapshot(site / "db.sqlite3") == damaged


def test_tampered_archive_is_refused_and_nothing_changes(site, tmp_path):
    env = sqlite_env(site)
    ok(manage("backup", "--output", str(tmp_path / "good"), env=env))
    good = next((tmp_path / "good").glob("*.tar.gz"))
    unpacked = tmp_path / "unpacked"
    with tarfile.open(good) as tar:
        tar.extractall(unpacked, filter="data")
    receipt = next(unpacked.rglob("到账凭证.jpg"))
    receipt.write_bytes(b"forged receipt")
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        tar.add(next(unpacked.iterdir()), arcname=next(unpacked.iterdir()).name)

    add_unit(site, "新单位")
    before_db = sqlite_snapshot(site / "db.sqlite3")
    before_media = media_snapshot(site / "media")

    result = manage("restore", str(bad), "--yes", env=env)
    assert result.returncode != 0
    assert "校验失败" in result.stderr
    assert "到账凭证.jpg" in result.stderr
    assert sqlite_snapshot(site / "db.sqlite3") == before_db
    assert media_snapshot(site / "media") == before_media


def test_restoring_something_that_is_not_a_backup_is_a_clear_error(site, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not an archive")
    result = manage("restore", str(junk), "--yes", env=sqlite_env(site))
    assert result.returncode != 0
    assert "备份文件已损坏或不是本系统的备份" in result.stderr
    assert "Traceback" not in result.stderr


def repack(good, tmp_path, change):
    """A copy of archive ``good`` with ``change(folder)`` applied to its unpacked folder."""
    unpacked = tmp_path / "unpacked"
    with tarfile.open(good) as tar:
        tar.extractall(unpacked, filter="data")
    folder = next(unpacked.iterdir())
    change(folder)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        tar.add(folder, arcname=folder.name)
    return bad


def file_bytes(site):
    """The database files' bytes (main file and any WAL), to prove nothing was written."""
    return {
        path.name: path.read_bytes() for path in sorted(site.glob("db.sqlite3*")) if path.is_file()
    }


def tamper_table_checksum(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["projects_project"]["checksum"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))


def tamper_dump(folder):
    """Damage the database file and give the manifest its new SHA-256 (a forged archive)."""
    dump = folder / "database.sqlite3"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    dump.write_bytes(bytes(data))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["database.sqlite3"] = hashlib.sha256(bytes(data)).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("change", "message"),
    [(tamper_table_checksum, "projects_project"), (tamper_dump, "数据库")],
)
def test_an_archive_that_fails_its_checks_leaves_the_target_byte_identical(
    site, tmp_path, change, message
):
    """The dump is checked against the manifest before the target is touched (it used to be
    loaded first and compared afterwards, leaving the target holding the archive's data)."""
    env = sqlite_env(site)
    ok(manage("backup", "--output", str(tmp_path / "good"), env=env))
    bad = repack(next((tmp_path / "good").glob("*.tar.gz")), tmp_path, change)
    damage(site)
    before_db = sqlite_snapshot(site / "db.sqlite3")
    before_bytes = file_bytes(site)
    before_media = media_snapshot(site / "media")

    result = manage("restore", str(bad), "--yes", env=env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert file_bytes(site) == before_bytes
    assert sqlite_snapshot(site / "db.sqlite3") == before_db
    assert media_snapshot(site / "media") == before_media


def test_restore_and_backup_leave_no_work_folders(site, tmp_path):
    env = sqlite_env(site)
    temp = Path(env["ZS_TEMP_DIR"])
    ok(manage("backup", "--output", str(tmp_path / "good"), env=env))
    bad = repack(next((tmp_path / "good").glob("*.tar.gz")), tmp_path, tamper_table_checksum)
    assert manage("restore", str(bad), "--yes", env=env).returncode != 0
    assert sorted(path.name for path in temp.iterdir()) == ["uploads"]


# --- PostgreSQL ---------------------------------------------------------------------------


def pg_url(name):
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def pg_admin(sql):
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True) as con:
        con.execute(sql)


def pg_snapshot(name):
    import psycopg

    with psycopg.connect(pg_url(name)) as con:
        cursor = con.cursor()
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return rows_digest(cursor, sorted(name for (name,) in cursor.fetchall()))


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL server")
def test_postgresql_round_trip_into_a_fresh_database(tmp_path):
    source, target = (f"zs_backup_{uuid.uuid4().hex[:10]}_{side}" for side in ("src", "dst"))
    pg_admin(f'CREATE DATABASE "{source}"')
    pg_admin(f'CREATE DATABASE "{target}"')
    try:
        env = dict(os.environ, DATABASE_URL=pg_url(source), MEDIA_ROOT=str(tmp_path / "media"))
        ok(manage("migrate", "--noinput", "-v0", env=env))
        ok(manage("shell", "-c", SEED, env=env))
        before_db = pg_snapshot(source)
        before_media = media_snapshot(tmp_path / "media")
        assert before_db["projects_evidence"][0] == 2

        ok(manage("backup", "--output", str(tmp_path / "backups"), env=env))
        archive = next((tmp_path / "backups").glob("*.tar.gz"))
        shutil.rmtree(tmp_path / "media")

        env["DATABASE_URL"] = pg_url(target)
        out = ok(manage("restore", str(archive), "--yes", env=env))
        assert "恢复完成并已核对" in out
        assert pg_snapshot(target) == before_db
        assert media_snapshot(tmp_path / "media") == before_media
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{source}" WITH (FORCE)')
        pg_admin(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
