"""The ranking workbook as it was written with openpyxl before it streamed (issue 21): the
reference tests/workbooks/test_ranking_stream.py compares the streaming writer with. Kept as it
was, unused by the product."""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessment.results import AssessmentResult, Echelon, echelon_name
from assessment.totals import indicator_totals
from assessment.workbooks.ranking import ClaimRow
from zhaoshang.web.xlsx import (
    BORDER,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    column_width,
    set_text,
    write_cell,
)

AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "0.00"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"
ECHELON_FILLS = {
    Echelon.FIRST: PatternFill("solid", fgColor="E2EFDA"),
    Echelon.SECOND: PatternFill("solid", fgColor="FFF2CC"),
    Echelon.THIRD: PatternFill("solid", fgColor="FCE4D6"),
}
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
TITLE_FONT = Font(bold=True, size=16)
LEFT = Alignment(horizontal="left", vertical="center")
HUNDRED = Decimal(100)
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
LEAD_COLUMNS = ["排名", "单位", "协作组"]
TAIL_COLUMNS = ["得分", "总体完成率", "方阵", "状态"]
EVIDENCE_HEADERS = [
    "单位",
    "指标代码",
    "指标",
    "项目",
    "类型",
    "日期",
    "金额(万元)/个数",
    "分成比例(%)",
    "计入数",
]


def _is_count(spec):
    return spec.display_unit == "个"


def _rate(pct):
    return None if pct is None else pct / HUNDRED


def _title(result, what):
    quarter = QUARTER_NAMES.get(result.quarter, result.quarter)
    return (
        f"{result.year}年第{quarter}季度招商引资任务考核{what}"
        f"（{result.period_start:%Y年%m月%d日}至{result.period_end:%Y年%m月%d日}）"
    )


def _header(ws, result, lead_columns):
    """Rows 2–4: a note row, then the two header rows with each indicator merged over 3 columns."""
    width = len(lead_columns) + 3 * len(result.indicators) + len(TAIL_COLUMNS)
    write_cell(ws, 2, 1, f"序时进度 {result.expected_progress}%；金额单位：万元")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    headers = []
    for col, name in enumerate(lead_columns, start=1):
        headers.append((col, name))
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    col = len(lead_columns) + 1
    for spec in result.indicators:
        unit = "个" if _is_count(spec) else "万元"
        write_cell(ws, 3, col, f"{spec.name}（{unit}）")
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 2)
        for offset, sub in enumerate(["目标", "完成", "完成率"]):
            write_cell(ws, 4, col + offset, sub)
        col += 3
    for name in TAIL_COLUMNS:
        headers.append((col, name))
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        col += 1
    for col, name in headers:
        write_cell(ws, 3, col, name)
    for row in (3, 4):
        for col in range(1, width + 1):
            cell = ws.cell(row=row, column=col)
            cell.font, cell.fill, cell.alignment, cell.border = (
                HEADER_FONT,
                HEADER_FILL,
                CENTER,
                BORDER,
            )
    ws.row_dimensions[3].height = 36
    return width


def _number(cell, value, fmt):
    cell.value = value
    cell.number_format = fmt
    return cell


def _entity_row(ws, row, entity, result, with_group):
    cells = [ws.cell(row=row, column=1, value=entity.rank)]
    cells.append(set_text(ws.cell(row=row, column=2), entity.name))
    cells.append(set_text(ws.cell(row=row, column=3), entity.group_name if with_group else ""))
    col = 4
    for spec in result.indicators:
        figure = entity.indicators.get(spec.code)
        fmt = COUNT_FORMAT if _is_count(spec) else AMOUNT_FORMAT
        target = figure.target if figure and figure.assessed else None
        cells.append(_number(ws.cell(row=row, column=col), target, fmt))
        cells.append(_number(ws.cell(row=row, column=col + 1), figure and figure.actual, fmt))
        rate = _rate(figure.completion_pct) if figure else None
        cells.append(_number(ws.cell(row=row, column=col + 2), rate, RATE_FORMAT))
        col += 3
    cells.append(_number(ws.cell(row=row, column=col), entity.score, SCORE_FORMAT))
    cells.append(_number(ws.cell(row=row, column=col + 1), _rate(entity.overall), RATE_FORMAT))
    cells.append(ws.cell(row=row, column=col + 2, value=echelon_name(entity.echelon, "")))
    cells.append(write_cell(ws, row, col + 3, entity.status))
    fill = ECHELON_FILLS.get(entity.echelon)
    for cell in cells:
        cell.border = BORDER
        if fill:
            cell.fill = fill


def _totals_row(ws, row, entities, result):
    """The city totals of `assessment.totals` over every entity of the sheet, ranked or not (the
    通报's 全市 figures); the label says when unlisted (unranked) entities add to them."""
    unlisted = any(not e.ranked and any(f.actual for f in e.indicators.values()) for e in entities)
    ws.cell(row=row, column=1, value="合计（含未排名）" if unlisted else "合计")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    col = 4
    for total in indicator_totals(result, entities):
        fmt = COUNT_FORMAT if _is_count(total.spec) else AMOUNT_FORMAT
        _number(ws.cell(row=row, column=col), total.target, fmt)
        _number(ws.cell(row=row, column=col + 1), total.actual, fmt)
        col += 3
    for c in range(1, col + len(TAIL_COLUMNS)):
        cell = ws.cell(row=row, column=c)
        cell.font, cell.fill, cell.border = HEADER_FONT, TOTAL_FILL, BORDER


def _layout(ws, width, last_row):
    ws.freeze_panes = "D5"
    ws.column_dimensions["A"].width = 7
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 18
    for col in range(4, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:4"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_area = f"A1:{get_column_letter(width)}{last_row}"


def _ranking_sheet(ws, result, entities, what, with_group):
    ranked = [e for e in entities if e.ranked]
    write_cell(ws, 1, 1, _title(result, what)).font = TITLE_FONT
    width = _header(ws, result, LEAD_COLUMNS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    row = 5
    for entity in ranked:
        _entity_row(ws, row, entity, result, with_group)
        row += 1
    _totals_row(ws, row, entities, result)
    _layout(ws, width, row)


def write_ranking_workbook(result: AssessmentResult, path_or_file, claim_rows=None):
    """Write the ranking workbook of `result` to a path or a binary file object."""
    wb = Workbook()
    units = wb.active
    units.title = "单位排名"
    _ranking_sheet(units, result, result.units, "单位排名", with_group=True)
    _ranking_sheet(wb.create_sheet("协作组排名"), result, result.groups, "协作组排名", False)
    _evidence_sheet(wb.create_sheet("佐证明细"), result, claim_rows)
    wb.save(path_or_file)


def _evidence_sheet(ws, result, claim_rows):
    names = {spec.code: spec.name for spec in result.indicators}
    quarter = QUARTER_NAMES.get(result.quarter)
    write_cell(ws, 1, 1, f"{result.year}年第{quarter}季度考核佐证明细（已审定）")
    for col, header in enumerate(EVIDENCE_HEADERS, start=1):
        cell = write_cell(ws, 2, col, header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, CENTER
        ws.column_dimensions[get_column_letter(col)].width = column_width(header) + 4
    ws.column_dimensions["D"].width = 36
    ws.freeze_panes = "A3"
    row = 3
    for claim in claim_rows:
        claim = ClaimRow(*claim)
        amount = Decimal(claim.amount)
        share = Decimal(claim.share)
        values = [
            claim.unit,
            claim.indicator_code,
            names.get(claim.indicator_code, ""),
            claim.project,
            claim.claim_type,
            claim.date,
        ]
        for col, value in enumerate(values, start=1):
            set_text(ws.cell(row=row, column=col), value)
        ws.cell(row=row, column=6).number_format = "yyyy-mm-dd"
        _number(ws.cell(row=row, column=7), amount, AMOUNT_FORMAT)
        _number(ws.cell(row=row, column=8), share, "0.00")
        _number(ws.cell(row=row, column=9), amount * share / HUNDRED, AMOUNT_FORMAT)
        row += 1
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
