"""Real offices' files that must not go in as they are (issue #16 item 8): hidden rows, Excel
error values, merged figures, control characters behind `_xHHHH_` escapes, ambiguous dates,
amounts in yuan, a hidden sheet, a password. Each .xlsx is built here with openpyxl; each is
refused with its sheet, row and column and a reason a clerk understands, and the row count of
every table is unchanged. Every workbook starts with a good project, so "nothing saved" means
something."""

import io

import msoffcrypto
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from assessment.workbooks.contract import SHEETS
from assessment.workbooks.importer import import_workbook
from tests.badinput.harness import row_counts
from tests.workbooks.conftest import project_row, saved, sheet_of

pytestmark = pytest.mark.django_db
GOOD = project_row(name="好项目")
EVERY_TABLE = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]


def refused(wb):
    """Import `wb`; it must be refused and leave every table as it was. → [(sheet, row, column,
    message)]"""
    before = row_counts(*EVERY_TABLE)
    report = import_workbook(saved(wb))
    assert not report.ok
    assert row_counts(*EVERY_TABLE) == before, "a refused workbook must save nothing"
    return [(e.sheet, e.row, e.column, e.message) for e in report.errors]


def assert_refused_at(errors, sheet, row, column, *fragments):
    hits = [e for e in errors if e[:3] == (sheet, row, column)]
    assert hits, f"expected an error at {sheet}/{row}/{column} in {errors}"
    assert any(all(f in e[3] for f in fragments) for e in hits), hits


def projects_book(*rows):
    wb = Workbook()
    wb.remove(wb.active)
    ws = sheet_of(wb, "项目", [SHEETS["项目"], GOOD, *rows])
    return wb, ws


def test_a_hidden_filtered_out_row_is_refused(city):
    wb, ws = projects_book(project_row(name="筛掉的项目", unit="西山区"))
    ws.row_dimensions[3].hidden = True
    ws.auto_filter.ref = "A1:L3"
    assert_refused_at(refused(wb), "项目", 3, "整行", "隐藏的行", "取消筛选")


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!"])
def test_an_excel_error_value_is_refused_where_it_stands(city, error):
    wb, ws = projects_book(project_row(name="查找失败"))
    ws["C3"] = error  # openpyxl stores it as an error cell, as a VLOOKUP pasted as values is
    assert ws["C3"].data_type == "e"
    assert_refused_at(refused(wb), "项目", 3, "投资方", f"错误值“{error}”")


def test_an_error_value_typed_as_text_is_refused_too(city):
    wb = Workbook()
    wb.remove(wb.active)
    sheet_of(wb, "项目", [SHEETS["项目"], GOOD])
    sheet_of(
        wb, "到位资金", [SHEETS["到位资金"], ["好项目", "2025-02-10", "企业和个人投资", "#N/A"]]
    )
    ws = wb["到位资金"]
    ws["D2"].data_type = "s"
    assert_refused_at(refused(wb), "到位资金", 2, "金额(万元)", "错误值“#N/A”")


def test_an_amount_merged_over_two_rows_is_refused(city):
    wb, _ws = projects_book()
    funds = [
        ["好项目", "2025-02-10", "企业和个人投资", 800],
        ["好项目", "2025-03-10", "中长期贷款"],
    ]
    sheet_of(wb, "到位资金", [SHEETS["到位资金"], *funds]).merge_cells("D2:D3")
    errors = refused(wb)
    assert_refused_at(errors, "到位资金", 2, "金额(万元)", "第2–3行是一个合并单元格", "逐行填写")


def test_a_cell_merged_over_two_contract_columns_is_refused(city):
    wb, ws = projects_book(project_row(name="同日开工", 开工日期=None))
    ws.merge_cells("J3:K3")  # 签约日期 and 开工日期 in one cell
    assert_refused_at(refused(wb), "项目", 3, "签约日期", "“签约日期”“开工日期”合并成了一个单元格")


@pytest.mark.parametrize(
    "escaped, code", [("_x0007_", "0007"), ("_x001B_", "001B"), ("_x202E_", "202E")]
)
def test_a_control_character_behind_an_excel_escape_is_refused(city, escaped, code):
    wb, _ws = projects_book(project_row(name="转义", 投资方=f"某某{escaped}公司"))
    assert_refused_at(refused(wb), "项目", 3, "投资方", f"U+{code}")


@pytest.mark.parametrize(
    "typed, fragment",
    [("03/05/2025", "而不是“03/05/2025”"), ("２０２５-０２-３０", "2025-02-30 不存在"),
     ("2025年13月1日", "2025-13-01 不存在"), ("12345", "而不是“12345”"),
     ("2025年3月", "YYYY-MM-DD")],
    ids=["day-or-month-first", "full-width-feb-30", "month-13", "serial-before-2000", "no-day"],
)  # fmt: skip
def test_a_date_that_cannot_be_read_is_refused(city, typed, fragment):
    wb, _ws = projects_book(project_row(name="日期", 签约日期=typed, 开工日期=None))
    assert_refused_at(refused(wb), "项目", 3, "签约日期", fragment)


@pytest.mark.parametrize(
    "typed, fragment",
    [("5000元", "换算为万元"), ("60%", "不能是百分数"), ("约1200万元", "不是有效的数值"),
     ("1.2345678亿元", "两位小数"), ("2亿亿", "不是有效的数值")],
    ids=["yuan", "percent", "about", "too-many-decimals", "double-unit"],
)  # fmt: skip
def test_an_amount_that_cannot_be_read_in_wan_is_refused(city, typed, fragment):
    wb, _ws = projects_book(project_row(name="金额", **{"总投资(万元)": typed}))
    assert_refused_at(refused(wb), "项目", 3, "总投资(万元)", fragment)


def test_shares_typed_as_fractions_are_refused_with_a_hint(city):
    wb, _ws = projects_book()
    shares = [["好项目", "东湖区", 0.6], ["好项目", "西山区", 0.4]]
    sheet_of(wb, "分成", [SHEETS["分成"], *shares])
    assert_refused_at(refused(wb), "分成", 2, "比例(%)", "合计为 1%", "60 或 60%")


def test_a_month_typed_as_a_number_is_refused(city):
    wb, _ws = projects_book()
    sheet_of(wb, "固定资产投资", [SHEETS["固定资产投资"], ["好项目", 2025.1, 100]])
    assert_refused_at(refused(wb), "固定资产投资", 2, "月份", "无法区分 1 月和 10 月")


def test_a_header_in_yi_is_not_taken_for_wan(city):
    wb = Workbook()
    wb.remove(wb.active)
    headers = [h.replace("总投资(万元)", "总投资（亿元）") for h in SHEETS["项目"]]
    sheet_of(wb, "项目", [["项目台账"], headers, GOOD])
    assert_refused_at(refused(wb), "项目", 2, "总投资(万元)", "缺少表头“总投资(万元)”")


def test_a_hidden_contract_sheet_is_refused(city):
    wb, ws = projects_book()
    sheet_of(wb, "目标", [SHEETS["目标"], [2025, "东湖区", "signed_100m", 4]])
    wb["目标"].sheet_state = "hidden"
    [error] = [e for e in refused(wb) if e[0] == "目标"]
    assert (
        error[1:3] == (None, "") and "工作表“目标”被隐藏了" in error[3] and "取消隐藏" in error[3]
    )


def test_a_sheet_of_unknown_name_with_data_is_still_refused(city):
    wb, _ws = projects_book()
    sheet_of(wb, "项目清单", [SHEETS["项目"], project_row(name="另一个")])
    assert any(e[0] == "项目清单" and "无法识别的工作表" in e[3] for e in refused(wb))


def encrypted(wb, password="1234"):
    plain = saved(wb)
    locked = io.BytesIO()
    msoffcrypto.OfficeFile(plain).encrypt(password, locked)
    return locked.getvalue()


def test_a_password_protected_file_is_named_as_such(city, login, reviewer, tmp_path):
    wb, _ws = projects_book()
    content = encrypted(wb)
    assert content.startswith(b"\xd0\xcf\x11\xe0")  # an OLE file, like an old .xls
    upload = SimpleUploadedFile("台账.xlsx", content)
    office = login(reviewer)
    before = row_counts(*EVERY_TABLE)
    response = office.post(reverse("workbook:import"), {"file": upload})
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert "设有打开密码" in message and ".xls" not in message
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="设有打开密码"):
        call_command("import_workbook", str(path))
    assert row_counts(*EVERY_TABLE) == before
