"""Publishing a quarter while its claims are written (issue 15, path 5).

The workflow's lock check once ran before its write transaction: a leader's bulk approval or a
unit's bulk submission that had read "open" committed after the publication (7 of 9 moves). Now
every workflow write takes the year's row lock — the one publishing takes — inside its transaction
and checks again (`zhaoshang.guard.lock_years` in `projects.claims._record`).

Each test races nine rounds (`tests.concurrency.races`): in every one the published figures equal
the figures recomputed from live data, no claim dated in the quarter moved after publication, and
a claim that did not move was refused with the locked-period message. PostgreSQL only: the races
need two real connections and row locks (`test_sqlite_races` runs the same rounds on SQLite).
"""

import pytest
from django.db import connection

from tests.concurrency.races import make_city, publish_rounds

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and two connections"
    ),
]


@pytest.fixture
def city():
    return make_city()


def test_publish_against_a_leaders_bulk_approval(city, monkeypatch):
    outcomes = publish_rounds(monkeypatch, city, "approve")
    print("approve vs publish (mode, approved, refused, publish attempts):", outcomes)


def test_publish_against_a_units_bulk_submission(city, monkeypatch):
    outcomes = publish_rounds(monkeypatch, city, "submit")
    print("submit vs publish (mode, submitted, refused, publish attempts):", outcomes)
