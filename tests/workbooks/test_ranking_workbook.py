"""The ranking workbook (通报) read back with openpyxl: numbers are numbers, totals add up, the
title names year and quarter, echelons are coloured and formula-looking names stay text."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.results import AssessmentResult, EntityResult, IndicatorResult, IndicatorSpec
from assessment.workbooks.ranking import ClaimRow, write_ranking_workbook
from assessment.workbooks.ranking_sheets import SCORE_COLUMNS

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


def read(result, claim_rows=None, **kwargs):
    buf = io.BytesIO()
    kwargs.setdefault("groups", {9: ("王建国", "东湖区")})
    rows = claim_rows if claim_rows is not None else []
    write_ranking_workbook(result, buf, claim_rows=rows, **kwargs)
    buf.seek(0)
    return load_workbook(buf)


def rows_of(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def header_row(ws, first="序号"):
    """1-based row number of the header row and its values."""
    for number, row in enumerate(rows_of(ws), 1):
        if row[0] == first:
            return number, row
    raise AssertionError(f"no header row in {ws.title}")


def test_sheets_are_a_summary_indicator_groups_groups_and_evidence(result):
    wb = read(result)
    assert wb.sheetnames == ["单位排名", "指标完成情况", "协作组排名", "佐证明细"]
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert "测算稿" not in ws["A1"].value  # a published result carries no draft mark
    ws = wb["单位排名"]
    # Quarters are named one way in every sheet, the 通报 and the file name: 第二季度.
    assert "2026年第二季度" in ws["A1"].value and "单位排名" in ws["A1"].value
    assert "序时进度 50.00%" in ws["A2"].value
    number, header = header_row(ws)
    assert header == ["序号", "排名", "单位", "协作组", *SCORE_COLUMNS]
    assert ws.print_title_rows == f"${number}:${number}"


def test_summary_in_echelon_sections_with_serials_adjustments_and_remarks(result):
    result.units[0].adjustment = D(3)
    result.units[0].base_score = D("107.00")
    result.units[2].indicators["funds"] = figure("funds", None, D(0))
    ws = read(result)["单位排名"]
    number, header = header_row(ws)
    body = rows_of(ws)[number:]
    assert [r[0] for r in body] == [
        "第一方阵（1 个）", 1, "第二方阵（1 个）", 2, "第三方阵（1 个）", 3,
    ]  # fmt: skip
    east = body[1]
    col = header.index
    assert east[col("单位")] == "东湖区" and east[col("协作组")] == "第一招商协作组"
    # 加减分 beside 得分: 107 + 3 = 110, readable off the sheet.
    assert (east[col("基础得分")], east[col("加减分")], east[col("得分")]) == (107, 3, 110)
    assert east[col("总体完成率")] == pytest.approx(1.0)
    assert east[col("方阵")] == "第一方阵" and east[col("状态")] == "完成任务"
    assert body[5][col("备注")] == "未下达目标：实际到位资金"  # not a blank
    assert all(r[2] != "未考核单位" for r in body)


def test_indicator_sheet_figures_and_totals(result):
    ws = read(result)["指标完成情况"]
    number, header = header_row(ws)
    assert header[:4] == ["序号", "排名", "单位", "新引进亿元合同项目（个）"]
    assert [c.value for c in ws[number + 1]][3:9] == ["目标", "完成", "完成率"] * 2
    first = [c for c in ws[number + 2]]
    assert first[2].value == "东湖区"
    assert first[3].value == 4 and first[3].number_format == "0.00"
    assert first[5].value == pytest.approx(1.125) and first[5].number_format == "0.00%"
    assert first[7].value == pytest.approx(61234.56) and first[7].number_format == "#,##0.00"
    names = [ws.cell(r, 3).value for r in range(number + 2, number + 5)]
    assert names == ["东湖区", "=1+1 西山区", "南河县"]
    assert ws.cell(number + 3, 3).data_type == "s"  # formula-looking names stay text
    totals = number + 5
    assert ws.cell(totals, 1).value == "全市合计"  # the 通报's 全市 figures (one rule)
    assert ws.cell(totals, 8).value == pytest.approx(91234.81)
    assert ws.cell(totals, 9).value == pytest.approx(0.9123)  # 91.23 %, two places
    colours = [ws.cell(r, 3).fill.fgColor.rgb for r in range(number + 2, number + 5)]
    assert len(set(colours)) == 3 and colours[0].endswith("E2EFDA")


def test_indicators_are_split_so_each_sheet_stays_legible(result):
    specs = [IndicatorSpec(f"i{n}", f"指标{n}", "万元", D(10)) for n in range(6)]
    result.indicators = specs
    wb = read(result)
    assert wb.sheetnames[1:3] == ["指标完成情况（一）", "指标完成情况（二）"]
    assert wb["指标完成情况（一）"].max_column == 3 + 3 * 4
    assert wb["指标完成情况（二）"].max_column == 3 + 3 * 2


def test_group_sheet_names_group_leader_and_lead_unit(result):
    ws = read(result)["协作组排名"]
    assert "协作组排名" in ws["A1"].value
    number, header = header_row(ws)
    assert header[:5] == ["序号", "排名", "协作组", "组长", "牵头单位"]
    assert [c.value for c in ws[number + 2]][:5] == [1, 1, "第一招商协作组", "王建国", "东湖区"]


def test_draft_is_marked_on_every_sheet_and_signature_is_printed(result):
    wb = read(result, draft=True, signature=["某某市招商引资工作领导小组办公室", "2026年7月5日"])
    for ws in wb:
        assert "【测算稿（未发布）】" in ws["A1"].value, ws.title
        if ws.title != "佐证明细":  # a list: its title carries the mark
            assert ws["A2"].value.startswith("测算稿（未发布）")
    ws = wb["单位排名"]
    tail = [r[0] for r in rows_of(ws)[-2:]]
    assert tail == ["某某市招商引资工作领导小组办公室", "2026年7月5日"]


def test_evidence_sheet_lists_the_claims_behind_figures(result):
    rows = [
        ClaimRow("东湖区", "funds", "新能源电机项目", "到位资金（企业和个人投资）",
                 datetime.date(2026, 2, 10), D("8000"), D("60")),
        ClaimRow("西山区", "funds", "新能源电机项目", "到位资金（企业和个人投资）",
                 datetime.date(2026, 2, 10), D("8000"), D("40")),
    ]  # fmt: skip
    ws = read(result, rows)["佐证明细"]
    number, header = header_row(ws, "单位")
    assert header[6] == "认定金额（万元）/个数"
    assert ws.print_title_rows == f"${number}:${number}"
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # fitted to one page wide
    first, second = number + 1, number + 2
    assert ws.cell(first, 3).value == "实际到位资金"
    assert ws.cell(first, 7).value == 8000 and ws.cell(first, 8).value == 60
    assert ws.cell(first, 9).value == pytest.approx(4800)
    assert ws.cell(first, 9).value + ws.cell(second, 9).value == pytest.approx(8000)
    assert ws.cell(first, 6).value == datetime.datetime(2026, 2, 10)
