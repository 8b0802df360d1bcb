"""Real offices' files that a clerk expects to go in (issue #16 item 8): each .xlsx is built here
with openpyxl the way offices make them — a title row, full-width brackets, a 说明 sheet, dates
and amounts typed as text, a 合计 row, shares as 60%, merged cells, invisible characters — and
is imported; the values are then read back from the database. What was skipped or read
generously is listed in the report's notes."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from assessment.workbooks.contract import SHEETS
from assessment.workbooks.importer import import_workbook
from projects.models import (
    Category,
    CreditShare,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    Project,
)
from tests.workbooks.conftest import import_through_page, project_row, saved, sheet_of
from units.models import CollaborationGroup

pytestmark = pytest.mark.django_db
D = Decimal
# The headers as offices type them: full-width brackets, a required mark, stray spaces.
OFFICE_HEADERS = [
    "＊项目名称",
    "责任单位",
    "投资方",
    "统一社会信用代码",
    "产业",
    "类别",
    "新引进/结转",
    "总投资（万元）",
    "合同投资（万元）",
    " 签约日期 ",
    "开工日期",
    "竣工日期",
]
FUNDS_HEADERS = ["项目名称", "日期", "来源", "金额（万元）"]


def office_book():
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def imported(wb):
    report = import_workbook(saved(wb))
    assert report.ok, report.errors
    return report


def notes_of(report):
    return [(n.sheet, n.row, n.column, n.message) for n in report.notes]


def signed(name):
    return Milestone.objects.get(project__name=name, kind="signed").date


def test_a_title_row_above_full_width_headers_is_read(city):
    wb = office_book()
    ws = sheet_of(wb, "项目", [["2025年东湖区招商引资项目台账"], [], OFFICE_HEADERS])
    ws.merge_cells("A1:L1")
    ws.append(project_row(**{"总投资(万元)": 52000, "合同投资(万元)": 50000}))
    report = imported(wb)
    project = Project.objects.get()
    assert (project.name, project.unit.name) == ("新能源电机项目", "东湖区")
    assert (project.total_investment, project.contracted_investment) == (52000, 50000)
    assert signed(project.name) == datetime.date(2025, 1, 15)
    assert ("项目", 3, "", "表头在第3行，其上方的标题等内容（第1–2行）未导入。") in notes_of(report)


def test_a_notes_sheet_and_an_empty_sheet1_are_skipped_with_a_note(city):
    wb = Workbook()
    wb.active.title = "Sheet1"  # empty, as Excel leaves it
    sheet_of(wb, "说明", [["填表说明：金额单位为万元。"]])
    sheet_of(wb, "项目", [SHEETS["项目"], project_row()])
    report = imported(wb)
    assert Project.objects.get().name == "新能源电机项目"
    notes = notes_of(report)
    assert ("Sheet1", None, "", "空白工作表，未导入。") in notes
    assert ("说明", None, "", "说明页，未导入。") in notes


@pytest.mark.parametrize(
    "typed",
    ["2025/3/5", "2025.3.5", "2025年3月5日", "2025 年 3 月 5 日", "2025-3-5", "20250305",
     "45721", 45721, "２０２５-０３-０５", "2025-03-05 00:00:00"],
    ids=["slashes", "dots", "chinese", "chinese-spaced", "no-zeros", "compact", "serial-text",
         "serial-number", "full-width", "with-time"],
)  # fmt: skip
def test_a_date_in_an_office_form_is_read(city, typed):
    wb = office_book()
    sheet_of(wb, "项目", [SHEETS["项目"], project_row(签约日期=typed, 开工日期=None)])
    imported(wb)
    assert signed("新能源电机项目") == datetime.date(2025, 3, 5)


@pytest.mark.parametrize(
    "typed, month",
    [("2025/3", 3), ("2025.10", 10), ("2025年4月", 4), ("202505", 5), ("２０２５-０６", 6),
     (datetime.date(2025, 7, 1), 7), ("2025/8/1", 8)],
    ids=["slash", "dot-text", "chinese", "compact", "full-width", "excel-date", "a-date"],
)  # fmt: skip
def test_a_month_in_an_office_form_is_read(city, typed, month):
    wb = office_book()
    sheet_of(wb, "项目", [SHEETS["项目"], project_row()])
    sheet_of(wb, "固定资产投资", [SHEETS["固定资产投资"], ["新能源电机项目", typed, 100]])
    imported(wb)
    assert MonthlyInvestment.objects.get().month == datetime.date(2025, month, 1)


def test_amounts_typed_with_wan_and_yi_are_read_in_wan(city):
    wb = office_book()
    row = project_row(**{"总投资(万元)": "1.2亿元", "合同投资(万元)": "１２００万元"})
    sheet_of(wb, "项目", [OFFICE_HEADERS, row])
    funds = [["新能源电机项目", "2025-02-10", "企业和个人投资", "8,000.50万"],
             ["新能源电机项目", "2025-03-10", "中长期贷款", "0.35亿"]]  # fmt: skip
    sheet_of(wb, "到位资金", [FUNDS_HEADERS, *funds])
    imported(wb)
    project = Project.objects.get()
    assert (project.total_investment, project.contracted_investment) == (D(12000), D(1200))
    amounts = FundsEntry.objects.order_by("date").values_list("amount", flat=True)
    assert list(amounts) == [D("8000.50"), D(3500)]


def test_total_rows_are_skipped_with_a_note(city):
    wb = office_book()
    rows = [project_row(name="甲项目"), project_row(name="乙项目", unit="西山区")]
    total = ["合计", None, None, None, None, None, None, 104000, 100000]
    sheet_of(wb, "项目", [SHEETS["项目"], *rows, total])
    funds = [["甲项目", "2025-02-10", "企业和个人投资", 800],
             ["乙项目", "2025-02-11", "向上争取资金", 200],
             [None, "小 计", None, 1000]]  # fmt: skip
    sheet_of(wb, "到位资金", [SHEETS["到位资金"], *funds])
    report = imported(wb)
    assert sorted(Project.objects.values_list("name", flat=True)) == ["乙项目", "甲项目"]
    assert sorted(FundsEntry.objects.values_list("amount", flat=True)) == [200, 800]
    notes = notes_of(report)
    assert ("项目", 4, "", "合计/小计行，已跳过（未导入）。") in notes
    assert ("到位资金", 4, "", "合计/小计行，已跳过（未导入）。") in notes


def test_shares_typed_as_60_percent_or_formatted_as_percent_are_read_as_percent(city):
    wb = office_book()
    sheet_of(wb, "项目", [SHEETS["项目"], project_row()])
    ws = sheet_of(
        wb, "分成", [["项目名称", "单位", "比例（%）"], ["新能源电机项目", "东湖区", "60%"]]
    )
    ws.append(["新能源电机项目", "西山区", 0.4])
    ws["C3"].number_format = "0%"  # shown as 40%
    imported(wb)
    shares = CreditShare.objects.order_by("-percent").values_list("unit__name", "percent")
    assert list(shares) == [("东湖区", D(60)), ("西山区", D(40))]


def test_a_date_merged_over_two_projects_dates_both(city):
    wb = office_book()
    rows = [project_row(name="甲项目", 开工日期=None), project_row(name="乙项目", 开工日期=None)]
    ws = sheet_of(wb, "项目", [SHEETS["项目"], *rows])
    ws["J2"] = "2025-03-05"
    ws.merge_cells("J2:J3")
    ws["B3"] = None
    ws.merge_cells("B2:B3")  # one 责任单位 for both
    funds = [
        ["甲项目", "2025-04-01", "企业和个人投资", 300],
        [None, "2025-05-01", "中长期贷款", 500],
    ]
    sheet_of(wb, "到位资金", [SHEETS["到位资金"], *funds]).merge_cells("A2:A3")
    report = imported(wb)
    assert signed("甲项目") == signed("乙项目") == datetime.date(2025, 3, 5)
    assert set(Project.objects.values_list("unit__name", flat=True)) == {"东湖区"}
    funds = FundsEntry.objects.order_by("date").values_list("project__name", "amount")
    assert list(funds) == [("甲项目", 300), ("甲项目", 500)]
    assert (
        "项目",
        2,
        "签约日期",
        "“签约日期”第2–3行为合并单元格，各行均按其值“2025-03-05”读取。",
    ) in (notes_of(report))


def test_invisible_characters_and_excel_escapes_are_cleaned(city):
    wb = office_book()
    row = project_row(name="新能源\u200b电机项目\u00a0", 投资方="某某电机科技有限公司_x000D_")
    sheet_of(wb, "项目", [SHEETS["项目"], row])
    funds = ["\ufeff新能源电机项目", "2025-02-10", "企业和个人投资\u200d", 100]
    sheet_of(wb, "到位资金", [SHEETS["到位资金"], funds])
    imported(wb)
    project = Project.objects.get()
    assert (project.name, project.investor_name) == ("新能源电机项目", "某某电机科技有限公司")
    assert FundsEntry.objects.get().project == project


def test_a_category_with_half_width_brackets_and_a_year_typed_2025年_are_read(city):
    wb = office_book()
    sheet_of(wb, "项目", [SHEETS["项目"], project_row(类别="产业类(工业创税型)")])
    groups = [["2025年", "第一招商协作组", "张建国", "市发展和改革委员会", "东湖区、西山区"]]
    sheet_of(wb, "协作组", [SHEETS["协作组"], *groups])
    imported(wb)
    assert Project.objects.get().category == Category.INDUSTRIAL
    assert CollaborationGroup.objects.get(year=2025).name == "第一招商协作组"


def test_the_upload_page_and_the_command_list_the_notes(city, login, reviewer, tmp_path):
    wb = office_book()
    sheet_of(wb, "项目", [["东湖区项目台账"], OFFICE_HEADERS, project_row(), ["合计"]])
    sheet_of(wb, "填表须知", [["金额单位：万元"]])
    page = import_through_page(login(reviewer), saved(wb), confirm=False)
    text = page.content.decode()
    assert "校验通过" in text and "读取说明" in text
    assert "表头在第2行" in text and "合计/小计行，已跳过" in text and "说明页，未导入" in text
    path = tmp_path / "office.xlsx"
    wb.save(path)
    out = io.StringIO()
    call_command("import_workbook", str(path), stdout=out)
    assert "说明：项目 第4行 合计/小计行，已跳过（未导入）。" in out.getvalue()
    assert Project.objects.get().name == "新能源电机项目"
