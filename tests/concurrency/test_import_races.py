"""Two imports of the same workbook at once on PostgreSQL (issue 16, case 6).

Both once reported 新增 N and every project, figure and share was written twice: nothing
serialised them. Now an import holds the import lease (a row under its lock, and a session
advisory lock) from before it reads the database until it ends; the second is refused with
"另一个导入正在进行…" or, once the first has ended, finds everything unchanged. A computation
of a quarter between two chunks of the background import is refused until it ends
(`tests.concurrency.import_races`). `test_sqlite_import_races` runs the same rounds on SQLite.
"""

import pytest
from django.db import connection

from tests.concurrency.import_races import import_rounds, make_city, publish_during_import

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL and two connections"
    ),
]


@pytest.fixture
def city():
    make_city()


def test_two_imports_of_the_same_workbook_at_once_write_each_row_once(city):
    print("import rounds (first, second, mode, outcomes):", import_rounds())


def test_computing_a_quarter_while_the_import_writes_is_refused(city):
    print("computation during the import:", publish_during_import())
