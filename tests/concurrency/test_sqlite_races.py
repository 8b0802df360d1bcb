"""Publishing while claims are approved and submitted, on the SQLite default (issue 15, path 5).

SQLite has no row locks: its IMMEDIATE transactions take the database's write lock when they
begin, so a workflow write and a publication run one after the other, and the write's check of
the period inside its transaction sees a publication that committed first. The rounds of
`tests.concurrency.races` run in a fresh process on a SQLite file (`sqlite_races`). It uses no
other database, but runs with the SQLite suite only: the PostgreSQL suite races PostgreSQL.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
CODE = "from tests.concurrency.sqlite_races import main; main()"

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite suite runs it; this run races PostgreSQL"
)


def test_publish_races_on_a_sqlite_file(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(tmp_path / "races.sqlite3")
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CODE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    outcomes = json.loads(result.stdout.strip().splitlines()[-1])
    print("SQLite rounds (mode, moved, refused, publish attempts):", outcomes)
    for action in ("approve", "submit"):
        modes = {mode for mode, *_ in outcomes[action]}
        assert modes == {"publish_first", "write_first", "free"}
        # Both orders happened: moves refused by a publication, and moves publish had to see.
        assert any(moved == 0 and refused > 0 for _, moved, refused, _ in outcomes[action])
        assert any(refused == 0 and attempts == 2 for _, _, refused, attempts in outcomes[action])
