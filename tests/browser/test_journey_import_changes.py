"""Journey: an office's corrected workbook, sent again (issue 16). The reviewer uploads it, reads
the preview of the change — a funds amount corrected (old → new), a completion date cleared, a
tranche gone from the file — ticks 同时删除, confirms, and reads the result: the corrections are
updates, the removals done, nothing counted twice. The worker runs as in production."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment.workbooks.importer import import_workbook
from projects.models import FundsEntry, Milestone, Project
from tests.browser.files import upload
from tests.browser.test_journey_import_job import WORK_TIMEOUT_MS, XLSX, worker  # noqa: F401
from tests.factories import PASSWORD, IndustryFactory, UnitFactory
from tests.workbooks.test_row_identity import NAME, fund, row, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_corrected_workbook_previews_its_changes_and_imports_them(journey, reviewer, worker):  # noqa: F811
    for name in ("东湖区", "西山区"):
        UnitFactory(name=name)
    IndustryFactory(name="装备制造")
    first = workbook([row(竣工日期="2026-06-30")], funds=[fund(8000), fund(300)])
    assert import_workbook(first).ok
    corrected = workbook([row()], funds=[fund(800)]).getvalue()

    j = journey("import-changes")
    page = j.page
    j.login(reviewer.username, PASSWORD)
    j.nav("Excel 导入")
    j.field("Excel 工作簿（.xlsx）").set_input_files(upload("更正.xlsx", corrected, XLSX))
    j.submit(page.get_by_role("button", name="上传并校验"))

    changes = page.get_by_test_id("import-changes")
    expect(changes).to_contain_text("金额(万元) 8000 → 800", timeout=WORK_TIMEOUT_MS)
    expect(changes).to_contain_text(f"“{NAME}”：竣工日期 2026-06-30 → （清空）")
    expect(changes).to_contain_text("企业和个人投资 300 万元")
    expect(page.get_by_test_id("import-removals")).to_contain_text("默认只列出、不删除")
    j.check_widths("preview")
    j.shot("preview")

    page.get_by_test_id("apply-removals").check()
    j.submit(page.get_by_role("button", name="确认导入"))
    result = page.get_by_test_id("import-result")
    expect(result).to_contain_text("导入成功", timeout=WORK_TIMEOUT_MS)
    expect(page.get_by_test_id("import-removals")).to_contain_text("已删除或清空以下数据")
    j.check_widths("result")
    j.shot("result")

    assert list(FundsEntry.objects.values_list("amount", flat=True)) == [Decimal(800)]
    assert not Milestone.objects.filter(kind="completed").exists()
    assert Project.objects.count() == 1
    j.assert_no_page_problems()
