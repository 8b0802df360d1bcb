"""Two reviewers acting on the same claim at the same moment: exactly one wins, the other is told
the claim was already handled. Needs real concurrent connections, so PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from projects import claims
from projects.models import ClaimEvent, ClaimStatus, Milestone
from tests.factories import MilestoneFactory, UserFactory
from units.models import Role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and two connections"
    ),
]


def test_two_reviewers_cannot_both_act_on_one_claim():
    claim = MilestoneFactory(status=ClaimStatus.SUBMITTED)
    first = UserFactory(username="reviewer1", role=Role.REVIEWER, unit=None)
    second = UserFactory(username="reviewer2", role=Role.REVIEWER, unit=None)
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(user, action, comment):
        try:
            # Each thread reads the claim on its own connection before either writes.
            mine = Milestone.objects.select_related("project").get(pk=claim.pk)
            barrier.wait(timeout=10)
            claims.transition(user, mine, action, comment)
            outcomes[user.username] = "ok"
        except claims.ClaimError as exc:
            outcomes[user.username] = exc.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(first, "review", "资料齐全")),
        threading.Thread(target=act, args=(second, "reject", "资料不全")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["ok", claims.STALE_MESSAGE]
    claim.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
    assert claim.status == {"reviewer1": "reviewed", "reviewer2": "rejected"}[winner]
    assert claim.version == 2
    assert ClaimEvent.objects.filter(milestone=claim).count() == 1
