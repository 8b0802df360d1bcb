"""Journey: a returned claim reaches the unit through the bell (issue 18 item 3). A reviewer
returns a unit's funds claim with a reason; the unit's staff sees the bell's unread count and
the home to-do line, opens the notification (which takes them to the claim and marks it read),
fixes and resubmits; the reviewer finds it at the top of their queue. At 1366 and 390 px.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_journey_todo import (
    REASON,
    fix_and_resubmit_the_funds,
    reviewer_finds_it_at_the_top,
    reviewer_returns_the_funds,
    two_reviewed_and_the_funds_submitted,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_opens_the_bell_and_resubmits(j):
    page = j.page
    bell = page.get_by_test_id("bell")
    expect(bell.get_by_test_id("bell-count")).to_have_text("1")
    expect(page.get_by_test_id("todo-returned")).to_contain_text(REASON)
    j.check_widths("home-bell-and-to-do")
    # The bell stays in sight on a phone, outside the folded menu.
    j.phone()
    expect(bell).to_be_visible()
    j.desktop()
    j.shot("home-bell-and-to-do")

    j.submit(bell)
    item = page.get_by_test_id("notification").first
    expect(item).to_have_attribute("data-unread", "1")
    expect(item).to_contain_text("申报被退回")
    expect(item).to_contain_text("到位资金")
    expect(item).to_contain_text(REASON)
    j.check_widths("notification-list")
    j.shot("notification-list")

    # Opening it goes to the claim and marks it read.
    j.submit(item)
    assert "/review/claims/funds/" in page.url
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    fix_and_resubmit_the_funds(j)

    # The list keeps the notification, read now; home has nothing returned any more.
    j.submit(page.get_by_test_id("bell"))
    expect(page.get_by_test_id("notification").first).to_have_attribute("data-unread", "0")
    page.goto(j.url("/"))
    expect(page.get_by_test_id("todo-returned")).to_have_count(0)
    j.shot("after-resubmission")


def test_a_returned_claim_rings_the_bell_and_comes_back_to_the_queue(journey, staff_a, reviewer):
    two_reviewed_and_the_funds_submitted(staff_a, reviewer)
    j = journey("notify")

    j.login(reviewer.username, PASSWORD)
    reviewer_returns_the_funds(j)
    # The reviewer's own action rings no bell of theirs.
    expect(j.page.get_by_test_id("bell-count")).to_have_count(0)
    j.logout()

    j.login(staff_a.username, PASSWORD)
    staff_opens_the_bell_and_resubmits(j)
    j.logout()

    j.login(reviewer.username, PASSWORD)
    reviewer_finds_it_at_the_top(j)
    j.logout()
    j.assert_no_page_problems()
