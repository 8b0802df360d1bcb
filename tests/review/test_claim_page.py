"""One claim's page: evidence beside the figures, its timeline, its history, and only the steps the
user may take — every refusal a 403 or a clear message, never a 500."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import locks
from projects import claims
from projects.models import ClaimStatus
from tests.factories import EvidenceFactory, ProjectFactory

S = ClaimStatus


def page_url(claim):
    return reverse("review:claim_detail", args=[claims.claim_type(claim), claim.pk])


def act_url(claim):
    return reverse("review:claim_act", args=[claims.claim_type(claim), claim.pk])


def test_reviewer_sees_figures_evidence_timeline_and_history(login, make_claim, staff_a, reviewer):
    claim = make_claim(S.DRAFT, kind="funds", amount=Decimal("2500"), evidence=False)
    EvidenceFactory(milestone=None, funds=claim, original_name="银行到账凭证.pdf")
    claims.transition(staff_a, claim, "submit", "一季度到位资金")
    page = login(reviewer).get(page_url(claim)).content.decode()
    assert "2,500.00 万元" in page
    assert "银行到账凭证.pdf" in page
    assert reverse("projects:evidence_download", args=[claim.evidence.get().pk]) in page
    assert "一季度到位资金" in page  # the timeline
    assert '核实状态：<span class="text-secondary">草稿</span> → <strong>已申报</strong>' in page
    assert 'data-testid="action-review"' in page
    assert 'data-testid="action-reject"' in page
    assert 'data-testid="action-approve"' not in page


def test_reviewer_takes_a_step_from_the_page(login, make_claim, reviewer):
    claim = make_claim(S.SUBMITTED)
    response = login(reviewer).post(
        act_url(claim),
        {"action": "review", "comment": "资料齐全", "version": claim.version},
        follow=True,
    )
    assert "已审核通过，当前状态：已审核" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.REVIEWED


def test_the_second_of_two_reviewers_on_one_page_gets_the_already_changed_message(
    login, make_claim, reviewer
):
    claim = make_claim(S.SUBMITTED)
    client = login(reviewer)
    seen = claim.version
    client.post(act_url(claim), {"action": "review", "version": seen})
    response = client.post(
        act_url(claim), {"action": "reject", "comment": "不符合", "version": seen}, follow=True
    )
    assert "该申报已被他人处理，请刷新后重试。" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.REVIEWED


def test_a_unit_cannot_approve_its_own_claim_through_the_page(login, make_claim, staff_a):
    claim = make_claim(S.CONFIRMED)
    response = login(staff_a).post(act_url(claim), {"action": "approve", "version": 1})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == S.CONFIRMED


def test_a_leader_cannot_review(login, make_claim, leader):
    claim = make_claim(S.SUBMITTED)
    assert login(leader).post(act_url(claim), {"action": "review"}).status_code == 403


def test_reject_without_reason_is_a_form_error(login, make_claim, reviewer):
    claim = make_claim(S.SUBMITTED)
    response = login(reviewer).post(
        act_url(claim), {"action": "reject", "comment": ""}, follow=True
    )
    assert "“退回”必须填写理由。" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_garbage_input_is_refused_cleanly(login, make_claim, reviewer):
    claim = make_claim(S.SUBMITTED)
    client = login(reviewer)
    response = client.post(act_url(claim), {"action": "explode", "version": "x"}, follow=True)
    assert response.status_code == 200
    assert "不在可选范围内" in response.content.decode()
    assert client.get("/review/claims/nonsense/1/").status_code == 404


def test_the_rejection_reason_shows_on_the_claim_page_for_the_unit(
    login, make_claim, reviewer, staff_a
):
    claim = make_claim(S.SUBMITTED)
    claims.transition(reviewer, claim, "reject", "合同未盖章")
    page = login(staff_a).get(page_url(claim)).content.decode()
    assert "退回理由：合同未盖章" in page
    assert 'data-testid="action-submit"' in page


def test_reopening_is_recorded_and_shown(login, make_claim, reviewer):
    claim = make_claim(S.APPROVED)
    client = login(reviewer)
    assert "该申报已审定" in client.get(page_url(claim)).content.decode()
    client.post(act_url(claim), {"action": "reopen", "comment": "金额录入错误", "version": 1})
    page = client.get(page_url(claim)).content.decode()
    assert "重新打开理由：金额录入错误" in page


def test_a_claim_in_a_published_period_shows_no_actions(monkeypatch, login, make_claim, reviewer):
    monkeypatch.setattr(
        locks, "locked_through", lambda year: datetime.date(2026, 3, 31) if year == 2026 else None
    )
    claim = make_claim(S.SUBMITTED, date=datetime.date(2026, 3, 15))
    page = login(reviewer).get(page_url(claim)).content.decode()
    assert "数据已锁定" in page
    assert "您当前没有可办理的操作" in page
    response = login(reviewer).post(act_url(claim), {"action": "review"}, follow=True)
    assert "已发布通报" in response.content.decode()


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED])
def test_another_units_claims_are_not_found(login, make_claim, staff_b, status):
    claim = make_claim(status)
    assert login(staff_b).get(page_url(claim)).status_code == 404
    assert login(staff_b).post(act_url(claim), {"action": "submit"}).status_code == 404


def test_drafts_stay_with_their_unit(login, make_claim, reviewer, coordinator, staff_a):
    claim = make_claim(S.DRAFT)
    assert login(reviewer).get(page_url(claim)).status_code == 404
    assert login(coordinator).get(page_url(claim)).status_code == 404
    assert login(staff_a).get(page_url(claim)).status_code == 200


def test_a_coordinator_reads_a_member_units_submitted_claim(login, make_claim, coordinator):
    claim = make_claim(S.SUBMITTED)
    page = login(coordinator).get(page_url(claim)).content.decode()
    assert "您当前没有可办理的操作" in page


def test_a_claim_moved_to_another_project_names_both_projects(login, make_claim, reviewer, unit_a):
    """A claim's foreign keys read as names (an administrator moved it to the right project)."""
    claim = make_claim(S.SUBMITTED)
    claim.project = ProjectFactory(unit=unit_a, name="甲县储能电站项目")
    claim.save()
    page = login(reviewer).get(page_url(claim)).content.decode()
    assert (
        '项目：<span class="text-secondary">甲县新能源电池项目</span> → '
        "<strong>甲县储能电站项目</strong>" in page
    )
