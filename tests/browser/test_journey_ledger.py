"""Journey: a campaign has ended → the office opens its 奖惩台账 → proposals from the campaign's
rules are listed → the office confirms 离岗招商 for one unit with a 文号 → the unit's page shows
it, to the office and to the unit's own staff (issue 20 "Must show"). At 1366 and 390 px.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment.models import UnitHead
from tests.factories import PASSWORD
from tests.ledger.helpers import ended_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOC = "招指〔2025〕12号"


def office_generates_and_confirms(j, campaign, unit_a):
    page = j.page
    j.goto(campaign.get_absolute_url())
    j.submit(page.get_by_test_id("campaign-ledger"))
    expect(page.get_by_test_id("ledger-empty")).to_be_visible()
    j.submit(page.get_by_test_id("ledger-generate"))
    expect(page.get_by_role("alert").first).to_contain_text("新增 2 条")
    rows = page.get_by_test_id("ledger-row")
    expect(rows).to_have_count(2)
    off_post = rows.filter(has_text=unit_a.name)
    expect(off_post).to_contain_text("离岗招商")
    expect(off_post).to_contain_text("拟议")
    expect(off_post).to_contain_text("低于 50%")
    expect(off_post).to_contain_text("赵刚")  # the head in post at the campaign's end
    expect(rows.filter(has_text="表彰（单位）")).to_have_count(1)
    j.check_widths("ledger-proposals")
    j.shot("ledger-proposals")

    j.submit(off_post.get_by_role("link", name="确认"))
    expect(page.get_by_test_id("decision-basis")).to_contain_text("总体完成率 30.00%")
    form = page.get_by_test_id("confirm-form")
    # Without a 文号 nothing is confirmed and the message says why.
    j.field("文号").fill("")
    j.submit(form.get_by_role("button", name="确认"))
    expect(page.get_by_text("请填写文号。")).to_be_visible()
    j.field("决定日期").fill("2025-07-20")
    j.field("文号").fill(DOC)
    j.check_widths("ledger-confirm-form")
    j.shot("ledger-confirm-form")
    j.submit(page.get_by_test_id("confirm-form").get_by_role("button", name="确认"))
    row = page.get_by_test_id("ledger-row").filter(has_text=unit_a.name)
    expect(row).to_contain_text("已确认")
    expect(row).to_contain_text(DOC)
    j.check_widths("ledger-confirmed")
    j.shot("ledger-confirmed")


def unit_page_shows_it(j, unit_a, step):
    page = j.page
    j.goto(unit_a.get_absolute_url())
    history = page.get_by_test_id("unit-ledger")
    expect(history).to_contain_text("离岗招商")
    expect(history).to_contain_text(DOC)
    expect(history).to_contain_text("2025-07-20")
    j.check_widths(step)
    j.shot(step)


def test_the_office_confirms_a_campaign_sanction_and_the_unit_page_shows_it(
    journey, reviewer, staff_a, unit_a, unit_b
):
    UnitHead.objects.create(unit=unit_a, name="赵刚", start="2024-01-01")
    campaign = ended_campaign(
        {unit_a: 30, unit_b: 100},
        sanction_below_rate=Decimal("50"),
        commend_on_completion=True,
    )
    j = journey("ledger")

    j.login(reviewer.username, PASSWORD)
    office_generates_and_confirms(j, campaign, unit_a)
    unit_page_shows_it(j, unit_a, "unit-page-office")
    j.logout()

    # The unit's own staff see the confirmed decision on their unit's page (not the proposals).
    j.login(staff_a.username, PASSWORD)
    unit_page_shows_it(j, unit_a, "unit-page-staff")
    j.goto(f"/assessment/campaigns/{campaign.pk}/ledger/")
    expect(j.page.get_by_test_id("ledger-row")).to_have_count(1)
    expect(j.page.get_by_test_id("ledger-generate")).to_have_count(0)
    j.logout()
    j.assert_no_page_problems()
