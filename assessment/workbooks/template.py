"""The downloadable import template of SPEC §6: the contract's sheets and headers
(`assessment.workbooks.contract`) and drop-down lists for the coded columns, with a sheet of notes
for the people filling it in.

Decision (issue 16, case 5): the sheets that are imported hold only their header row. The example
of each sheet is shown on the 填写说明 sheet, which is never imported, so an office that fills in
one sheet and uploads the file imports nothing but its own rows."""

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.models import IndicatorKind, InvestmentBasis
from assessment.workbooks.contract import (
    CARRIED_LABEL,
    EXAMPLES,
    FUNDS,
    INDICATORS,
    NEW_LABEL,
    NO,
    NOTES_SHEET,
    OPTIONAL_COLUMNS,
    PROJECTS,
    SHEETS,
    UNITS,
    YES,
    labels,
)
from projects.models import Category, FundsRegion, FundsSource, MilestoneKind
from units.models import UnitType
from zhaoshang.web.xlsx import BORDER, CENTER, HEADER_FILL, HEADER_FONT, column_width, write_cell

FILL_IN = (
    "各工作表第 1 行是表头，请从第 2 行起每行填写一条记录；不需要的工作表可以删除或留空。"
    "下方“填写示例”仅供参考，不会导入。"
)
EXAMPLES_TITLE = "填写示例（仅供参考，本说明页的内容不会导入）"

NOTES = [
    FILL_IN,
    "本模板用于导入一个年度的单位、协作组、考核指标、目标、项目及其节点、投资和到位资金。",
    "表头名称须与模板一致（全角、半角括号均可），表头上方可以有标题行；不需要的工作表可以删除，"
    "说明页和空白工作表不导入。",
    "日期填写 YYYY-MM-DD（如 2026-03-15），也可写作 2026/3/15、2026.3.15、2026年3月15日或 Excel "
    "日期；月份填写 YYYY-MM（如 2026-03），也可写作 2026/3 或 2026年3月。",
    "金额单位为万元，填写数值，最多两位小数；写成“1200万元”“1.2亿元”的按万元换算。"
    "不接受公式和错误值（如 #N/A），请粘贴为数值。",
    "单位类型：市直部门、县区、园区、招商局。成员单位之间用顿号“、”分隔。",
    "项目名称在工作簿内不能重复。已有项目按“项目编号”匹配（可选列，年度数据导出中有）；不填编号时"
    "按项目名称（填了统一社会信用代码时按名称和信用代码）匹配，与责任单位无关：改了责任单位的是"
    "同一个项目的更正，不会重复创建。系统中有多个同名项目时，请填写项目编号。",
    "到位资金按“编号”（可选列）匹配；不填编号时按项目、日期、来源及同日同来源各行的先后匹配，"
    "改了金额的行是更正，同一天两笔相同金额的到位资金是两笔。",
    "重新导入时，文件中已清空的日期和本年度已删去的投资、到位资金行只列出、不删除，"
    "确认导入时勾选“同时删除”才删除。",
    "签约日期 ≤ 开工日期 ≤ 竣工日期，且不能晚于今天。",
    "“新引进/结转”指本工作簿所属年度（协作组、考核指标、目标表中的年度；都没有时为今年）："
    "默认该年度签约的项目为新引进、以前年度签约的为结转；填写与默认不同时，记为该年度的认定，"
    "不影响其他年度。",
    "“分成”表可选：同一项目各单位比例合计必须为 100（填 60 或 60% 均可）；不填则责任单位占 100%。",
    "合计、小计行不导入。隐藏的行（包括被筛选隐藏的行）不导入，请取消筛选和隐藏后再上传。",
    "合并单元格：同一列上下合并的（如两个项目共用一个签约日期），各行按合并的值读取；"
    "金额、比例等数值不能跨行合并，也不能跨列合并。",
    "设有打开密码的文件无法读取，请先取消密码再上传。",
    "整个工作簿先全部校验，有任何一处错误则全部不导入，并列出错误所在的工作表、行和列。",
]


def _write_examples(ws, row):
    """The example of each sheet below the notes: its name, headers and one example row."""
    write_cell(ws, row, 1, EXAMPLES_TITLE).font = HEADER_FONT
    for sheet, headers in SHEETS.items():
        row += 2
        write_cell(ws, row, 1, f"工作表“{sheet}”示例：").font = HEADER_FONT
        for index, header in enumerate(headers, start=1):
            cell = write_cell(ws, row + 1, index, header)
            cell.fill = HEADER_FILL
            cell.border = BORDER
        for index, header in enumerate(headers, start=1):
            write_cell(ws, row + 2, index, EXAMPLES[sheet].get(header, "")).border = BORDER
        row += 2


def _list_validation(ws, column_index, values, max_row=2000):
    """A drop-down list for one column (rows 2..max_row)."""
    formula = '"' + ",".join(values) + '"'
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.error = "请从下拉列表中选择。"
    dv.errorTitle = "输入无效"
    dv.prompt = "请从下拉列表中选择"
    letter = get_column_letter(column_index)
    dv.add(f"{letter}2:{letter}{max_row}")
    ws.add_data_validation(dv)


VALIDATIONS = {
    UNITS: {"单位类型": lambda: list(labels(UnitType))},
    INDICATORS: {
        "类型": lambda: list(labels(IndicatorKind)),
        "节点": lambda: list(labels(MilestoneKind)),
        "投资口径": lambda: list(labels(InvestmentBasis)),
        "仅新引进": lambda: [YES, NO],
        "资金来源": lambda: list(labels(FundsSource)),
    },
    PROJECTS: {
        "类别": lambda: list(labels(Category)),
        "新引进/结转": lambda: [NEW_LABEL, CARRIED_LABEL],
    },
    FUNDS: {
        "来源": lambda: list(labels(FundsSource)),
        "资金来源地": lambda: list(labels(FundsRegion)),
    },
}


def style_header_row(ws, headers):
    for index, header in enumerate(headers, start=1):
        cell = write_cell(ws, 1, index, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(index)].width = column_width(header) + 6
    ws.freeze_panes = "A2"


def write_template(path_or_file):
    """Write the import template: SPEC §6 sheets with their headers and drop-downs, and the
    notes with an example of every sheet."""
    wb = Workbook()
    notes = wb.active
    notes.title = NOTES_SHEET
    notes.column_dimensions["A"].width = 110
    write_cell(notes, 1, 1, "招商引资任务考核 · 年度数据导入模板 填写说明").font = HEADER_FONT
    for row, text in enumerate(NOTES, start=2):
        write_cell(notes, row, 1, f"{row - 1}. {text}")
    _write_examples(notes, len(NOTES) + 3)
    for sheet, headers in SHEETS.items():
        ws = wb.create_sheet(sheet)
        columns = headers + OPTIONAL_COLUMNS.get(sheet, [])
        style_header_row(ws, columns)
        for header, values in VALIDATIONS.get(sheet, {}).items():
            _list_validation(ws, columns.index(header) + 1, values())
    wb.save(path_or_file)
