"""Journey 1: a unit's 填报员 registers a project and reports its progress for verification.

Log in → add a project (a bad amount first: a Chinese form error, nothing saved) → give 40 % of
its credit to another unit, found with the unit search box → record its
signing with the contract PDF → this month's fixed-asset investment and funds in place with a
bank receipt → file the monthly report → submit every draft from 我的申报 → see them pending.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import ClaimStatus, FundsEntry, Milestone, MonthlyInvestment, Project
from tests.browser.files import tiny_pdf, tiny_png, upload
from tests.factories import PASSWORD, IndustryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "新能源电池材料生产基地项目"


def add_project(j):
    """The project form, first with a contracted investment above the total (refused)."""
    page = j.page
    j.nav("招商项目", "项目")
    expect(page.get_by_role("heading", level=1)).to_have_text("招商项目")
    page.get_by_role("link", name="新建").click()
    j.field("项目名称").fill(PROJECT)
    j.field("投资方").fill("江苏恒锂新能源科技有限公司")
    j.field("主导产业").select_option(label="新能源")
    j.field("项目类别").select_option(label="产业类（工业创税型）")
    j.field("总投资（万元）").fill("30000")
    j.field("合同投资（万元）").fill("45000")
    j.shot("project-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("合同投资不能大于总投资。")).to_be_visible()
    assert not Project.objects.filter(name=PROJECT).exists()
    j.shot("project-form-error")
    j.field("合同投资（万元）").fill("25000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    expect(page.get_by_role("alert")).to_contain_text("项目已保存")
    expect(page.get_by_test_id("total")).to_have_text("30,000.00 万元")
    j.shot("project-page")


def split_credit(j):
    """分成与引资人: 40 % to 乙县, found by typing part of its name in the unit search box."""
    page = j.page
    page.get_by_role("link", name="分成与引资人").click()
    boxes = page.get_by_role("combobox")
    expect(boxes.first).to_have_value("甲县")
    boxes.nth(1).fill("乙")
    expect(page.get_by_role("option", name="乙县")).to_be_visible()
    j.shot("unit-search")
    page.get_by_role("option", name="乙县").click()
    expect(boxes.nth(1)).to_have_value("乙县")
    percents = page.locator('input[name$="-percent"]')
    percents.nth(0).fill("60")
    percents.nth(1).fill("40")
    j.shot("credit-shares")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("分成比例和引资人已保存")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)


def record_claims(j, today):
    page = j.page
    # Signing, with the scanned contract.
    page.get_by_role("link", name="填报签约").click()
    j.field("日期").fill(today.isoformat())
    j.field("佐证材料").set_input_files(upload("合同扫描件.pdf", tiny_pdf(), "application/pdf"))
    j.shot("signing-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("项目节点已保存为草稿")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("evidence-link")).to_contain_text("合同扫描件.pdf")
    expect(timeline.get_by_test_id("claim-status").first).to_have_text("草稿")

    # This month's fixed-asset investment.
    page.get_by_role("link", name="填报月度投资").click()
    j.field("月份").fill(today.strftime("%Y-%m"))
    j.field("完成固定资产投资（万元）").fill("1200.50")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("fai-total")).to_have_text("1,200.50 万元")

    # Funds in place, with the bank receipt.
    page.get_by_role("link", name="填报到位资金").click()
    j.field("到账日期").fill(today.isoformat())
    j.field("资金来源").select_option(label="企业和个人投资")
    j.field("到位金额（万元）").fill("800")
    j.field("佐证材料").set_input_files(upload("到账凭证.png", tiny_png(), "image/png"))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("funds-total")).to_have_text("800.00 万元")
    expect(page.get_by_test_id("evidence-link")).to_have_count(2)

    # The investment curve is drawn.
    expect(page.locator("#fai-chart canvas, #fai-chart svg").first).to_be_visible()
    box = page.locator("#fai-chart").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100

    # 删除 asks first; answering 取消 keeps the figure.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    funds_table = page.locator("table").filter(has_text="到账凭证").last
    funds_table.get_by_role("button", name="删除", exact=True).last.click()
    page.wait_for_load_state()
    assert dialogs == ["确定删除？"], dialogs
    expect(page.get_by_test_id("funds-total")).to_have_text("800.00 万元")
    j.check_widths("project-with-claims")
    j.shot("project-with-claims")


def file_monthly_report(j, today):
    page = j.page
    j.nav("招商项目", "月报")
    expect(page.get_by_role("heading", level=1)).to_contain_text("年月报")
    j.field("月份").fill(today.strftime("%Y-%m"))
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{today:%Y年%m月}月报已报送")
    own = page.get_by_test_id("own-reports")
    row = own.locator("tr", has_text=today.strftime("%Y-%m")).first
    expect(row).to_contain_text("1,200.50")
    expect(row).to_contain_text("800.00")
    j.check_widths("monthly-report")
    j.shot("monthly-report")


def submit_claims(j):
    page = j.page
    j.nav("我的申报")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的申报")
    rows = page.locator("#bulk-form table tbody tr")
    expect(rows).to_have_count(3)
    for box in page.locator('#bulk-form input[name="selected"]').all():
        box.check()
    j.shot("my-claims-drafts")
    page.get_by_test_id("confirm-bulk").check()  # a bulk submission is confirmed (issue 18)
    page.get_by_role("button", name="申报勾选的草稿和退回件").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    for row in rows.all():
        expect(row).to_contain_text("已申报")
    totals = page.get_by_test_id("claim-totals")
    expect(totals).to_contain_text("待核实 1 个")
    expect(totals).to_contain_text("1,200.50 万元")
    expect(totals).to_contain_text("800.00 万元")
    j.check_widths("my-claims")
    j.shot("my-claims-pending")


def other_unit_cannot_open_it(j, staff_b, project):
    """Another unit's 填报员 following a link to the project gets the Chinese 404 page."""
    j.logout()
    j.login(staff_b.username, PASSWORD)
    response = j.page.goto(j.url(f"/projects/{project.pk}/"))
    assert response.status == 404
    expect(j.page.get_by_role("heading", level=1)).to_have_text("页面不存在（404）")
    expect(j.page.get_by_text(PROJECT)).to_have_count(0)
    j.shot("other-unit-404")


def test_unit_staff_adds_a_project_and_submits_its_claims(journey, staff_a, staff_b):
    IndustryFactory(name="新能源")
    today = timezone.localdate()
    j = journey("unit-staff")
    j.login(staff_a.username, PASSWORD)
    expect(j.page.get_by_test_id("whoami")).to_contain_text("甲县")

    add_project(j)
    split_credit(j)
    record_claims(j, today)
    file_monthly_report(j, today)
    submit_claims(j)

    project = Project.objects.get(name=PROJECT)
    assert project.unit == staff_a.unit
    shares = {share.unit: share.percent for share in project.credit_shares.all()}
    assert shares == {staff_a.unit: 60, staff_b.unit: 40}
    for model in (Milestone, MonthlyInvestment, FundsEntry):
        assert model.objects.get(project=project).status == ClaimStatus.SUBMITTED
    assert project.milestones.get().evidence.get().content_type == "application/pdf"
    other_unit_cannot_open_it(j, staff_b, project)
    j.assert_no_page_problems()
