"""Two imports of the same workbook at once on the SQLite default (issue 16, case 6): the rounds
of `tests.concurrency.import_races` in a fresh process on a SQLite file (`sqlite_import_races`),
where two threads race as two processes would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
CODE = "from tests.concurrency.sqlite_import_races import main; main()"

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite suite runs it; this run races PostgreSQL"
)


def test_two_imports_at_once_on_a_sqlite_file_write_each_row_once(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(tmp_path / "imports.sqlite3")
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    env["TEMP_DIR"] = str(tmp_path / "tmp")
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
    print("SQLite import rounds:", outcomes)
    held = [r for r in outcomes["rounds"] if r[2] == "held"]
    assert held and all(r[3:] == ["written", "refused"] for r in held)
    assert "年度正在导入数据" in outcomes["compute"]
