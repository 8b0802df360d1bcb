"""The publish/write race rounds on a SQLite file, as the default installation runs them.

Run by `test_sqlite_races` in a fresh process whose settings point at an empty SQLite file (WAL,
busy timeout, IMMEDIATE transactions: `zhaoshang.settings.SQLITE_OPTIONS`): the test database of
a SQLite test run lives in memory, where two threads cannot race as two requests would. Migrates
the file, races the rounds of `tests.concurrency.races` and prints what they did as JSON; any
broken round raises (a non-zero exit).
"""

import json

import pytest
from django.core.management import call_command
from django.db import connection


def main():
    from tests.concurrency.races import make_city, publish_rounds

    assert connection.vendor == "sqlite", connection.vendor
    call_command("migrate", verbosity=0)
    city = make_city()
    monkeypatch = pytest.MonkeyPatch()
    outcomes = {
        action: publish_rounds(monkeypatch, city, action) for action in ("approve", "submit")
    }
    print(json.dumps(outcomes))
