"""现场评估 and 会办确认 always carry their record (issue 17 item 3): no path records them bare —
not a programmatic transition, not a bulk action, not the demo loader, not a factory."""

from io import StringIO

import pytest

from projects import claims, steps
from projects.claims import Action, ClaimError
from projects.models import ClaimEvent, ClaimStatus
from tests.factories import ClaimEventFactory, MilestoneFactory, step_record
from zhaoshang.ops.demo import claims as demo_claims

S = ClaimStatus


@pytest.mark.parametrize(
    ("status", "action", "missing"),
    [
        (S.REVIEWED, Action.SITE_ASSESS, "现场评估须填写：评估日期、评估人员、评估结果。"),
        (S.SITE_ASSESSED, Action.CONFIRM, "会办确认须填写：参加会办部门、会办意见。"),
    ],
)
def test_a_step_without_its_record_is_refused_and_nothing_is_written(
    make_claim, reviewer, status, action, missing
):
    claim = make_claim(status, kind="funds")
    for record in (None, steps.StepRecord()):
        with pytest.raises(ClaimError) as info:
            claims.transition(reviewer, claim, action, "同意", record=record)
        assert info.value.message == missing
    claim.refresh_from_db()
    assert claim.status == status
    assert not ClaimEvent.objects.exists()


def test_a_partial_record_names_what_is_missing(make_claim, reviewer):
    claim = make_claim(S.REVIEWED, kind="funds")
    record = steps.StepRecord(details={"visit_date": "2026-03-01", "inspectors": "张三"})
    with pytest.raises(ClaimError, match="现场评估须填写：评估结果。"):
        claims.transition(reviewer, claim, Action.SITE_ASSESS, record=record)


def test_a_complete_record_is_kept_on_the_event(make_claim, reviewer):
    claim = make_claim(S.REVIEWED, kind="funds")
    claims.transition(reviewer, claim, Action.SITE_ASSESS, record=step_record("site_assess"))
    event = claim.events.get(to_status=S.SITE_ASSESSED)
    assert event.details["inspectors"] == "郑评估、李核查"


@pytest.mark.parametrize(
    ("status", "action"),
    [(S.REVIEWED, Action.SITE_ASSESS), (S.SITE_ASSESSED, Action.CONFIRM)],
)
def test_bulk_never_takes_a_step_that_records_a_visit_or_a_meeting(
    make_claim, reviewer, status, action
):
    """Named explicitly or reached by 通过, the claim stays and the reason says where to go."""
    for bulk_action in (action, claims.ADVANCE):
        claim = make_claim(status, kind="funds")
        result = claims.act_many(reviewer, [claim], bulk_action, "批量")
        assert result.done == []
        assert result.failed[0][1] == claims.ON_CLAIM_PAGE_ONLY[action]
        claim.refresh_from_db()
        assert claim.status == status
    assert not ClaimEvent.objects.exists()


def test_the_queue_says_those_steps_are_taken_one_claim_at_a_time(login, make_claim, reviewer):
    make_claim(S.SUBMITTED, kind="funds")
    page = login(reviewer).get("/review/").content.decode()
    assert "现场评估、会办确认须在申报页面逐件填写记录" in page


def test_the_event_factory_records_the_steps_details(db):
    site = ClaimEventFactory(from_status=S.REVIEWED, to_status=S.SITE_ASSESSED)
    meeting = ClaimEventFactory(from_status=S.SITE_ASSESSED, to_status=S.CONFIRMED)
    assert set(site.details) == set(steps.SITE_FIELDS)
    assert set(meeting.details) == set(steps.CONFIRM_FIELDS)
    assert ClaimEventFactory().details == {}


def test_the_demo_loader_records_every_visit_and_meeting(project_a, staff_a, reviewer, leader):
    MilestoneFactory(project=project_a, status=S.APPROVED)
    demo_claims.load(StringIO())
    visits = ClaimEvent.objects.filter(to_status=S.SITE_ASSESSED)
    meetings = ClaimEvent.objects.filter(to_status=S.CONFIRMED)
    assert visits.exists() and meetings.exists()
    for event in visits:
        steps.validate(event.milestone, Action.SITE_ASSESS, steps.StepRecord(details=event.details))
    for event in meetings:
        steps.validate(event.milestone, Action.CONFIRM, steps.StepRecord(details=event.details))
