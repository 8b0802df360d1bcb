"""Journey: the lead unit's coordinator (协作组牵头单位) prepares the group leader's meeting.

Logging in lands on the group's workspace; the coordinator opens the published third quarter,
sees the group's targets against actuals, the members behind the time progress highlighted and
an open 帮办 item, then opens the printable group 通报 and prints it to PDF — at 1366 and 390 px.
"""

import re

import pytest
from playwright.sync_api import expect

from assessment.formatting import quarter_name
from projects.models import Project
from tests.browser.test_journey_leader import published_third_quarter
from tests.browser.workbook import QUARTER, YEAR
from tests.factories import PASSWORD, AssistanceItemFactory, UserFactory
from units.models import CollaborationGroup, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "第一招商协作组"
PROJECT = "年产5万吨锂电正极材料项目"  # 东湖区's, signed 2026-03-10


def coordinator_of_the_group(reviewer):
    published_third_quarter(reviewer)
    group = CollaborationGroup.objects.get(year=YEAR, name=GROUP)
    AssistanceItemFactory(
        project=Project.objects.get(name=PROJECT),
        problem="二期用地指标尚未落实",
        responsible_leader="张建国",
    )
    user = UserFactory(
        username="coord_journey", role=Role.COORDINATOR, unit=group.lead_unit, display_name="周明远"
    )
    return group, user


def workspace_highlights_members_behind_schedule(j, group):
    page = j.page
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{YEAR} 年度 · {GROUP}")
    page.get_by_role("navigation", name="季度").get_by_role(
        "link", name=quarter_name(QUARTER)
    ).click()
    page.wait_for_url(re.compile(rf"quarter={QUARTER}"))
    expect(page.get_by_test_id("ws-period")).to_contain_text("序时进度：75.00%")
    expect(page.get_by_test_id("group-indicators")).to_contain_text("实际到位资金")
    expect(page.get_by_test_id("group-rank")).to_contain_text("全市协作组第 1 名")
    rows = page.get_by_test_id("member-row")
    expect(rows).to_have_count(3)
    donghu = rows.filter(has_text="东湖区")
    expect(donghu).to_have_attribute("data-behind", "1")
    expect(donghu).to_have_class(re.compile(r"table-danger"))
    expect(donghu.get_by_text("低于序时进度")).to_be_visible()
    expect(donghu.get_by_test_id("member-rank")).to_have_text("1")
    expect(page.get_by_test_id("behind-members")).to_contain_text("东湖区：实际到位资金")
    expect(page.get_by_test_id("group-assistance")).to_contain_text("二期用地指标尚未落实")
    j.check_widths("workspace")
    j.shot("workspace")


def group_report_prints_to_pdf(j):
    page = j.page
    j.submit(page.get_by_role("link", name="协作组通报（打印）"))
    title = f"{YEAR}年{quarter_name(QUARTER)}{GROUP}招商引资工作情况通报"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    report = page.get_by_test_id("group-report")
    expect(report).to_contain_text("组长：张建国")
    members = report.get_by_test_id("report-members").locator("tbody tr")
    expect(members).to_have_count(3)
    # In rank order: 东湖区 1, 高新区 2, 西山区 3.
    expect(members.nth(1)).to_contain_text("高新区")
    expect(report.get_by_test_id("report-behind")).to_contain_text("东湖区：实际到位资金")
    j.check_widths("group-report")
    j.shot("group-report")
    path = j.artifact("协作组通报.pdf")
    page.pdf(path=str(path), format="A4", print_background=True)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("article.report h1")).to_be_visible()
    page.emulate_media(media="screen")


def test_coordinator_sees_who_is_behind_and_prints_the_group_report(journey, reviewer):
    group, user = coordinator_of_the_group(reviewer)
    j = journey("coordinator")
    j.login(user.username, PASSWORD)
    # Home is the to-do panel (issue 18); its first link leads to the group's workspace.
    j.submit(j.page.get_by_test_id("workspace-link"))
    assert j.page.url.endswith(f"/groups/{group.pk}/"), j.page.url
    workspace_highlights_members_behind_schedule(j, group)
    group_report_prints_to_pdf(j)
    j.assert_no_page_problems()
