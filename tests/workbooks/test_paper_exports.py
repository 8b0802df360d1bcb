"""Every list export prints as an office sends it (issue 22 item 2): A4 landscape fitted to one
page wide, a title row (what, filters, date), the header row repeated on every page, borders,
widths from the content, page numbers in the footer; 是/否, units in headers, dates as dates."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessment.factories import default_year, set_targets
from tests.factories import (
    AssistanceItemFactory,
    DuplicateFlagFactory,
    LeadFactory,
    MonthlyReportFactory,
    ProjectFactory,
    UnitFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

FOOTER = "&C第 &P 页 共 &N 页"


def workbook_sheet(response):
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content)).active


def assert_paper(ws, what):
    """The page setup every list export shares; returns (header, data rows)."""
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth 1 is OOXML's default, so xlsxwriter leaves the attribute out (None).
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$2:$2"  # the header row on every page
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    title = ws["A1"].value
    assert title.startswith(what) and f"导出日期：{timezone.localdate():%Y年%-m月%-d日}" in title
    rows = list(ws.iter_rows(min_row=2))
    header = [c.value for c in rows[0]]
    for row in rows:
        for cell in row:
            assert cell.border.left.style == "thin", (cell.coordinate, cell.value)
    return header, [[c.value for c in row] for row in rows[1:]], rows


def column(header, rows, name):
    return [row[header.index(name)] for row in rows]


def test_units_export_booleans_as_yes_no_filters_in_title_widths_from_content(login, reviewer):
    UnitFactory(name="东湖区经济技术开发区管理委员会", unit_type="county", is_active=True)
    UnitFactory(name="西山区", unit_type="county", is_active=False)
    UnitFactory(name="市商务局", unit_type="city_dept")
    response = login(reviewer).get(
        reverse("units:unit_list"), {"unit_type": "county", "_export": "xlsx"}
    )
    ws = workbook_sheet(response)
    header, rows, _ = assert_paper(ws, "单位")
    assert "筛选：单位类型：县区" in ws["A1"].value
    assert sorted(column(header, rows, "启用")) == ["否", "是"]  # not True/False, not ✔
    name_col = openpyxl.utils.get_column_letter(header.index("单位名称") + 1)
    # 15 CJK characters are 30 columns wide: the name is not cut.
    assert ws.column_dimensions[name_col].width >= 30


def test_unfiltered_export_says_all(login, reviewer):
    UnitFactory(name="东湖区")
    ws = workbook_sheet(login(reviewer).get(reverse("units:unit_list"), {"_export": "xlsx"}))
    assert ws["A1"].value.startswith("单位（全部）")


def test_projects_export_amounts_in_wan_with_unit_in_header(login, reviewer, unit_a):
    ProjectFactory(unit=unit_a, name="新能源电池项目", total_investment=Decimal("166500"))
    ws = workbook_sheet(login(reviewer).get(reverse("projects:project_list"), {"_export": "xlsx"}))
    header, rows, cells = assert_paper(ws, "招商项目")
    assert "总投资（万元）" in header and "合同投资（万元）" in header
    col = header.index("总投资（万元）")
    assert rows[0][col] == 166500
    assert cells[1][col].number_format == "#,##0.00"


def test_leads_export_collection_date_is_a_date(login, reviewer, unit_a):
    LeadFactory(unit=unit_a)
    ws = workbook_sheet(login(reviewer).get(reverse("projects:lead_list"), {"_export": "xlsx"}))
    header, rows, cells = assert_paper(ws, "")
    col = header.index("收集日期")
    assert type(rows[0][col]) is datetime.datetime  # openpyxl reads every date as a datetime
    assert rows[0][col].time() == datetime.time(0)  # a date, not a timestamp
    assert cells[1][col].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("projects:visit_list", lambda unit: VisitFactory(unit=unit)),
        ("projects:assistance_list", lambda unit: AssistanceItemFactory(project__unit=unit)),
        ("review:flag_list", lambda unit: DuplicateFlagFactory()),
        ("review:queue", lambda unit: None),
        ("projects:alert_list", lambda unit: None),
    ],
)
def test_other_lists_share_the_page_setup(login, reviewer, unit_a, url, make):
    make(unit_a)
    ws = workbook_sheet(login(reviewer).get(reverse(url), {"_export": "xlsx"}))
    header, _, _ = assert_paper(ws, "")
    assert all(header)


def test_target_grid_export_page_setup(login, reviewer, unit_a):
    ay = default_year(2026)
    set_targets(ay, unit_a, funds=12000)
    ws = workbook_sheet(
        login(reviewer).get(reverse("assessment:targets", args=[2026]), {"_export": "xlsx"})
    )
    header, rows, _ = assert_paper(ws, "2026年度单位目标")
    assert header[:2] == ["年度", "对象"]


def test_monthly_report_export(login, reviewer, unit_a):
    today = timezone.localdate()
    month = today.replace(day=1)
    if month.month > 1:
        month = month.replace(month=month.month - 1)
    MonthlyReportFactory(unit=unit_a, month=month, is_zero=True)
    client = login(reviewer)
    page = client.get(reverse("projects:report_list")).content.decode()
    assert "_export=xlsx" in page
    ws = workbook_sheet(client.get(reverse("projects:report_list"), {"_export": "xlsx"}))
    header, rows, _ = assert_paper(ws, f"{month.year}年月报")
    assert header[:5] == ["单位", "月份", "报送情况", "截止日期", "零报告"]
    filed = next(r for r in rows if r[0] == unit_a.name and r[1] == f"{month:%Y年%m月}")
    assert filed[4] == "是"
    assert isinstance(filed[3], datetime.datetime) and isinstance(filed[5], datetime.datetime)
