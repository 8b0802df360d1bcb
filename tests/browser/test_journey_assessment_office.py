"""Journey 3: the assessment office (考核办) loads a year and announces a quarter.

Import the year workbook — first with one bad row (the error is listed by sheet, row and column
and nothing is saved), then the fixed file, previewed and confirmed — compute and publish the
third quarter, and download the ranking workbook: the score read on the page is the number in
the workbook.
"""

import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessment.formatting import quarter_name
from projects.models import ClaimStatus, FundsEntry, Project
from tests.browser.files import upload
from tests.browser.workbook import (
    BAD_COLUMN,
    BAD_ROW,
    BAD_SHEET,
    EXPECTED_SCORES,
    QUARTER,
    YEAR,
    workbook_bytes,
)
from tests.factories import PASSWORD
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_workbook(j, data, filename):
    """Upload on the import page; the preview job runs (immediately in the suite) and the
    reviewer lands on its page."""
    page = j.page
    j.field("Excel 工作簿（.xlsx）").set_input_files(upload(filename, data, XLSX))
    page.get_by_label("作为已审定的历史数据导入", exact=False).check()
    j.submit(page.get_by_role("button", name="上传并校验"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Excel 导入 · 任务")


def bad_file_is_refused(j):
    page = j.page
    j.nav("Excel 导入")
    expect(page.get_by_role("heading", level=1)).to_have_text("Excel 导入")
    import_workbook(j, workbook_bytes(bad=True), "2026年度招商数据（有误）.xlsx")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("工作簿有 1 处错误，未导入任何数据")
    row = page.locator("table tbody tr").filter(has_text=BAD_SHEET)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text(str(BAD_ROW))
    expect(row.locator("td").nth(2)).to_have_text(BAD_COLUMN)
    j.check_widths("import-errors")
    j.shot("import-errors")
    assert not Unit.objects.exists() and not Project.objects.exists()


def fixed_file_is_imported(j):
    page = j.page
    page.get_by_role("link", name="返回 Excel 导入").click()
    import_workbook(j, workbook_bytes(), "2026年度招商数据.xlsx")
    expect(page.get_by_test_id("import-preview")).to_contain_text(
        "校验通过（预览，未保存任何数据）"
    )
    j.shot("import-preview")
    assert not Project.objects.exists()
    j.submit(page.get_by_role("button", name="确认导入"))
    expect(page.get_by_test_id("import-result")).to_contain_text("导入成功（历史数据，已审定）")
    projects_row = page.locator("table tbody tr").filter(has_text="项目").first
    expect(projects_row.locator("td").nth(1)).to_have_text("4")
    j.shot("import-done")
    assert Project.objects.count() == 4
    assert set(FundsEntry.objects.values_list("status", flat=True)) == {ClaimStatus.APPROVED}


def compute_and_publish(j):
    page = j.page
    j.nav("考核", "排名")
    page.get_by_role("link", name=f"{quarter_name(QUARTER)}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{YEAR}年{quarter_name(QUARTER)}")
    # 测算 asks for a ticked confirmation first (issue 18).
    page.get_by_test_id("compute-open").click()
    page.get_by_test_id("confirm-compute").check()
    page.get_by_role("button", name="确认测算").click()
    # 测算 runs as a background job: its page ends with the result and the way back.
    expect(page.get_by_test_id("job-result")).to_contain_text("已测算")
    j.shot("computed")
    page.get_by_test_id("back-to-ranking").click()
    # Publishing asks for confirmation on a preview naming the quarter and the claims it locks.
    page.get_by_role("link", name="发布通报").click()
    expect(page.get_by_test_id("publish-summary")).to_contain_text(
        f"{YEAR}年{quarter_name(QUARTER)}"
    )
    j.shot("publish-preview")
    page.get_by_role("button", name=re.compile("^确认发布")).click()
    expect(page.get_by_role("alert").first).to_contain_text("已发布")
    expect(page.get_by_test_id("snapshot-state")).to_contain_text("已发布")
    expect(page.get_by_role("link", name="发布通报")).to_have_count(0)
    j.check_widths("ranking")
    j.shot("published")


def ranking_on_page(j):
    """{unit: (rank, score)} as the published ranking table shows them."""
    shown = {}
    for name in EXPECTED_SCORES:
        row = j.page.locator("tr[data-entity]").filter(
            has=j.page.get_by_role("link", name=name, exact=True)
        )
        cells = row.locator("td")
        score = cells.nth(3 + 2).inner_text().split()[0]  # 排名, 单位, 协作组, 2 indicators
        shown[name] = (cells.nth(0).inner_text().strip(), score)
    return shown


def download_ranking(j):
    """下载排名表 queues a job; its page ends with the download link."""
    page = j.page
    page.get_by_test_id("ranking-xlsx").click()
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    j.shot("ranking-job")
    with page.expect_download() as info:
        page.get_by_test_id("job-download").click()
    download = info.value
    path = j.artifact(download.suggested_filename)
    download.save_as(path)
    print(f"download: {path}")
    assert path.suffix == ".xlsx" and "未发布" not in path.name
    return path


def workbook_scores(path):
    """{unit: (rank, score)} from the 单位排名 sheet, read as numbers."""
    ws = load_workbook(path, data_only=True)["单位排名"]
    rows = list(ws.iter_rows(values_only=True))
    header_index = next(i for i, r in enumerate(rows) if "得分" in r)
    header = rows[header_index]
    rank_col, unit_col, score_col = header.index("排名"), header.index("单位"), header.index("得分")
    scores = {}
    for r in rows[header_index + 1 :]:
        if r[unit_col] in EXPECTED_SCORES:
            assert isinstance(r[score_col], (int, float)), f"得分 is not a number: {r}"
            score = Decimal(str(r[score_col])).quantize(Decimal("0.01"))
            scores[r[unit_col]] = (r[rank_col], score)
    return scores


def test_assessment_office_imports_computes_publishes_and_exports(journey, reviewer):
    j = journey("assessment-office")
    j.login(reviewer.username, PASSWORD)

    bad_file_is_refused(j)
    fixed_file_is_imported(j)
    compute_and_publish(j)

    shown = ranking_on_page(j)
    assert shown == {
        "东湖区": ("1", EXPECTED_SCORES["东湖区"]),
        "高新区": ("2", EXPECTED_SCORES["高新区"]),
        "西山区": ("3", EXPECTED_SCORES["西山区"]),
    }

    in_workbook = workbook_scores(download_ranking(j))
    for name, (rank, score) in shown.items():
        assert in_workbook[name] == (int(rank), Decimal(score)), name
    j.assert_no_page_problems()
