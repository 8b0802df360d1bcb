"""The demo timelines: every submitted demo claim gets a consistent workflow story, once."""

from io import StringIO

from projects.models import ClaimEvent, ClaimStatus
from tests.factories import FundsEntryFactory, MilestoneFactory, MonthlyInvestmentFactory
from zhaoshang.ops.demo import claims as demo_claims

S = ClaimStatus


def timeline(claim):
    return [(e.from_status, e.to_status) for e in claim.events.order_by("created", "pk")]


def test_loader_gives_each_claim_a_chain_ending_in_its_status(project_a, staff_a, reviewer, leader):
    approved = MilestoneFactory(project=project_a, status=S.APPROVED)
    rejected = FundsEntryFactory(project=project_a, status=S.REJECTED)
    draft = MonthlyInvestmentFactory(project=project_a, status=S.DRAFT)
    # Events are append-only: a claim that has events keeps them, however they read.
    shortcut = FundsEntryFactory(project=project_a, status=S.APPROVED)
    ClaimEvent.objects.create(funds=shortcut, from_status="submitted", to_status="approved")
    out = StringIO()
    demo_claims.load(out)
    chain = timeline(approved)
    assert chain[0] == ("draft", "submitted") and chain[-1] == ("confirmed", "approved")
    assert ("reviewed", "site_assessed") in chain
    # A claim whose id is a multiple of 11 is reopened once in its story: approved twice.
    approvals = approved.events.filter(to_status="approved").order_by("created", "pk")
    assert approvals.count() == (2 if approved.pk % 11 == 0 else 1)
    assert {event.actor for event in approvals} == {leader}
    assert approved.events.filter(to_status="submitted").first().actor == staff_a
    rejection = rejected.events.get(to_status="rejected")
    assert rejection.comment and rejection.actor == reviewer
    assert timeline(draft) == []
    assert timeline(shortcut) == [("submitted", "approved")]
    assert "补全 2 条" in out.getvalue() and "1 条申报已有不连贯的审核记录" in out.getvalue()


def test_loader_is_idempotent(project_a, reviewer, leader):
    claim = FundsEntryFactory(project=project_a, status=S.CONFIRMED)
    demo_claims.load(StringIO())
    first = timeline(claim)
    out = StringIO()
    demo_claims.load(out)
    assert timeline(claim) == first
    assert "补全 0 条" in out.getvalue()


def test_some_stories_include_a_resubmission_or_a_reopening(project_a, reviewer, leader):
    claims = [
        FundsEntryFactory(project=project_a, status=status)
        for status in [S.APPROVED, S.REVIEWED] * 12
    ]
    demo_claims.load(StringIO())
    to_statuses = [e.to_status for c in claims for e in c.events.all()]
    from_statuses = [e.from_status for c in claims for e in c.events.all()]
    assert "rejected" in to_statuses  # rejected once, then resubmitted
    assert "approved" in from_statuses  # reopened with a reason
    for claim in claims:
        assert demo_claims.consistent(list(claim.events.order_by("created", "pk")), claim.status)
