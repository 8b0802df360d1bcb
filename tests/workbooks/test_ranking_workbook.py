"""The ranking workbook (通报) read back with openpyxl: numbers are numbers, totals add up, the
title names year and quarter, echelons are coloured and formula-looking names stay text."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.results import AssessmentResult, EntityResult, IndicatorResult, IndicatorSpec
from assessment.workbooks.ranking import ClaimRow, write_ranking_workbook

D = Decimal


def figure(code, target, actual):
    pct = (D(100) * actual / target).quantize(D("0.01")) if target else None
    return IndicatorResult(
        code=code,
        target=target,
        actual=actual,
        completion=actual / target if target else None,
        completion_pct=pct,
        on_schedule=None,
    )


def entity(kind, id_, name, rank, echelon, score, overall, status, signed, funds, group=""):
    return EntityResult(
        kind=kind,
        id=id_,
        name=name,
        group_name=group,
        indicators={
            "signed_100m": figure("signed_100m", *signed),
            "funds": figure("funds", *funds),
        },
        score=D(score),
        base_score=D(score),
        overall=D(overall),
        rank=rank,
        echelon=echelon,
        status=status,
    )


@pytest.fixture
def result():
    return AssessmentResult(
        year=2026,
        quarter=2,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        expected_progress=D("50.00"),
        indicators=[
            IndicatorSpec("signed_100m", "新引进亿元合同项目", "个", D(25)),
            IndicatorSpec("funds", "实际到位资金", "亿元", D(15)),
        ],
        units=[
            entity("unit", 1, "东湖区", 1, 1, "110.00", "100.00", "完成任务",
                   (D(4), D("4.5")), (D(50000), D("61234.56")), "第一招商协作组"),
            entity("unit", 2, "=1+1 西山区", 2, 2, "62.50", "62.50", "过半",
                   (D(4), D(2)), (D(40000), D("30000.25")), "第一招商协作组"),
            entity("unit", 3, "南河县", 3, 3, "10.00", "10.00", "不足50%",
                   (D(2), D("0.5")), (D(10000), D(0))),
            EntityResult(kind="unit", id=4, name="未考核单位"),
        ],
        groups=[
            entity("group", 9, "第一招商协作组", 1, 1, "90.00", "90.00", "过半",
                   (D(8), D("6.5")), (D(90000), D("91234.81"))),
        ],
    )  # fmt: skip


def read(result, claim_rows=None):
    buf = io.BytesIO()
    write_ranking_workbook(result, buf, claim_rows=claim_rows if claim_rows is not None else [])
    buf.seek(0)
    return load_workbook(buf)


def test_sheets_title_and_grouped_headers(result):
    wb = read(result)
    assert wb.sheetnames == ["单位排名", "协作组排名", "佐证明细"]
    ws = wb["单位排名"]
    assert "2026年第二季度" in ws["A1"].value and "单位排名" in ws["A1"].value
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["排名", "单位", "协作组"]
    assert ws["D3"].value == "新引进亿元合同项目（个）"
    assert "D3:F3" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(4, c).value for c in range(4, 10)] == ["目标", "完成", "完成率"] * 2
    assert [ws.cell(3, c).value for c in range(10, 14)] == ["得分", "总体完成率", "方阵", "状态"]
    assert ws.freeze_panes == "D5"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$4"


def test_figures_are_numbers_with_formats(result):
    ws = read(result)["单位排名"]
    row = [c for c in ws[5]]
    assert row[0].value == 1 and row[1].value == "东湖区" and row[2].value == "第一招商协作组"
    assert row[3].value == 4 and row[3].number_format == "0.00"
    assert row[4].value == 4.5
    assert row[5].value == pytest.approx(1.125) and row[5].number_format == "0.00%"
    assert row[7].value == pytest.approx(61234.56) and row[7].number_format == "#,##0.00"
    assert row[9].value == pytest.approx(110.0)
    assert row[10].value == pytest.approx(1.0) and row[10].number_format == "0.00%"
    assert row[11].value == "第一方阵" and row[12].value == "完成任务"


def test_only_ranked_units_are_listed_and_totals_add_up(result):
    ws = read(result)["单位排名"]
    names = [ws.cell(r, 2).value for r in range(5, 8)]
    assert names == ["东湖区", "=1+1 西山区", "南河县"]
    assert ws["A8"].value == "合计"
    for col in range(4, 10):
        if ws.cell(4, col).value == "完成率":
            continue
        column = [ws.cell(r, col).value for r in range(5, 8)]
        assert ws.cell(8, col).value == pytest.approx(sum(column))
    assert ws["H8"].value == pytest.approx(91234.81)
    assert all(ws.cell(r, 2).value != "未考核单位" for r in range(5, 10))


def test_formula_looking_names_stay_text(result):
    ws = read(result)["单位排名"]
    assert ws["B6"].value == "=1+1 西山区"
    assert ws["B6"].data_type == "s"


def test_echelons_are_coloured(result):
    ws = read(result)["单位排名"]
    colours = [ws.cell(r, 2).fill.fgColor.rgb for r in (5, 6, 7)]
    assert len(set(colours)) == 3
    assert colours[0].endswith("E2EFDA")


def test_group_sheet_has_the_same_shape(result):
    ws = read(result)["协作组排名"]
    assert "协作组排名" in ws["A1"].value
    assert ws["B5"].value == "第一招商协作组"
    assert ws["E5"].value == 6.5


def test_evidence_sheet_lists_the_claims_behind_figures(result):
    rows = [
        ClaimRow("东湖区", "funds", "新能源电机项目", "到位资金（企业和个人投资）",
                 datetime.date(2026, 2, 10), D("8000"), D("60")),
        ClaimRow("西山区", "funds", "新能源电机项目", "到位资金（企业和个人投资）",
                 datetime.date(2026, 2, 10), D("8000"), D("40")),
    ]  # fmt: skip
    ws = read(result, rows)["佐证明细"]
    assert ws["A2"].value == "单位"
    assert ws["C3"].value == "实际到位资金"
    assert ws["G3"].value == 8000 and ws["H3"].value == 60
    assert ws["I3"].value == pytest.approx(4800)
    assert ws["I3"].value + ws["I4"].value == pytest.approx(8000)
    assert ws["F3"].value == datetime.datetime(2026, 2, 10)
