"""The review queue opens on what the user can act on now (issue 18 item 2); what waits on someone
else and what lies in a locked quarter have tabs of their own, with counts."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import SnapshotStatus
from projects import claims
from projects.models import ClaimEvent, ClaimStatus
from tests.factories import AssessmentYearFactory, SnapshotFactory

S = ClaimStatus
URL = reverse("review:queue")
NO_ACTION = "您当前没有可办理的操作"


@pytest.fixture
def q1_published(db):
    """2026 Q1 published: claims dated up to 31 March 2026 are locked."""
    year = AssessmentYearFactory(year=2026)
    SnapshotFactory(year=year, quarter=1, status=SnapshotStatus.PUBLISHED, data={})


@pytest.fixture
def queue(make_claim, reviewer, q1_published):
    """Pending claims of unit A: two the first reviewer can advance, one waiting on the leader,
    one the reviewer already reviewed (现场评估 is someone else's), one in locked Q1."""
    submitted = make_claim(S.SUBMITTED, date=datetime.date(2026, 4, 10))
    reviewed = make_claim(S.REVIEWED, kind="funds", date=datetime.date(2026, 4, 12))
    confirmed = make_claim(S.CONFIRMED, kind="investment", month=datetime.date(2026, 5, 1))
    own_step = make_claim(S.REVIEWED, kind="funds", date=datetime.date(2026, 5, 3))
    ClaimEvent.objects.create(
        funds=own_step, from_status=S.SUBMITTED, to_status=S.REVIEWED, actor=reviewer
    )
    locked = make_claim(S.SUBMITTED, kind="funds", date=datetime.date(2026, 2, 1))
    return {
        "submitted": submitted,
        "reviewed": reviewed,
        "confirmed": confirmed,
        "own_step": own_step,
        "locked": locked,
    }


def urls_in(page, *names, queue):
    return {
        name
        for name in names
        if reverse("review:claim_detail", args=[claims.claim_type(queue[name]), queue[name].pk])
        in page
    }


ALL = ("submitted", "reviewed", "confirmed", "own_step", "locked")


def test_the_default_tab_holds_what_the_reviewer_can_act_on(login, reviewer, queue):
    response = login(reviewer).get(URL)
    page = response.content.decode()
    assert urls_in(page, *ALL, queue=queue) == {"submitted", "reviewed"}
    tabs = {slug: count for slug, _, count, _, _ in response.context["tabs"]}
    assert tabs == {"act": 2, "waiting": 2, "locked": 1, "all": 5}
    assert 'data-testid="tab-act"' in page and "待他人办理" in page and "已锁定季度" in page


def test_waiting_and_locked_tabs(login, reviewer, queue):
    client = login(reviewer)
    waiting = client.get(URL, {"tab": "waiting"}).content.decode()
    assert urls_in(waiting, *ALL, queue=queue) == {"confirmed", "own_step"}
    locked = client.get(URL, {"tab": "locked"}).content.decode()
    assert urls_in(locked, *ALL, queue=queue) == {"locked"}
    # Nothing in the locked tab can be ticked for a bulk action.
    assert 'name="selected" value=' not in locked


def test_separation_of_duties_puts_the_claim_in_the_other_reviewers_default_tab(
    login, reviewer2, queue
):
    page = login(reviewer2).get(URL).content.decode()
    assert urls_in(page, *ALL, queue=queue) == {"submitted", "reviewed", "own_step"}


def test_the_leaders_default_tab_holds_claims_to_approve(login, leader, queue):
    page = login(leader).get(URL).content.decode()
    assert urls_in(page, *ALL, queue=queue) == {"confirmed"}


@pytest.mark.parametrize("who", ["reviewer", "reviewer2", "leader"])
def test_every_item_of_the_default_tab_offers_an_action(request, login, queue, who):
    user = request.getfixturevalue(who)
    client = login(user)
    response = client.get(URL)
    rows = list(response.context["table"].page.object_list)
    assert rows
    for row in rows:
        record = row.record
        detail = client.get(reverse("review:claim_detail", args=[record["r_type"], record["r_id"]]))
        assert NO_ACTION not in detail.content.decode(), record
        claim = claims.CLAIM_MODELS[record["r_type"]].objects.get(pk=record["r_id"])
        assert claims.allowed_actions(user, claim), record


def test_an_unknown_tab_is_the_default_one(login, reviewer, queue):
    response = login(reviewer).get(URL, {"tab": "nonsense"})
    assert response.status_code == 200
    assert response.context["tab"] == "act"
