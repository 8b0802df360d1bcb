"""Many users saving at once on the SQLite default: writers queue, nobody sees "database is locked".

The test database of a SQLite run is in memory, so this opens its own SQLite file with exactly
the project's SQLITE_OPTIONS (WAL, busy timeout, IMMEDIATE transactions) and hammers it from 8
threads through Django connections and transaction.atomic. It uses no other database, so it runs
the same on a PostgreSQL test run.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

THREADS = 8
WRITES_PER_THREAD = 50
ALIAS = "sqlite_concurrency"
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def sqlite_file_alias(tmp_path, django_db_blocker):
    connections.settings[ALIAS] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "concurrency.sqlite3"),
        "OPTIONS": dict(settings.SQLITE_OPTIONS),
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
            cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, worker INTEGER)")
        yield ALIAS
        connections[ALIAS].close()
    del connections.settings[ALIAS]


def writer(worker, errors, start):
    start.wait()
    try:
        for _ in range(WRITES_PER_THREAD):
            try:
                # Read-modify-write: the pattern that deadlocks as "database is locked" when a
                # deferred transaction has to upgrade its read lock to a write lock.
                with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    (value,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
                    cursor.execute("INSERT INTO entry (worker) VALUES (%s)", [worker])
            except OperationalError as exc:
                errors.append(str(exc))
    finally:
        connections[ALIAS].close()


def test_concurrent_writers_never_see_database_is_locked(sqlite_file_alias):
    errors = []
    start = threading.Barrier(THREADS)
    threads = [threading.Thread(target=writer, args=(n, errors, start)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT value FROM counter")
        assert cursor.fetchone()[0] == THREADS * WRITES_PER_THREAD  # no lost update
        cursor.execute("SELECT COUNT(*) FROM entry")
        assert cursor.fetchone()[0] == THREADS * WRITES_PER_THREAD
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_default_sqlite_database_uses_these_options():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['OPTIONS'] == settings.SQLITE_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr
