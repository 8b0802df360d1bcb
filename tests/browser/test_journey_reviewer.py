"""Journey 2: the assessment office verifies a unit's claims (考实考准).

The reviewer opens the queue, looks at the evidence, sends the funds claim back with a reason and
moves the other two through 资料审核 → 现场评估 → 会办确认; the unit reads the reason, uploads a
better receipt and resubmits; the reviewer takes it through the same steps; the city leader
审定 all three (CLAIM_APPROVERS defaults to the leader); the unit sees them verified.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import ClaimStatus, Evidence
from tests.browser.data import submitted_claims
from tests.browser.files import tiny_pdf, upload
from tests.factories import PASSWORD, AssessmentYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An image's natural width once it has loaded (0 when it fails to).
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth));
    img.addEventListener("error", () => done(0));
})"""
REASON = "到账凭证不清晰，请上传加盖银行印章的回单"


def queue_rows(page):
    return page.locator("#bulk-form table tbody tr")


def open_queue(j):
    j.nav("审核队列")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("审核队列")


def bulk(j, rows, action_label, comment=""):
    """Tick `rows` in the queue and apply one bulk action to them."""
    page = j.page
    for row in rows:
        row.locator('input[name="selected"]').check()
    page.get_by_label("操作").select_option(label=action_label)
    if comment:
        page.locator("#bulk-form textarea").fill(comment)
    page.get_by_test_id("confirm-bulk").check()  # every bulk action is confirmed (issue 18)
    j.submit(page.get_by_role("button", name="办理"))


def reviewer_checks_evidence_and_rejects_funds(j):
    page = j.page
    open_queue(j)
    rows = queue_rows(page)
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("甲县")
    j.check_widths("queue")
    j.shot("queue")

    # The signing: its contract downloads as the PDF the unit uploaded.
    rows.filter(has_text="签约").get_by_role("link").click()
    evidence = page.get_by_test_id("evidence")
    link = evidence.get_by_role("link", name="投资合同.pdf")
    expect(link).to_be_visible()
    response = page.request.get(j.url(link.get_attribute("href")))
    assert response.ok and response.body().startswith(b"%PDF-")
    assert "attachment" in response.headers["content-disposition"]
    j.check_widths("claim-signing")
    j.shot("claim-signing")

    # The funds: the receipt image is shown beside the figures; it is sent back with a reason.
    page.go_back()
    queue_rows(page).filter(has_text="到位资金").get_by_role("link").click()
    receipt = page.get_by_test_id("evidence").get_by_role("img", name="到账凭证.png")
    expect(receipt).to_be_visible()
    assert receipt.evaluate(LOADED_WIDTH) > 0, "the receipt image did not load"
    reject = page.get_by_test_id("action-reject")
    reject.get_by_role("textbox").fill(REASON)
    reject.get_by_role("button", name="退回").click()
    expect(page.get_by_role("alert").first).to_contain_text("已退回")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text(REASON)
    j.shot("funds-rejected")


def reviewer_advances_the_rest(j):
    page = j.page
    open_queue(j)
    rows = queue_rows(page)
    expect(rows).to_have_count(2)
    bulk(j, rows.all(), "通过（进入下一环节）", "资料齐全")
    expect(page.get_by_role("alert").first).to_be_visible()
    for row in rows.all():
        expect(row).to_contain_text("已审核")
    # 现场评估 records a date, inspectors and a result: a bulk 通过 leaves it to the claim page.
    bulk(j, rows.all(), "通过（进入下一环节）", "资料齐全")
    expect(
        page.get_by_role("alert").filter(has_text="现场评估须在申报页面逐件办理").first
    ).to_be_visible()
    for row in rows.all():
        expect(row).to_contain_text("已审核")
    for _ in range(2):
        queue_rows(page).filter(has_text="已审核").first.get_by_role("link").first.click()
        take_steps(j, (("site_assess", "已现场评估"), ("confirm", "已会办确认")))
        open_queue(j)
    # 审定 belongs to the leader: nothing is left for the reviewer to act on (issue 18), and
    # the two claims wait on someone else.
    expect(rows.locator('input[name="selected"]')).to_have_count(0)
    page.get_by_role("link", name=re.compile("待他人办理")).click()
    expect(rows).to_have_count(2)
    for row in rows.all():
        expect(row).to_contain_text("已会办确认")
    j.shot("queue-confirmed")


def unit_reads_reason_and_resubmits(j):
    page = j.page
    j.nav("我的申报")
    row = queue_rows(page).filter(has_text="到位资金")
    expect(row).to_contain_text("已退回")
    expect(row).to_contain_text(REASON)
    j.check_widths("my-claims-rejected")
    j.shot("my-claims-rejected")

    # Fix it: a new receipt through the claim's edit page, then 重新申报.
    row.get_by_role("link").click()
    page.get_by_role("link", name="修改").click()
    j.field("佐证材料").set_input_files(
        upload("银行回单（盖章）.pdf", tiny_pdf("Receipt"), "application/pdf")
    )
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存为草稿")
    j.nav("我的申报")
    row = queue_rows(page).filter(has_text="到位资金")
    row.get_by_role("button", name="重新申报").click()
    expect(queue_rows(page).filter(has_text="到位资金")).to_contain_text("已申报")
    j.shot("my-claims-resubmitted")


def take_steps(j, steps):
    """On a claim's page, take each (action, status) step, filling the structured record of
    现场评估 and 会办确认."""
    page = j.page
    records = {
        "site_assess": {
            "评估日期（必填）": "__today__",
            "评估人员（必填）": "吴考核",
            "评估结果（必填）": "属实",
        },
        "confirm": {"参加会办部门（必填）": "发改委、商务局", "会办意见（必填）": "同意"},
    }
    for action, status in steps:
        form = page.get_by_test_id(f"action-{action}")
        for label, value in records.get(action, {}).items():
            value = timezone.localdate().isoformat() if value == "__today__" else value
            form.get_by_label(label).fill(value)
        form.get_by_role("button", name=re.compile("审核通过|现场评估通过|会办确认")).click()
        expect(page.get_by_role("alert").first).to_contain_text(status)


def reviewer_takes_resubmission_through(j):
    page = j.page
    open_queue(j)
    queue_rows(page).filter(has_text="到位资金").get_by_role("link").click()
    expect(page.get_by_test_id("evidence")).to_contain_text("银行回单（盖章）.pdf")
    take_steps(j, (("review", "已审核"), ("site_assess", "已现场评估"), ("confirm", "已会办确认")))
    j.shot("funds-confirmed")


def leader_approves_all(j):
    page = j.page
    open_queue(j)
    rows = queue_rows(page)
    expect(rows).to_have_count(3)
    # 全选 in the table head ticks every row.
    page.get_by_role("checkbox", name="全选").check()
    for box in page.locator('#bulk-form input[name="selected"]').all():
        expect(box).to_be_checked()
    page.get_by_label("操作").select_option(label="通过（进入下一环节）")
    page.get_by_test_id("confirm-bulk").check()  # every bulk action is confirmed (issue 18)
    j.submit(page.get_by_role("button", name="办理"))
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_text("没有符合条件的申报")).to_be_visible()
    j.shot("queue-empty-after-approval")


def test_reviewer_rejects_one_claim_and_the_rest_are_approved(journey, staff_a, reviewer, leader):
    # This journey is the queue and the rejection loop with one reviewer: the year lets one
    # person take several steps (separation of duties: test_journey_verification).
    AssessmentYearFactory(year=timezone.localdate().year, separate_duties=False)
    project, milestone, investment, funds = submitted_claims(staff_a)
    j = journey("reviewer")

    j.login(reviewer.username, PASSWORD)
    reviewer_checks_evidence_and_rejects_funds(j)
    reviewer_advances_the_rest(j)
    j.logout()

    j.login(staff_a.username, PASSWORD)
    unit_reads_reason_and_resubmits(j)
    j.logout()

    j.login(reviewer.username, PASSWORD)
    reviewer_takes_resubmission_through(j)
    j.logout()

    j.login(leader.username, PASSWORD)
    leader_approves_all(j)
    j.logout()

    # The unit sees everything verified.
    j.login(staff_a.username, PASSWORD)
    j.nav("我的申报")
    for row in queue_rows(j.page).all():
        expect(row).to_contain_text("已审定")
    totals = j.page.get_by_test_id("claim-totals")
    expect(totals).to_contain_text("已审定 1 个")
    expect(totals).to_contain_text("1,500.00 万元")
    expect(totals).to_contain_text("2,600.00 万元")
    j.shot("my-claims-approved")

    for claim in (milestone, investment, funds):
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.APPROVED
    assert Evidence.objects.filter(funds=funds).count() == 2
    j.assert_no_page_problems()
