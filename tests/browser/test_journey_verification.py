"""Journey: a funds claim verified on evidence by separate people (考实考准, issue 17).

The unit cannot submit a funds claim without its receipt; with one it submits; the first reviewer
审核 it recognising less than claimed (认定金额, with a reason) and is then offered no other step;
a second reviewer does the 现场评估 (date, inspectors, result, photos) on a phone; a third the
会办确认 (departments present); the leader 审定; the ranking counts the recognised amount.
"""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.engine import compute
from projects.models import ClaimStatus, FundsEntry
from tests.browser.files import tiny_pdf, tiny_png, upload
from tests.factories import PASSWORD, FundsEntryFactory, ProjectFactory, UserFactory
from tests.factories.assessment import default_year, set_targets
from units.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def claim_page(j, claim):
    j.goto(f"/review/claims/funds/{claim.pk}/")


def alert(page):
    return page.get_by_role("alert").first


def test_a_funds_claim_is_verified_on_evidence_by_separate_people(
    journey, staff_a, reviewer, leader
):
    today = timezone.localdate()
    year = default_year(today.year)
    set_targets(year, staff_a.unit, funds=2000)
    reviewer2 = UserFactory(username="reviewer2", role=Role.REVIEWER, unit=None)
    reviewer3 = UserFactory(username="reviewer3", role=Role.REVIEWER, unit=None)
    project = ProjectFactory(unit=staff_a.unit, name="冷链物流园项目")
    claim = FundsEntryFactory(
        project=project, date=today, amount=Decimal("800"), status=ClaimStatus.DRAFT
    )
    j = journey("verification")

    # The unit: no receipt, no 申报 — the page says what is missing.
    j.login(staff_a.username, PASSWORD)
    claim_page(j, claim)
    page = j.page
    expect(page.get_by_test_id("evidence-missing")).to_contain_text("到账凭证")
    expect(page.get_by_test_id("action-submit")).to_have_count(0)
    j.shot("no-receipt-no-submit")
    page.get_by_role("link", name="修改").click()
    j.field("佐证材料").set_input_files(
        upload("银行回单.pdf", tiny_pdf("Receipt"), "application/pdf")
    )
    expect(j.field("佐证材料类型")).to_have_value("receipt")
    j.submit(page.get_by_role("button", name="保存"))
    claim_page(j, claim)
    expect(page.get_by_test_id("evidence-missing")).to_have_count(0)
    j.submit(page.get_by_test_id("action-submit").get_by_role("button", name="申报"))
    expect(alert(page)).to_contain_text("已申报")
    j.logout()

    # 审核 with a recognised amount below the claim, and its reason.
    j.login(reviewer.username, PASSWORD)
    claim_page(j, claim)
    form = page.get_by_test_id("action-review")
    form.get_by_label("认定金额（万元", exact=False).fill("600")
    form.get_by_label("认定理由", exact=False).fill("其中 200 万元为市内资金，不予认定")
    j.submit(form.get_by_role("button", name="审核通过"))
    expect(alert(page)).to_contain_text("已审核")
    recognition = page.get_by_test_id("recognition")
    expect(recognition).to_contain_text("600.00 万元")
    expect(recognition).to_contain_text("申报 800.00 万元")
    # The same reviewer is offered no second step, here or in the queue.
    expect(page.get_by_test_id("action-site_assess")).to_have_count(0)
    expect(page.get_by_test_id("action-reject")).to_have_count(0)
    expect(page.get_by_test_id("duty-notice")).to_be_visible()
    j.check_widths("reviewed")
    j.shot("reviewed-recognised-600")
    j.nav("审核队列")
    row = page.locator("#bulk-form table tbody tr").filter(has_text="冷链物流园项目")
    expect(row.locator('input[name="selected"]')).to_have_count(0)
    j.logout()

    # 现场评估 by a second reviewer, on a phone.
    j.phone()
    j.login(reviewer2.username, PASSWORD)
    claim_page(j, claim)
    form = page.get_by_test_id("action-site_assess")
    form.get_by_label("评估日期（必填）").fill(today.isoformat())
    form.get_by_label("评估人员（必填）").fill("郑评估、李核查")
    form.get_by_label("评估结果（必填）").fill("冷库已建成，资金到账属实")
    form.get_by_label("现场照片").set_input_files(upload("现场.png", tiny_png(), "image/png"))
    j.submit(form.get_by_role("button", name="现场评估通过"))
    expect(alert(page)).to_contain_text("已现场评估")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text("郑评估、李核查")
    expect(page.get_by_test_id("evidence")).to_contain_text("现场.png")
    j.check_widths("site-assessed-phone")
    j.shot("site-assessed-phone")
    j.logout()
    j.desktop()

    # 会办确认 by a third.
    j.login(reviewer3.username, PASSWORD)
    claim_page(j, claim)
    form = page.get_by_test_id("action-confirm")
    form.get_by_label("参加会办部门（必填）").fill("发改委、商务局、统计局")
    form.get_by_label("会办意见（必填）").fill("同意按 600 万元认定")
    j.submit(form.get_by_role("button", name="会办确认"))
    expect(alert(page)).to_contain_text("已会办确认")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text("发改委、商务局、统计局")
    j.logout()

    # 审定 by the leader.
    j.login(leader.username, PASSWORD)
    claim_page(j, claim)
    j.submit(page.get_by_test_id("action-approve").get_by_role("button", name="审定"))
    expect(alert(page)).to_contain_text("已审定")
    j.shot("approved")
    j.logout()

    claim = FundsEntry.objects.get(pk=claim.pk)
    assert claim.status == ClaimStatus.APPROVED
    assert (claim.amount, claim.recognised_amount) == (Decimal("800"), Decimal("600"))
    quarter = (today.month - 1) // 3 + 1
    unit = next(u for u in compute(today.year, quarter).units if u.id == staff_a.unit_id)
    assert unit.indicators["funds"].actual == Decimal("600")
    j.assert_no_page_problems()
