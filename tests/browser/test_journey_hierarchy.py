"""Journey: a county's staff open 下属单位 (issue 20 item 3) — from the unit page to the sub-units'
roll-up, then pass the county's funds target down to its town and park, and see the warning that
the sub-units' targets add up to less than the county's. At 1366 and 390 px."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.assessment.factories import default_year, funds, set_targets
from tests.factories import PASSWORD, ProjectFactory, UnitFactory
from units.models import UnitType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_staff_pass_targets_down_and_see_the_shortfall(journey, staff_a):
    county = staff_a.unit
    year = datetime.date.today().year
    ay = default_year(year)
    town = UnitFactory(name="城关镇", unit_type=UnitType.TOWN, parent=county, sort_order=1)
    park = UnitFactory(name="经开区", unit_type=UnitType.PARK, parent=county, sort_order=2)
    set_targets(ay, county, funds=1000)
    funds(ProjectFactory(unit=town, name="城关镇食品项目"), datetime.date(year, 1, 10), 300)
    funds_ind = ay.indicators.get(code="funds")

    j = journey("hierarchy")
    j.login(staff_a.username, PASSWORD)
    page = j.page
    j.goto(county.get_absolute_url())
    expect(page.get_by_test_id("subunits-card")).to_contain_text("城关镇")
    j.submit(page.get_by_test_id("subunits-link"))
    rollup = page.get_by_test_id("subunit-rollup")
    expect(rollup).to_contain_text("城关镇")
    expect(page.get_by_test_id("subunit-total")).to_contain_text("下属单位合计")
    j.check_widths("subunit-rollup")
    j.shot("subunit-rollup")

    j.submit(page.get_by_test_id("subunit-targets-link"))
    page.locator(f'input[name="t-{town.pk}-{funds_ind.pk}"]').fill("400")
    page.locator(f'input[name="t-{park.pk}-{funds_ind.pk}"]').fill("300")
    j.submit(page.get_by_role("button", name="保存下达目标"))
    expect(page.get_by_test_id("shortfalls")).to_contain_text("实际到位资金")
    j.check_widths("subunit-targets")
    j.shot("subunit-targets")

    j.submit(page.get_by_role("link", name="下属单位完成情况"))
    expect(page.get_by_test_id("subunit-row").first).to_contain_text("城关镇")
    expect(page.get_by_test_id("subunit-row").first).to_contain_text("75.00%")
    j.logout()
    j.assert_no_page_problems()
