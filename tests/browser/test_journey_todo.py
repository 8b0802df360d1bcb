"""Journey: work comes to the user (issue 18). A reviewer sends a unit's claim back from the
queue's default tab; the unit's staff sees it on the home page's to-do with the reason, fixes it
and resubmits; the reviewer finds it at the top of the default tab (可办理) again, while the
claims waiting on someone else sit in their own tab. At 1366 and 390 px.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects import claims
from tests.browser.data import submitted_claims
from tests.browser.files import tiny_pdf, upload
from tests.factories import PASSWORD, AssessmentYearFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "到账凭证金额与申报不符，请上传加盖银行印章的回单"


def queue_rows(page):
    return page.locator("#bulk-form table tbody tr")


def reviewer_returns_the_funds(j):
    page = j.page
    j.nav("审核队列")
    # The default tab holds what this reviewer can act on: the funds only — the signing and
    # the investment they reviewed wait on another person's 现场评估.
    expect(page.get_by_test_id("tab-act")).to_have_attribute("aria-current", "page")
    rows = queue_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("到位资金")
    expect(page.get_by_test_id("tab-waiting")).to_contain_text("2")
    j.check_widths("queue-default-tab")
    j.shot("queue-default-tab")
    j.submit(rows.first.get_by_role("link"))
    reject = page.get_by_test_id("action-reject")
    reject.get_by_role("textbox").fill(REASON)
    j.submit(reject.get_by_role("button", name="退回"))
    expect(page.get_by_role("alert").first).to_contain_text("已退回")


def fix_and_resubmit_the_funds(j):
    """From the returned claim's page: a new receipt through its edit page, then 申报 again
    from 我的申报."""
    page = j.page
    j.submit(page.get_by_role("link", name="修改"))
    j.field("佐证材料").set_input_files(
        upload("银行回单（盖章）.pdf", tiny_pdf("Receipt"), "application/pdf")
    )
    j.submit(page.get_by_role("button", name="保存"))
    expect(page.get_by_role("alert").first).to_contain_text("已保存")
    j.nav("我的申报")
    row = queue_rows(page).filter(has_text="到位资金")
    j.submit(row.get_by_role("button", name=re.compile("申报")))
    expect(queue_rows(page).filter(has_text="到位资金")).to_contain_text("已申报")


def two_reviewed_and_the_funds_submitted(staff, reviewer):
    """The unit's three claims submitted; the reviewer has reviewed the signing and the
    investment, so only the funds are theirs to act on."""
    AssessmentYearFactory(year=timezone.localdate().year)  # one person, one step per claim
    project, milestone, investment, funds = submitted_claims(staff)
    for claim in (milestone, investment):
        claims.transition(reviewer, claim, claims.Action.REVIEW, "资料齐全")
    return funds


def staff_sees_it_on_the_home_to_do_and_resubmits(j):
    page = j.page
    line = page.get_by_test_id("todo-returned")
    expect(line).to_be_visible()
    expect(line).to_contain_text("被退回的申报")
    expect(line.get_by_test_id("todo-count")).to_have_text("1")
    expect(line).to_contain_text(REASON)
    j.check_widths("home-to-do")
    j.shot("home-to-do")

    # The line's example opens the claim; a new receipt through its edit page.
    j.submit(line.get_by_role("link", name=re.compile("到位资金")))
    fix_and_resubmit_the_funds(j)
    j.shot("resubmitted")

    # Back home: nothing is returned any more.
    page.goto(j.url("/"))
    expect(page.get_by_test_id("todo-returned")).to_have_count(0)


def reviewer_finds_it_at_the_top(j):
    page = j.page
    line = page.get_by_test_id("todo-queue-submitted")
    expect(line.get_by_test_id("todo-count")).to_have_text("1")
    j.shot("reviewer-home-to-do")
    j.submit(line.get_by_role("link", name=re.compile("申报待审核")))
    rows = queue_rows(page)
    expect(rows.first).to_contain_text("到位资金")
    j.nav("审核队列")
    expect(queue_rows(page).first).to_contain_text("到位资金")
    expect(page.get_by_test_id("tab-act")).to_contain_text("1")
    j.check_widths("queue-after-resubmission")
    j.shot("queue-after-resubmission")
    # Opening it offers the step.
    j.submit(queue_rows(page).first.get_by_role("link"))
    expect(page.get_by_test_id("action-review")).to_be_visible()
    # The claims waiting on someone else are in their own tab, with nothing to tick.
    j.nav("审核队列")
    j.submit(page.get_by_test_id("tab-waiting"))
    expect(queue_rows(page)).to_have_count(2)
    expect(page.locator('#bulk-form input[name="selected"]')).to_have_count(0)
    j.shot("queue-waiting-tab")


def test_a_returned_claim_comes_back_to_the_top_of_the_queue(journey, staff_a, reviewer):
    two_reviewed_and_the_funds_submitted(staff_a, reviewer)
    j = journey("todo")

    j.login(reviewer.username, PASSWORD)
    reviewer_returns_the_funds(j)
    j.logout()

    j.login(staff_a.username, PASSWORD)
    staff_sees_it_on_the_home_to_do_and_resubmits(j)
    j.logout()

    j.login(reviewer.username, PASSWORD)
    reviewer_finds_it_at_the_top(j)
    j.logout()
    j.assert_no_page_problems()
