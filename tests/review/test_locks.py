"""Locks: approved claims and claims dated in a published quarter are read-only."""

import datetime

import pytest

from assessment import locks
from projects import claims
from projects.claims import Action, ClaimError
from projects.models import ClaimStatus

S = ClaimStatus


@pytest.fixture
def q1_published(monkeypatch):
    """Pretend the assessment app published 2026 Q1."""

    def locked_through(year):
        return datetime.date(2026, 3, 31) if year == 2026 else None

    monkeypatch.setattr(locks, "locked_through", locked_through)


def test_an_edit_inside_a_published_period_is_refused(q1_published, make_claim, staff_a):
    in_q1 = make_claim(S.DRAFT, date=datetime.date(2026, 3, 15))
    in_q2 = make_claim(S.DRAFT, kind="funds", date=datetime.date(2026, 4, 2))
    assert not claims.can_edit_claim(staff_a, in_q1)
    assert claims.can_edit_claim(staff_a, in_q2)
    with pytest.raises(ClaimError, match="已发布通报"):
        claims.transition(staff_a, in_q1, Action.SUBMIT)
    in_q1.refresh_from_db()
    assert in_q1.status == S.DRAFT


def test_a_reviewer_cannot_reopen_an_approved_claim_in_a_published_period(
    q1_published, make_claim, reviewer
):
    claim = make_claim(S.APPROVED, date=datetime.date(2026, 2, 1))
    assert claims.allowed_actions(reviewer, claim) == []
    with pytest.raises(ClaimError, match="已发布通报"):
        claims.transition(reviewer, claim, Action.REOPEN, "更正")


def test_pending_claims_in_a_published_period_are_frozen_for_reviewers_too(
    q1_published, make_claim, reviewer, leader
):
    claim = make_claim(S.CONFIRMED, kind="investment", month=datetime.date(2026, 3, 1))
    assert claims.allowed_actions(reviewer, claim) == []
    assert claims.allowed_actions(leader, claim) == []


def test_an_approved_claim_is_read_only_but_a_reviewer_may_reopen_it(make_claim, staff_a, reviewer):
    claim = make_claim(S.APPROVED)
    assert claims.claim_is_locked(claim)
    assert not claims.can_edit_claim(staff_a, claim)
    with pytest.raises(ClaimError, match="已审定"):
        claims.transition(reviewer, claim, Action.REJECT, "不符合")
    claims.transition(reviewer, claim, Action.REOPEN, "投资额需按审计报告更正")
    assert claim.status == S.SUBMITTED
