"""The claims workflow service: every step, by every role, and the refusals in between."""

import pytest

from projects import claims, services
from projects.claims import Action, ClaimError
from projects.models import ClaimEvent, ClaimStatus
from tests.factories import AssessmentYearFactory, step_record

S = ClaimStatus

ROLES = ["staff_a", "head_a", "coordinator", "reviewer", "leader", "admin_user", "staff_b"]

# status → {role fixture: allowed actions}; roles not named may do nothing.
EXPECTED = {
    S.DRAFT: {"staff_a": ["submit"], "head_a": ["submit"], "admin_user": ["submit"]},
    S.SUBMITTED: {
        "head_a": ["withdraw"],
        "reviewer": ["review", "reject"],
        "admin_user": ["withdraw", "review", "reject"],
    },
    S.REVIEWED: {
        "reviewer": ["site_assess", "reject"],
        "admin_user": ["site_assess", "reject"],
    },
    S.SITE_ASSESSED: {"reviewer": ["confirm", "reject"], "admin_user": ["confirm", "reject"]},
    S.CONFIRMED: {
        "reviewer": ["reject"],
        "leader": ["approve", "reject"],
        "admin_user": ["approve", "reject"],
    },
    S.APPROVED: {"reviewer": ["reopen"], "admin_user": ["reopen"]},
    S.REJECTED: {"staff_a": ["submit"], "head_a": ["submit"], "admin_user": ["submit"]},
}


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_role_may_take_exactly_its_steps(request, make_claim, status, group):
    claim = make_claim(status)
    for role in ROLES:
        user = request.getfixturevalue(role)
        expected = EXPECTED[status].get(role, [])
        assert claims.allowed_actions(user, claim) == expected, (status, role)


@pytest.mark.parametrize("status", list(EXPECTED))
def test_forbidden_steps_are_refused_with_a_chinese_message(request, make_claim, status, group):
    claim = make_claim(status)
    for role in ROLES:
        user = request.getfixturevalue(role)
        for action in claims.ACTION_LABELS:
            if action in EXPECTED[status].get(role, []):
                continue
            with pytest.raises(ClaimError) as info:
                claims.transition(user, claim, action, "理由")
            assert "申报" in info.value.message or "理由" in info.value.message
    claim.refresh_from_db()
    assert claim.status == status
    assert not ClaimEvent.objects.exists()


def test_a_claim_walks_the_whole_way_and_each_step_is_on_its_timeline(
    make_claim, staff_a, reviewer, reviewer2, reviewer3, leader
):
    claim = make_claim(S.DRAFT, kind="funds")
    claims.transition(staff_a, claim, Action.SUBMIT, "请审核")
    claims.transition(reviewer, claim, Action.REVIEW, "资料齐全")
    claims.transition(
        reviewer2, claim, Action.SITE_ASSESS, "现场核实属实", record=step_record("site_assess")
    )
    claims.transition(reviewer3, claim, Action.CONFIRM, "会办确认", record=step_record("confirm"))
    claims.transition(leader, claim, Action.APPROVE, "同意")
    claim.refresh_from_db()
    assert claim.status == S.APPROVED
    events = list(
        claim.events.values_list("actor__username", "from_status", "to_status", "comment")
    )
    assert events == [
        ("staff_a", "draft", "submitted", "请审核"),
        ("reviewer", "submitted", "reviewed", "资料齐全"),
        ("reviewer2", "reviewed", "site_assessed", "现场核实属实"),
        ("reviewer3", "site_assessed", "confirmed", "会办确认"),
        ("leader", "confirmed", "approved", "同意"),
    ]


def test_a_unit_user_cannot_approve_its_own_claim_even_when_configured(
    settings, make_claim, staff_a
):
    settings.CLAIM_APPROVERS = ("leader", "unit_staff")
    claim = make_claim(S.CONFIRMED)
    with pytest.raises(ClaimError, match="不能办理本单位的申报"):
        claims.transition(staff_a, claim, Action.APPROVE)


def test_a_city_may_let_reviewers_approve(settings, make_claim, reviewer):
    settings.CLAIM_APPROVERS = ("leader", "reviewer")
    claim = make_claim(S.CONFIRMED)
    claims.transition(reviewer, claim, Action.APPROVE, "考核办审定")
    assert claim.status == S.APPROVED


def test_a_rejected_claim_returns_to_the_unit_with_its_reason_and_can_be_resubmitted(
    make_claim, reviewer, staff_a
):
    claim = make_claim(S.REVIEWED, kind="investment")
    with pytest.raises(ClaimError, match="必须填写理由"):
        claims.transition(reviewer, claim, Action.REJECT, "  ")
    claims.transition(reviewer, claim, Action.REJECT, "缺少监理月报")
    claim.refresh_from_db()
    assert claim.status == S.REJECTED
    assert claims.can_edit_claim(staff_a, claim)
    assert claim.events.get(to_status=S.REJECTED).comment == "缺少监理月报"
    claims.transition(staff_a, claim, Action.SUBMIT, "已补充监理月报")
    assert claim.status == S.SUBMITTED


def test_unit_head_withdraws_a_submitted_claim_back_to_draft(make_claim, head_a, staff_a):
    claim = make_claim(S.SUBMITTED)
    with pytest.raises(ClaimError):
        claims.transition(staff_a, claim, Action.WITHDRAW)
    claims.transition(head_a, claim, Action.WITHDRAW, "数据有误，撤回修改")
    claim.refresh_from_db()
    assert claim.status == S.DRAFT


def test_nobody_edits_an_approved_claim(request, make_claim, group):
    claim = make_claim(S.APPROVED)
    for role in ROLES:
        assert not claims.can_edit_claim(request.getfixturevalue(role), claim), role


def test_reopening_an_approved_claim_needs_a_reason_which_is_recorded(make_claim, reviewer):
    claim = make_claim(S.APPROVED)
    with pytest.raises(ClaimError, match="必须填写理由"):
        claims.transition(reviewer, claim, Action.REOPEN, "")
    claims.transition(reviewer, claim, Action.REOPEN, "签约日期录入错误，需更正")
    event = claim.events.get()
    assert (event.from_status, event.to_status) == ("approved", "submitted")
    assert event.comment == "签约日期录入错误，需更正"


def test_site_assessment_off_skips_that_step(make_claim, reviewer):
    claim = make_claim(S.REVIEWED)
    AssessmentYearFactory(year=claim.claim_date.year, site_assessment=False)
    assert claims.allowed_actions(reviewer, claim) == ["confirm", "reject"]
    claims.transition(reviewer, claim, Action.CONFIRM, "免现场评估", record=step_record("confirm"))
    assert claim.status == S.CONFIRMED


def test_site_assessment_is_on_when_the_year_has_no_settings(db):
    assert claims.site_assessment_enabled(2026) is True


def test_a_stale_version_loses_with_the_already_changed_message(make_claim, reviewer):
    claim = make_claim(S.SUBMITTED)
    first_view = claim.version
    claims.transition(reviewer, claim, Action.REVIEW)
    other_copy = type(claim).objects.get(pk=claim.pk)
    with pytest.raises(ClaimError, match="已被他人处理"):
        claims.transition(reviewer, other_copy, Action.REJECT, "不符合", version=first_view)
    other_copy.refresh_from_db()
    assert other_copy.status == S.REVIEWED


def test_bulk_advance_moves_each_claim_one_step_and_reports_the_rest(make_claim, reviewer, staff_a):
    submitted = make_claim(S.SUBMITTED)
    site = make_claim(S.SITE_ASSESSED, kind="funds")
    draft = make_claim(S.DRAFT, kind="investment")
    result = claims.act_many(reviewer, [submitted, site, draft], claims.ADVANCE, "批量通过")
    assert [c.status for c in (submitted, site)] == [S.REVIEWED, S.SITE_ASSESSED]
    # 会办确认 records the departments and the decision: only on the claim page (issue 17).
    assert [c for c, _ in result.failed] == [site, draft]
    assert result.failed[0][1] == claims.ON_CLAIM_PAGE_ONLY[Action.CONFIRM]
    assert result.summary == "已办理 1 条申报；2 条未能办理，原因如下。"


def test_submit_many_submits_drafts_and_resubmits_rejected(make_claim, staff_a):
    draft = make_claim(S.DRAFT)
    rejected = make_claim(S.REJECTED, kind="funds")
    result = claims.submit_many(staff_a, [draft, rejected])
    assert len(result.done) == 2
    assert {draft.status, rejected.status} == {S.SUBMITTED}


def test_claim_totals_split_verified_from_pending(make_claim):
    from decimal import Decimal

    from projects.models import FundsEntry

    make_claim(S.APPROVED, kind="funds", amount=Decimal("300.50"))
    make_claim(S.CONFIRMED, kind="funds", amount=Decimal("200"))
    make_claim(S.SUBMITTED, kind="funds", amount=Decimal("100"))
    make_claim(S.DRAFT, kind="funds", amount=Decimal("999"))
    totals = services.claim_totals(FundsEntry.objects.all())
    assert totals.verified == Decimal("300.50")
    assert totals.pending == Decimal("300")
    assert (totals.verified_count, totals.pending_count) == (1, 2)


def test_the_year_settings_switch_site_assessment_off(make_claim, reviewer):
    AssessmentYearFactory(year=2026, site_assessment=False)
    AssessmentYearFactory(year=2025, site_assessment=True)
    assert claims.site_assessment_enabled(2026) is False
    assert claims.site_assessment_enabled(2025) is True
    claim = make_claim(S.REVIEWED)
    assert claims.allowed_actions(reviewer, claim) == ["confirm", "reject"]


def test_a_bulk_action_reports_a_claim_someone_else_moved_meanwhile_and_does_the_rest(
    make_claim, reviewer
):
    first, second = make_claim(S.SUBMITTED), make_claim(S.SUBMITTED, kind="funds")
    claims.transition(reviewer, type(first).objects.get(pk=first.pk), Action.REVIEW)
    result = claims.act_many(reviewer, [first, second], claims.ADVANCE, "批量通过")
    assert result.failed == [(first, claims.STALE_MESSAGE)]
    assert result.done == [second]
    assert second.events.get().comment == "批量通过"
    assert [e.to_status for e in first.events.all()] == [S.REVIEWED]
