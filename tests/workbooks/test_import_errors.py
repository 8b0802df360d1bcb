"""Every kind of bad row is reported as sheet / row / column / reason, and nothing is saved."""

import datetime

import pytest
from openpyxl import Workbook

from assessment.models import Indicator, Target
from assessment.workbooks.importer import import_workbook
from projects.models import CreditShare, FundsEntry, Milestone, MonthlyInvestment, Project
from tests.workbooks.conftest import build_workbook, project_row
from units.models import Unit

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Unit,
            Project,
            Milestone,
            MonthlyInvestment,
            FundsEntry,
            CreditShare,
            Indicator,
            Target,
        )
    }


def errors_of(workbook):
    before = counts()
    report = import_workbook(workbook)
    assert not report.ok
    assert counts() == before, "a workbook with errors must save nothing"
    return [(e.sheet, e.row, e.column, e.message) for e in report.errors]


def assert_error(errors, sheet, row, column, fragment):
    matching = [e for e in errors if e[:3] == (sheet, row, column) and fragment in e[3]]
    assert matching, f"expected {sheet}/{row}/{column} “{fragment}” in {errors}"


# A good project row goes first in every workbook, so "nothing saved" is meaningful.
GOOD = project_row(name="好项目")


def test_unknown_unit(city):
    errors = errors_of(
        build_workbook({"项目": [GOOD, project_row(name="坏项目", unit="不存在区")]})
    )
    assert_error(errors, "项目", 3, "责任单位", "未知单位“不存在区”")


def test_unknown_indicator_code(city):
    wb = build_workbook({"项目": [GOOD], "目标": [[2025, "东湖区", "no_such_code", 3]]})
    assert_error(errors_of(wb), "目标", 2, "指标代码", "未知的指标代码“no_such_code”")


def test_impossible_date(city):
    wb = build_workbook({"项目": [GOOD, project_row(name="二月", 签约日期="2025-02-30")]})
    assert_error(errors_of(wb), "项目", 3, "签约日期", "2025-02-30 不存在")


def test_malformed_and_future_dates(city):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    wb = build_workbook(
        {
            "项目": [
                GOOD,
                project_row(name="格式", 签约日期="01/05/2025"),  # day or month first?
                project_row(name="未来", 签约日期=None, 开工日期=tomorrow.isoformat()),
            ]
        }
    )
    errors = errors_of(wb)
    assert_error(errors, "项目", 3, "签约日期", "YYYY-MM-DD")
    assert_error(errors, "项目", 4, "开工日期", "晚于今天")


def test_dates_out_of_order(city):
    wb = build_workbook(
        {"项目": [GOOD, project_row(name="倒序", 签约日期="2025-05-01", 开工日期="2025-04-01")]}
    )
    assert_error(errors_of(wb), "项目", 3, "开工日期", "开工日期早于签约日期")


@pytest.mark.parametrize(
    "amount, fragment",
    [
        (-100, "不能为负数"),
        ("十万", "不是有效的数值"),
        (200000000, "超过 1 万亿元"),
        (1.234, "两位小数"),
    ],
)
def test_bad_amounts(city, amount, fragment):
    wb = build_workbook(
        {
            "项目": [GOOD],
            "固定资产投资": [["好项目", "2025-03", 100], ["好项目", "2025-04", amount]],
        }
    )
    assert_error(errors_of(wb), "固定资产投资", 3, "金额(万元)", fragment)


def test_shares_not_summing_to_100(city):
    wb = build_workbook(
        {"项目": [GOOD], "分成": [["好项目", "东湖区", 60], ["好项目", "西山区", 30]]}
    )
    assert_error(errors_of(wb), "分成", 2, "比例(%)", "合计为 90%，应为 100%")


def test_duplicate_project_name(city):
    wb = build_workbook({"项目": [GOOD, project_row(name="好项目", unit="西山区")]})
    assert_error(errors_of(wb), "项目", 3, "项目名称", "重复（与第 2 行相同）")


def test_missing_header(city):
    wb = build_workbook(
        {"项目": [GOOD], "到位资金": [["好项目", "2025-02-10", 8000]]},
        headers={"到位资金": ["项目名称", "日期", "金额(万元)"]},
    )
    assert_error(errors_of(wb), "到位资金", 1, "来源", "缺少表头“来源”")


def test_misnamed_sheet(city):
    wb = build_workbook({"项目": [GOOD], "项目表": [["x"]]})
    errors = errors_of(wb)
    assert any(e[0] == "项目表" and "无法识别的工作表" in e[3] for e in errors)


def test_workbook_without_any_known_sheet(city):
    wb = Workbook()
    wb.active.title = "填写说明"
    import io

    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    assert any("没有可导入的工作表" in e[3] for e in errors_of(buf))


def test_formula_cells_are_refused(city):
    wb = build_workbook({"项目": [GOOD, project_row(name="公式", **{"总投资(万元)": "=20000*2"})]})
    assert_error(errors_of(wb), "项目", 3, "总投资(万元)", "不接受公式，请粘贴为数值")


def test_claim_for_unknown_project(city):
    wb = build_workbook(
        {"项目": [GOOD], "到位资金": [["没有的项目", "2025-02-10", "企业和个人投资", 5]]}
    )
    assert_error(errors_of(wb), "到位资金", 2, "项目名称", "未知项目“没有的项目”")


def test_unknown_unit_type_and_category(city):
    wb = build_workbook(
        {
            "单位": [["新区", "街道", "李主任"]],
            "项目": [GOOD, project_row(name="类别错", 类别="工业类")],
        }
    )
    errors = errors_of(wb)
    assert_error(errors, "单位", 2, "单位类型", "无法识别的单位类型“街道”")
    assert_error(errors, "项目", 3, "类别", "无法识别的项目类别“工业类”")


def test_unit_in_two_groups_of_one_year(city):
    wb = build_workbook(
        {
            "协作组": [
                [2025, "第一招商协作组", "张建国", "市发展和改革委员会", "东湖区"],
                [2025, "第二招商协作组", "李卫东", "市发展和改革委员会", "东湖区、西山区"],
            ]
        }
    )
    assert_error(errors_of(wb), "协作组", 3, "成员单位", "已属于第一招商协作组")


def test_every_error_is_reported_not_just_the_first(city):
    wb = build_workbook(
        {
            "项目": [
                GOOD,
                project_row(name="甲", unit="无此单位"),
                project_row(name="乙", 签约日期="2025-13-01"),
                project_row(name="丙", **{"总投资(万元)": -1}),
            ]
        }
    )
    rows = {e[1] for e in errors_of(wb)}
    assert rows == {3, 4, 5}
