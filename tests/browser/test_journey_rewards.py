"""Journey: the assessment office's intermediary rewards (issue 19 item 4). From the persons
registry the office opens the year's rewards, computes the 拟奖励 list, starts the 公示 with a
period (the list shows 公示中 and the period), prints the 公示 page, approves after the period
and records the payment (who, when, 文号). At 1366 and 390 px."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import PersonKind
from tests.factories import PASSWORD, IntroducerFactory, PersonFactory, ProjectFactory
from tests.factories.assessment import default_year, funds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_publicises_approves_and_pays_rewards(journey, reviewer, unit_a):
    today = services.today()
    ay = default_year(today.year)
    for name, amount in (("王经理", 3000), ("李顾问", 800)):
        person = PersonFactory(name=name, kind=PersonKind.INTERMEDIARY, organisation="苏州商会")
        project = ProjectFactory(unit=unit_a, name=f"{name}引进项目")
        funds(project, datetime.date(ay.year, 1, 2), Decimal(amount))
        IntroducerFactory(project=project, person=person)
    start, end = today - datetime.timedelta(days=12), today - datetime.timedelta(days=5)
    j = journey("rewards")
    page = j.page
    j.login(reviewer.username, PASSWORD)
    j.goto("/persons/")
    j.submit(page.get_by_test_id("rewards-link"))
    expect(page.get_by_test_id("reward-preview")).to_contain_text("王经理")
    j.submit(page.get_by_test_id("reward-compute"))
    expect(page.get_by_test_id("reward-table")).to_contain_text("3.00")  # 3000 × 1‰
    j.check_widths("rewards-draft")
    j.shot("rewards-draft")

    j.field("公示开始").fill(start.isoformat())
    j.field("公示结束").fill(end.isoformat())
    j.submit(page.get_by_test_id("reward-publicise"))
    expect(page.get_by_test_id("reward-status")).to_have_text("公示中")
    expect(page.get_by_test_id("publicity-period")).to_contain_text(f"{start.year}年")
    row = page.get_by_test_id("reward-row").filter(has_text="李顾问")
    row.get_by_label("奖励金额（万元）").fill("0.50")
    j.submit(row.get_by_role("button", name="调整"))
    expect(page.locator(".alert-danger")).to_contain_text("须填写理由")
    row = page.get_by_test_id("reward-row").filter(has_text="李顾问")
    row.get_by_label("奖励金额（万元）").fill("0.50")
    row.get_by_label("调整理由").fill("公示期间核减")
    j.submit(row.get_by_role("button", name="调整"))
    expect(page.get_by_test_id("reward-changes")).to_contain_text("公示期间核减")
    j.check_widths("rewards-publicised")
    j.shot("rewards-publicised")

    j.submit(page.get_by_test_id("reward-notice"))
    expect(page.get_by_test_id("reward-notice-page")).to_contain_text("公示期")
    j.check_widths("rewards-notice")
    j.shot("rewards-notice")
    page.go_back()

    j.submit(page.get_by_test_id("reward-approve"))
    expect(page.get_by_test_id("reward-status")).to_have_text("已审定")
    j.field("发放经办").fill("市财政局 李会计")
    j.field("发放日期").fill(today.isoformat())
    j.field("发放文号").fill("招考〔2026〕8号")
    j.submit(page.get_by_test_id("reward-pay"))
    expect(page.get_by_test_id("reward-status")).to_have_text("已发放")
    expect(page.get_by_test_id("publicity-period")).to_contain_text("招考〔2026〕8号")
    expect(page.get_by_label("调整理由")).to_have_count(0)
    j.check_widths("rewards-paid")
    j.shot("rewards-paid")
    j.logout()
    j.assert_no_page_problems()
