"""The corpus through the workbook import: one bad cell per workbook; the report names sheet, row
and column with a Chinese reason, and nothing is saved."""

import pytest
from django.urls import reverse

from assessment.workbooks.importer import import_workbook
from projects.models import CreditShare, FundsEntry, Milestone, Project
from tests.badinput.harness import CJK, chinese_errors, row_counts
from tests.factories import IndustryFactory, UnitFactory
from tests.workbooks.conftest import build_workbook, project_row
from units.models import CollaborationGroup, Unit

pytestmark = pytest.mark.django_db

WATCH = [Unit, CollaborationGroup, Project, CreditShare, Milestone, FundsEntry]
FORMULA = '=HYPERLINK("http://evil.example/","点击")'

AMOUNT = {
    "negative": "-1",
    "1e20-text": "1e20",
    "1e20-number": 1e20,
    "nan": "NaN",
    "infinity": "Infinity",
    "letters": "abc",
    "three-decimals": "0.001",
    "over-1e8": 100000000.01,
    "formula": "=1+1",
    "rtl-override": "\u202e12",
}
DATE = {
    "feb-30": "2025-02-30",
    "slashes": "01/02/2025",
    "future": "2099-01-01",
    "letters": "abc",
    "formula": "=TODAY()",
}
NAME = {
    "long": "长" * 10_000,
    "rtl-override": "项目\u202e名称",
    "formula": FORMULA,
    "whitespace": "   ",
}
PROJECT_CELLS = [
    *[("总投资(万元)", case, value) for case, value in AMOUNT.items()],
    *[("签约日期", case, value) for case, value in DATE.items()],
    *[("项目名称", case, value) for case, value in NAME.items()],
    *[("投资方", case, value) for case, value in NAME.items()],
    ("责任单位", "unknown-unit", "不存在的县"),
    ("类别", "unknown-choice", "房产类型X"),
    ("新引进/结转", "unknown-choice", "新"),
    ("统一社会信用代码", "bad-code", "12345"),
]


@pytest.fixture
def city(db):
    IndustryFactory(name="装备制造")
    return UnitFactory(name="东湖区"), UnitFactory(name="西山区")


def run(workbook):
    before = row_counts(*WATCH)
    report = import_workbook(workbook)
    assert not report.ok
    assert row_counts(*WATCH) == before
    return report


def assert_reported(report, sheet, row, column):
    hits = [e for e in report.errors if (e.sheet, e.row, e.column) == (sheet, row, column)]
    assert hits, report.errors
    assert all(CJK.search(e.message) for e in hits)


def test_the_baseline_workbook_imports(city):
    report = import_workbook(build_workbook({"项目": [project_row()]}))
    assert report.ok, report.errors
    assert Project.objects.get().name == "新能源电机项目"


@pytest.mark.parametrize(
    "column, case, value", PROJECT_CELLS, ids=[f"{c}-{k}" for c, k, _v in PROJECT_CELLS]
)
def test_a_bad_project_cell_is_reported_and_nothing_saved(city, column, case, value):
    report = run(build_workbook({"项目": [project_row(**{column: value})]}))
    assert_reported(report, "项目", 2, column)


def test_milestones_out_of_order_are_reported(city):
    row = project_row(**{"签约日期": "2025-04-01", "开工日期": "2025-03-01"})
    assert_reported(run(build_workbook({"项目": [row]})), "项目", 2, "开工日期")


def test_duplicate_project_names_are_reported(city):
    rows = [project_row(), project_row()]
    assert_reported(run(build_workbook({"项目": rows})), "项目", 3, "项目名称")


def test_duplicate_unit_names_are_reported(city):
    rows = [["南湖区", "县区", ""], ["南湖区", "县区", ""]]
    assert_reported(run(build_workbook({"单位": rows})), "单位", 3, "单位名称")


@pytest.mark.parametrize(
    "percents", [[99.99], [100.01], [50, 50.01]], ids=["99.99", "100.01", "50+50.01"]
)
def test_shares_not_summing_to_100_are_reported(city, percents):
    units = ["东湖区", "西山区"]
    shares = [["新能源电机项目", units[i], p] for i, p in enumerate(percents)]
    report = run(build_workbook({"项目": [project_row()], "分成": shares}))
    assert_reported(report, "分成", 2, "比例(%)")


@pytest.mark.parametrize("year", [0, 99999, "二〇二六", 2026.5, "=2026"])
def test_a_bad_group_year_is_reported(city, year):
    rows = [[year, "第二招商协作组", "李市长", "东湖区", "东湖区、西山区"]]
    assert_reported(run(build_workbook({"协作组": rows})), "协作组", 2, "年度")


@pytest.mark.parametrize("amount", ["-1", "1e20", "NaN", "abc", 0.001], ids=str)
def test_a_bad_funds_amount_is_reported(city, amount):
    funds = [["新能源电机项目", "2025-04-01", "企业和个人投资", amount]]
    report = run(build_workbook({"项目": [project_row()], "到位资金": funds}))
    assert_reported(report, "到位资金", 2, "金额(万元)")


@pytest.mark.parametrize("month", ["2025-13", "2099-01", "abc", "05/2025", 2025.1])
def test_a_bad_investment_month_is_reported(city, month):
    rows = [["新能源电机项目", month, 100]]
    report = run(build_workbook({"项目": [project_row()], "固定资产投资": rows}))
    assert_reported(report, "固定资产投资", 2, "月份")


def test_the_upload_page_lists_the_bad_cell_in_chinese(city, login, reviewer):
    workbook = build_workbook({"项目": [project_row(**{"总投资(万元)": "-1"})]})
    response = login(reviewer).post(reverse("workbook:import"), {"file": workbook}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert any("未导入任何数据" in e for e in chinese_errors(response))
    assert "总投资(万元)" in page and "不能为负数" in page
    assert Project.objects.count() == 0


@pytest.mark.parametrize(
    "name, content",
    [
        ("import.xlsx", b""),
        ("import.xlsx", b"not a workbook at all"),
        ("import.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("import.xlsx", b"PK\x03\x04broken zip"),
        ("import.csv", "项目名称,责任单位\n".encode()),
    ],
    ids=["empty", "text", "old-xls", "broken-zip", "csv"],
)
def test_a_file_that_is_not_xlsx_is_refused(city, login, reviewer, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content)
    response = login(reviewer).post(reverse("workbook:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert chinese_errors(response)
    assert Project.objects.count() == 0
