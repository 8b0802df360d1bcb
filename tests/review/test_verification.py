"""考实考准 (SPEC §4, issue 17): evidence of the right kind to submit and approve, 认定, the
structured steps, separation of duties and the own-unit rule — service and pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.engine import compute
from projects import claims
from projects.claims import Action, ClaimError
from projects.locks import Periods
from projects.models import DEFAULT_EVIDENCE_RULES, ClaimEvent, ClaimStatus, Evidence
from tests.factories import AssessmentYearFactory, EvidenceFactory, UserFactory, step_record
from tests.factories.assessment import default_year, set_targets
from units.models import Role

S = ClaimStatus
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def act_url(claim):
    return reverse("review:claim_act", args=[claims.claim_type(claim), claim.pk])


def page_url(claim):
    return reverse("review:claim_detail", args=[claims.claim_type(claim), claim.pk])


def walk_to(claim, status, reviewers, leader=None):
    """Move a pending claim forward from where it is to `status` (None: approved), one
    reviewer per step."""
    order = [
        (S.SUBMITTED, S.REVIEWED, Action.REVIEW),
        (S.REVIEWED, S.SITE_ASSESSED, Action.SITE_ASSESS),
        (S.SITE_ASSESSED, S.CONFIRMED, Action.CONFIRM),
    ]
    people = iter(reviewers)
    for source, target, action in order:
        if claim.status != source:
            continue
        claims.transition(next(people), claim, action, "", record=step_record(action))
        if target == status:
            return claim
    claims.transition(leader, claim, Action.APPROVE, "")
    return claim


# --- evidence ----------------------------------------------------------------------------------


def test_the_default_rules_ask_receipt_contract_permit_or_photos_acceptance_and_nothing_else(db):
    assert DEFAULT_EVIDENCE_RULES == {
        "funds": ["receipt"],
        "signed": ["contract"],
        "started": ["permit", "site_photo"],
        "completed": ["acceptance"],
        "investment": [],
    }
    year = AssessmentYearFactory(year=2026)
    assert year.evidence_rules == DEFAULT_EVIDENCE_RULES
    assert year.separate_duties is True
    assert Periods().evidence_rules(2031) == DEFAULT_EVIDENCE_RULES  # a year without settings


def test_funds_without_a_receipt_cannot_be_submitted_and_the_message_names_it(make_claim, staff_a):
    claim = make_claim(S.DRAFT, kind="funds", evidence=False)
    EvidenceFactory(funds=claim, milestone=None, kind="contract")  # the wrong kind
    with pytest.raises(ClaimError, match="到位资金申报须附“到账凭证”类型的佐证材料") as info:
        claims.transition(staff_a, claim, Action.SUBMIT)
    assert not info.value.forbidden  # a message on the page, not a 403
    assert "submit" not in claims.allowed_actions(staff_a, claim)
    claim.refresh_from_db()
    assert claim.status == S.DRAFT
    EvidenceFactory(funds=claim, milestone=None, kind="receipt")
    claim = type(claim).objects.get(pk=claim.pk)  # a fresh page
    claims.transition(staff_a, claim, Action.SUBMIT)
    assert claim.status == S.SUBMITTED


def test_a_start_needs_a_permit_or_site_photos(make_claim, staff_a):
    claim = make_claim(S.DRAFT, kind="milestone", evidence=False)
    claim.kind = "started"
    claim.save()
    with pytest.raises(ClaimError, match="施工许可或现场照片"):
        claims.transition(staff_a, claim, Action.SUBMIT)
    EvidenceFactory(milestone=claim, kind="site_photo")
    claim = type(claim).objects.get(pk=claim.pk)
    claims.transition(staff_a, claim, Action.SUBMIT)
    assert claim.status == S.SUBMITTED


def test_monthly_investment_needs_no_evidence_by_default_but_a_year_may_ask_for_it(
    make_claim, staff_a
):
    claim = make_claim(S.DRAFT, kind="investment", evidence=False)
    claims.transition(staff_a, claim, Action.SUBMIT)
    assert claim.status == S.SUBMITTED
    year = AssessmentYearFactory(year=2026)
    year.evidence_rules = {**DEFAULT_EVIDENCE_RULES, "investment": ["site_photo"], "funds": []}
    year.save()
    other = make_claim(S.DRAFT, kind="investment", evidence=False, month=datetime.date(2026, 2, 1))
    with pytest.raises(ClaimError, match="月度固定资产投资申报须附“现场照片”"):
        claims.transition(staff_a, other, Action.SUBMIT)
    funds = make_claim(S.DRAFT, kind="funds", evidence=False)
    claims.transition(staff_a, funds, Action.SUBMIT)  # this year made funds' receipt optional
    assert funds.status == S.SUBMITTED


def test_bulk_submit_refuses_each_claim_without_evidence_and_submits_the_rest(make_claim, staff_a):
    bare = make_claim(S.DRAFT, kind="funds", evidence=False)
    ready = make_claim(S.DRAFT, kind="funds")
    result = claims.submit_many(staff_a, [bare, ready])
    assert result.done == [ready]
    assert [(c, "到账凭证" in m) for c, m in result.failed] == [(bare, True)]


def test_the_submit_button_is_absent_and_a_forced_post_says_what_is_missing(
    login, make_claim, staff_a
):
    claim = make_claim(S.DRAFT, kind="funds", evidence=False)
    client = login(staff_a)
    page = client.get(page_url(claim)).content.decode()
    assert 'data-testid="action-submit"' not in page
    assert "缺少佐证" in page and "到账凭证" in page
    response = client.post(
        act_url(claim), {"action": "submit", "version": claim.version}, follow=True
    )
    assert response.status_code == 200
    assert "到位资金申报须附“到账凭证”类型的佐证材料" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.DRAFT


def test_a_pending_claim_without_evidence_cannot_be_approved_until_it_has_it(
    make_claim, reviewer, reviewer2, reviewer3, leader
):
    """A claim imported as 已申报 without its file: it may be reviewed, never approved."""
    claim = make_claim(S.SUBMITTED, kind="funds", evidence=False)
    walk_to(claim, S.CONFIRMED, [reviewer, reviewer2, reviewer3])
    assert claims.allowed_actions(leader, claim) == ["reject"]
    with pytest.raises(ClaimError, match="缺少佐证"):
        claims.transition(leader, claim, Action.APPROVE)
    EvidenceFactory(funds=claim, milestone=None)
    claim = type(claim).objects.get(pk=claim.pk)
    claims.transition(leader, claim, Action.APPROVE)
    assert claim.status == S.APPROVED


def test_an_evidence_upload_records_its_kind(login, make_claim, staff_a):
    claim = make_claim(S.DRAFT, kind="funds", evidence=False)
    url = reverse("projects:evidence_add", args=["funds", claim.pk])
    upload = SimpleUploadedFile("回单.png", PNG, content_type="image/png")
    response = login(staff_a).post(url, {"kind": "receipt", "file": upload})
    assert response.status_code == 302
    assert claim.evidence.get().kind == "receipt"


# --- 认定 ---------------------------------------------------------------------------------------


def test_a_reviewer_recognises_less_than_claimed_with_a_reason_and_the_engine_counts_it(
    make_claim, unit_a, staff_a, reviewer, reviewer2, reviewer3, leader
):
    year = default_year(2026)
    set_targets(year, unit_a, funds=1000)
    claim = make_claim(S.DRAFT, kind="funds", amount=Decimal("800"))
    claims.transition(staff_a, claim, Action.SUBMIT)
    record = claims.steps.StepRecord(recognised_amount=Decimal("600"))
    with pytest.raises(ClaimError, match="必须填写认定理由"):
        claims.transition(reviewer, claim, Action.REVIEW, record=record)
    record.reason = "其中 200 万元为市内资金"
    claims.transition(reviewer, claim, Action.REVIEW, "资料齐全", record=record)
    walk_to(claim, None, [reviewer2, reviewer3], leader)
    claim.refresh_from_db()
    assert (claim.amount, claim.recognised_amount) == (Decimal("800"), Decimal("600"))
    event = claim.events.get(to_status=S.REVIEWED)
    assert (event.claimed_amount, event.recognised_amount) == (Decimal("800"), Decimal("600"))
    unit = next(u for u in compute(2026, 4).units if u.id == unit_a.pk)
    assert unit.indicators["funds"].actual == Decimal("600")
    history = list(
        claim.history.order_by("history_date").values_list("amount", "recognised_amount")
    )
    assert (Decimal("800"), Decimal("600")) in history


def test_a_recognised_amount_above_the_claim_or_on_a_milestone_is_refused(make_claim, reviewer):
    claim = make_claim(S.SUBMITTED, kind="funds", amount=Decimal("500"))
    too_much = claims.steps.StepRecord(recognised_amount=Decimal("501"), reason="多认")
    with pytest.raises(ClaimError, match="不能高于申报金额"):
        claims.transition(reviewer, claim, Action.REVIEW, record=too_much)
    milestone = make_claim(S.SUBMITTED)
    amount = claims.steps.StepRecord(recognised_amount=Decimal("1"), reason="x")
    with pytest.raises(ClaimError, match="项目节点不设认定金额"):
        claims.transition(reviewer, milestone, Action.REVIEW, record=amount)
    assert not ClaimEvent.objects.exists()


def test_recognition_only_at_review_or_site_assessment(make_claim, reviewer):
    claim = make_claim(S.SITE_ASSESSED, kind="funds")
    record = claims.steps.StepRecord(not_recognised=True, reason="不属实")
    with pytest.raises(ClaimError, match="只有审核或现场评估环节"):
        claims.transition(reviewer, claim, Action.CONFIRM, record=record)


def test_a_milestone_not_recognised_does_not_count(
    make_claim, unit_a, reviewer, reviewer2, reviewer3, leader
):
    year = default_year(2026)
    set_targets(year, unit_a, signed_100m=1)
    claim = make_claim(S.SUBMITTED)
    claim.project.contracted_investment = Decimal("20000")
    claim.project.save()
    record = claims.steps.StepRecord(not_recognised=True, reason="合同未生效")
    claims.transition(reviewer, claim, Action.REVIEW, record=record)
    walk_to(claim, None, [reviewer2, reviewer3], leader)
    unit = next((u for u in compute(2026, 4).units if u.id == unit_a.pk), None)
    assert unit is not None and unit.indicators["signed_100m"].actual == 0


def test_a_resubmitted_claim_is_recognised_as_claimed_again(make_claim, reviewer, staff_a):
    claim = make_claim(S.SUBMITTED, kind="funds", amount=Decimal("500"))
    record = claims.steps.StepRecord(recognised_amount=Decimal("300"), reason="部分未到账")
    claims.transition(reviewer, claim, Action.REVIEW, record=record)
    claims.transition(UserFactory(role=Role.REVIEWER), claim, Action.REJECT, "请核对")
    claims.transition(staff_a, claim, Action.SUBMIT)
    claim.refresh_from_db()
    assert (claim.recognised_amount, claim.not_recognised) == (None, False)


def test_the_claim_page_records_a_recognition_and_shows_it_beside_the_claim(
    login, make_claim, reviewer
):
    claim = make_claim(S.SUBMITTED, kind="funds", amount=Decimal("800"))
    client = login(reviewer)
    data = {
        "action": "review",
        "version": claim.version,
        "recognised_amount": "650",
        "recognition_reason": "150 万元凭证不清",
    }
    page = client.post(act_url(claim), data, follow=True).content.decode()
    assert 'data-testid="recognition"' in page
    assert "650.00 万元" in page and "800.00 万元" in page and "150 万元凭证不清" in page
    claim.refresh_from_db()
    assert claim.recognised_amount == Decimal("650")


# --- structured steps ---------------------------------------------------------------------------


def test_site_assessment_from_the_page_needs_date_inspectors_result_and_keeps_photos(
    login, make_claim, reviewer2
):
    claim = make_claim(S.REVIEWED, kind="funds")
    client = login(reviewer2)
    bare = client.post(act_url(claim), {"action": "site_assess", "version": claim.version})
    assert "请填写评估日期" in bare.content.decode() or bare.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.REVIEWED
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    data = {
        "action": "site_assess",
        "version": claim.version,
        "visit_date": "2026-04-02",
        "inspectors": "郑评估、李核查",
        "result": "厂房已建成，设备进场",
        "photos": [photo],
    }
    page = client.post(act_url(claim), data, follow=True).content.decode()
    claim.refresh_from_db()
    assert claim.status == S.SITE_ASSESSED
    event = claim.events.get(to_status=S.SITE_ASSESSED)
    assert event.details["inspectors"] == "郑评估、李核查"
    assert event.details["visit_date"] == "2026-04-02"
    assert Evidence.objects.filter(funds=claim, kind="site_photo").count() == 1
    assert "厂房已建成，设备进场" in page and "现场.png" in page


def test_confirmation_records_the_departments_present(login, make_claim, reviewer3):
    claim = make_claim(S.SITE_ASSESSED, kind="funds")
    data = {
        "action": "confirm",
        "version": claim.version,
        "departments": "发改委、商务局",
        "decision": "同意上报",
    }
    page = login(reviewer3).post(act_url(claim), data, follow=True).content.decode()
    event = claim.events.get(to_status=S.CONFIRMED)
    assert event.details == {"departments": "发改委、商务局", "decision": "同意上报"}
    assert "参加会办部门" in page and "发改委、商务局" in page


# --- separation of duties and own unit ----------------------------------------------------------


def test_the_same_reviewer_is_not_offered_a_second_step(make_claim, reviewer, reviewer2):
    claim = make_claim(S.SUBMITTED, kind="funds")
    claims.transition(reviewer, claim, Action.REVIEW)
    assert claims.allowed_actions(reviewer, claim) == []  # neither 现场评估 nor 退回
    assert claims.allowed_actions(reviewer2, claim) == ["site_assess", "reject"]
    with pytest.raises(ClaimError, match="同一人不能办理同一申报的两个不同环节") as info:
        claims.transition(reviewer, claim, Action.SITE_ASSESS)
    assert info.value.forbidden
    result = claims.act_many(reviewer, [claim], claims.ADVANCE)
    assert not result.done and "没有您可办理的下一环节" in result.failed[0][1]


def test_the_claim_page_offers_the_first_reviewer_nothing_and_says_why(login, make_claim, reviewer):
    claim = make_claim(S.SUBMITTED, kind="funds")
    claims.transition(reviewer, claim, Action.REVIEW)
    page = login(reviewer).get(page_url(claim)).content.decode()
    assert 'data-testid="action-site_assess"' not in page
    assert 'data-testid="duty-notice"' in page
    response = login(reviewer).post(
        act_url(claim), {"action": "site_assess", "version": claim.version}
    )
    assert response.status_code in (200, 302, 403)
    claim.refresh_from_db()
    assert claim.status == S.REVIEWED


def test_a_year_may_let_one_person_take_several_steps(make_claim, reviewer):
    AssessmentYearFactory(year=2026, separate_duties=False)
    claim = make_claim(S.SUBMITTED, kind="funds")
    claims.transition(reviewer, claim, Action.REVIEW)
    claims.transition(reviewer, claim, Action.SITE_ASSESS, record=step_record("site_assess"))
    assert claim.status == S.SITE_ASSESSED


def test_a_reviewer_of_the_claims_own_unit_never_acts_on_it(make_claim, unit_a):
    insider = UserFactory(role=Role.REVIEWER, unit=unit_a)
    claim = make_claim(S.SUBMITTED, kind="funds")
    assert claims.allowed_actions(insider, claim) == []
    with pytest.raises(ClaimError, match="不能办理本单位的申报"):
        claims.transition(insider, claim, Action.REVIEW)


def test_a_published_year_may_still_change_its_verification_settings(db):
    """They decide who acts next, never a counted figure (zhaoshang.guard.YearRule.FREE)."""
    from zhaoshang.guard import YearRule

    assert {"evidence_rules", "separate_duties"} <= YearRule.FREE
