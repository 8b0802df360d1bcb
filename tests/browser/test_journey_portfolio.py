"""Journey: a city leader opens 我的包扶项目 (五个一 包扶, issue 19 item 5). The leader logs in,
goes from the home page to the projects they sponsor — the headline counts, the overdue 帮办
marked — and opens one project; the office reads the city-wide 包扶表. At 1366 and 390 px.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import PersonKind
from tests.factories import (
    PASSWORD,
    AssistanceItemFactory,
    MonthlyInvestmentFactory,
    PersonFactory,
    ProjectFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "年产5万吨锂电正极材料项目"


def test_a_leader_opens_the_projects_they_sponsor(journey, leader, reviewer, unit_a, unit_b):
    today = services.today()
    li = PersonFactory(name="张建国", kind=PersonKind.LEADER, title="常务副市长", user=leader)
    deputy = PersonFactory(name="王海燕", kind=PersonKind.LEADER, title="副市长")
    battery = ProjectFactory(
        name=PROJECT, unit=unit_a, sponsor_leader=li, deputy_leader=deputy, is_key=True
    )
    ProjectFactory(name="乙县冷链物流园项目", unit=unit_b, sponsor_leader=li, stage="started")
    MonthlyInvestmentFactory(project=battery, month=today.replace(day=1), amount=Decimal("1200"))
    AssistanceItemFactory(
        project=battery, problem="用地指标不足", deadline=today - datetime.timedelta(days=5)
    )
    j = journey("portfolio")
    page = j.page

    j.login(leader.username, PASSWORD)
    j.submit(page.get_by_test_id("home-my-portfolio"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的包扶项目")
    expect(page.get_by_test_id("portfolio-headline")).to_contain_text("2 个")
    expect(page.get_by_test_id("overdue-count")).to_have_text("1 件")
    rows = page.get_by_test_id("portfolio-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(PROJECT)
    expect(rows.first).to_contain_text("用地指标不足")
    expect(rows.first).to_contain_text("王海燕（副市长）")
    expect(rows.first).to_contain_text("1,200.00")
    j.check_widths("my-portfolio")
    j.shot("my-portfolio")
    j.submit(rows.first.get_by_role("link", name=PROJECT))
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    expect(page.locator("body")).to_contain_text("王海燕（副市长）")
    j.check_widths("project")
    j.shot("project")
    j.logout()

    j.login(reviewer.username, PASSWORD)
    j.nav("招商项目", "包扶表")
    table = page.get_by_test_id("baofu-table")
    expect(table).to_contain_text("用地指标不足（已逾期）")
    expect(table).to_contain_text("张建国（常务副市长）")
    j.check_widths("baofu-table")
    j.shot("baofu-table")
    j.logout()
    j.assert_no_page_problems()
