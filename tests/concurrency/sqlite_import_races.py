"""The import rounds of `tests.concurrency.import_races` on a SQLite file, in a fresh process
(see `sqlite_races`): run by `test_sqlite_import_races`; prints the outcomes as JSON."""

import json

from django.core.management import call_command
from django.db import connection


def main():
    from tests.concurrency.import_races import import_rounds, make_city, publish_during_import

    assert connection.vendor == "sqlite", connection.vendor
    call_command("migrate", verbosity=0)
    make_city()
    print(json.dumps({"rounds": import_rounds(), "compute": publish_during_import()}))
