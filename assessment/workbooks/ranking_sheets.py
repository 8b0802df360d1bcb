"""The sheets of the ranking workbook (issue 22 item 3), as a 考核办 sends them.

- 单位排名 (one per unit type when the year ranks them apart): the summary a reader looks at
  first — 序号, 排名, 单位, 协作组, 总体完成率, 基础得分, 加减分, 得分, 方阵, 状态, 备注 — in
  方阵 sections (a section row 「第一方阵（N 个）」 before its units), then the units listed apart.
  加减分 is its own column beside 得分 (SPEC §5: adjustments are shown separately), so
  得分 = 基础得分 + 加减分 can be read off the sheet. 备注 says what a blank would hide:
  「未下达目标：…」 for indicators not assessed for the unit, and the 方阵 rule that placed it.
- 指标完成情况（一）, （二）…: the indicators' 目标 / 完成 / 完成率, `INDICATORS_PER_SHEET` per
  sheet so the figures print at a legible size (22 columns fitted to A4 printed at ~6 pt), in
  the same order, ending with the 合计 row (`assessment.totals`; its label states what it sums).
- 协作组排名: 序号, 排名, 协作组, 组长, 牵头单位 and the same score columns.
- every sheet: the title row, a draft's 测算稿（未发布） mark, the header rows repeated on every
  page, page numbers, A4 landscape fitted to width (`zhaoshang.web.paper`), and the 落款 (issuing
  office and date) below the table when the result carries one.
"""

from decimal import Decimal

from assessment.formatting import DRAFT_MARK, quarter_name
from assessment.results import Echelon, echelon_name
from assessment.totals import indicator_totals
from assessment.workbooks.streaming import merge
from zhaoshang.web import paper

AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "0.00"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"
ECHELON_FILLS = {Echelon.FIRST: "#E2EFDA", Echelon.SECOND: "#FFF2CC", Echelon.THIRD: "#FCE4D6"}
HEADER_FILL = "#DCE6F1"
TOTAL_FILL = "#EDEDED"
SECTION_FILL = "#F2F2F2"
HUNDRED = Decimal(100)
INDICATORS_PER_SHEET = 4
BORDER = paper.BORDER
CENTER = {"align": "center", "valign": "vcenter", "text_wrap": True}
HEADER = {"bold": True, "pattern": 1, "bg_color": HEADER_FILL} | CENTER | BORDER
SCORE_COLUMNS = ["总体完成率", "基础得分", "加减分", "得分", "方阵", "状态", "备注"]
APART_SECTION = "单列单位（考核指标不足，不参与排名）"
NUMERALS = "一二三四五六七八九十"


def is_count(spec):
    """A count (个, or a campaign measure's own unit such as 条 or 人次), not an amount."""
    return spec.display_unit not in ("万元", "亿元")


def rate(pct):
    return None if pct is None else pct / HUNDRED


def title(result, what, draft):
    text = (
        f"{result.year}年{quarter_name(result.quarter)}招商引资任务考核{what}"
        f"（{result.period_start:%Y年%m月%d日}至{result.period_end:%Y年%m月%d日}）"
    )
    return f"{text}【{DRAFT_MARK}】" if draft else text


def listed(entities):
    """Ranked entities in rank order, then those listed apart (too few indicators)."""
    return [e for e in entities if e.ranked] + [e for e in entities if e.listed_apart]


def remark(entity, result):
    """备注: indicators without a target (instead of a blank), and the 方阵 rule's note."""
    missing = [
        spec.name
        for spec in result.indicators
        if not (entity.indicators.get(spec.code) and entity.indicators[spec.code].assessed)
    ]
    parts = [f"未下达目标：{'、'.join(missing)}"] if missing else []
    if entity.echelon_note:
        parts.append(entity.echelon_note)
    return "；".join(parts)


def echelon_text(entity):
    return "单列" if entity.listed_apart else echelon_name(entity.echelon, "")


def sections(entities):
    """[(section label, entities)]: one per 方阵 of the ranked, then the ones listed apart."""
    out = []
    for value, name in Echelon.choices:
        members = [e for e in entities if e.ranked and e.echelon == value]
        if members:
            out.append((f"{name}（{len(members)} 个）", members))
    apart = [e for e in entities if e.listed_apart]
    if apart:
        out.append((APART_SECTION, apart))
    return out


class Sheet:
    """One sheet being written: the rows so far, widths from the content, print setup."""

    def __init__(self, book, name, width, draft):
        self.sheet = book.add_sheet(name)
        self.ws = self.sheet.ws
        self.width = width
        self.row = 0
        self.widths = paper.ColumnWidths(minimum=6, maximum=40)
        self.draft = draft

    def cell(self, col, value, style=None, measure=True):
        if measure:
            self.widths.see(col, value)
        self.sheet.write(self.row, col, value, style)

    def line(self, text, style=None, height=None):
        """A row of one merged cell across the sheet."""
        self.cell(0, text, style, measure=False)
        merge(self.ws, self.row, 0, self.row, self.width - 1)
        if height:
            self.ws.set_row(self.row, height)
        self.row += 1

    def heading(self, text, note=None):
        """The title row; under it, for a draft, the 测算稿 line, then `note`. Without a note
        (佐证明细: a list, read by machines too) the title alone, a draft's mark in it."""
        self.line(text, {"bold": True, "font_size": 16} | CENTER, height=30)
        if note is None:
            return
        if self.draft:
            self.line(
                f"{DRAFT_MARK}：本表为测算结果，不作为正式通报",
                {"bold": True, "font_color": "#C00000", "font_size": 12} | CENTER,
            )
        self.line(note, {"text_wrap": True})

    def headers(self, top, sub=None):
        """One header row, or two (`sub`): a top cell with no sub-header spans both rows."""
        first = self.row
        for col, value in enumerate(top):
            # A name merged over 目标 / 完成 / 完成率 wraps; it does not widen its first column.
            self.cell(col, value, HEADER, measure=sub is None or sub[col] is None)
        if sub is not None:
            self.row += 1
            for col, value in enumerate(sub):
                self.cell(col, value, HEADER, measure=value is not None)
                if value is None and top[col] is not None:
                    merge(self.ws, first, col, first + 1, col)
            self.ws.set_row(first, 36)
        self.header_rows = (first, self.row)
        self.row += 1

    def values(self, cells, base=None):
        for col, (value, fmt) in enumerate(cells):
            style = (base or BORDER) | ({"num_format": fmt} if fmt else {})
            self.cell(col, value, style)
        self.row += 1

    def section(self, text):
        self.line(text, {"bold": True, "pattern": 1, "bg_color": SECTION_FILL} | BORDER)

    def finish(self, signature=None, fixed=None):
        """Widths, print setup, the 落款 below the table. `fixed` = {col: width}."""
        if signature:
            self.row += 1
            for text in signature:
                self.line(text, {"align": "right"})
        for col in range(self.width):
            width = (fixed or {}).get(col) or self.widths.width(col)
            self.ws.set_column(col, col, width)
        self.ws.freeze_panes(self.header_rows[1] + 1, 0)
        paper.print_setup(self.ws, self.header_rows)
        self.ws.print_area(0, 0, max(self.row - 1, 0), self.width - 1)


def entity_fill(entity):
    fill = ECHELON_FILLS.get(entity.echelon)
    return BORDER | ({"pattern": 1, "bg_color": fill} if fill else {})


def score_cells(entity, result):
    return [
        (rate(entity.overall), RATE_FORMAT),
        (entity.base_score, SCORE_FORMAT),
        (entity.adjustment if entity.score is not None else None, SCORE_FORMAT),
        (entity.score, SCORE_FORMAT),
        (echelon_text(entity), None),
        (entity.status, None),
        (remark(entity, result), None),
    ]


def ranking_summary(book, name, result, entities, draft, note, signature, tick, groups=None):
    """The 单位排名 / 协作组排名 summary sheet. `groups` ({id: (组长, 牵头单位)}) makes it the
    groups' sheet."""
    lead = ["序号", "排名", "协作组", "组长", "牵头单位"] if groups is not None else None
    lead = lead or ["序号", "排名", "单位", "协作组"]
    sheet = Sheet(book, name, len(lead) + len(SCORE_COLUMNS), draft)
    sheet.heading(title(result, name, draft), note)
    sheet.headers([*lead, *SCORE_COLUMNS])
    serial = 0
    for label, members in sections(entities):
        sheet.section(label)
        for entity in members:
            serial += 1
            if groups is not None:
                leader, lead_unit = groups.get(entity.id, ("", ""))
                cells = [(serial, None), (entity.rank, None), (entity.name, None)]
                cells += [(leader, None), (lead_unit, None)]
            else:
                cells = [(serial, None), (entity.rank, None), (entity.name, None)]
                cells.append((entity.group_name, None))
            sheet.values(cells + score_cells(entity, result), entity_fill(entity))
            tick()
    sheet.finish(signature, fixed={len(lead) + len(SCORE_COLUMNS) - 1: 36})


def chunks(indicators):
    return [
        indicators[i : i + INDICATORS_PER_SHEET]
        for i in range(0, len(indicators), INDICATORS_PER_SHEET)
    ]


def indicator_sheets(book, base, result, entities, draft, note, signature, totals_label):
    """指标完成情况（一）…: each indicator's 目标 / 完成 / 完成率 for the listed entities, in the
    summary's order, and the 合计 row over every entity given (`totals_label` says which)."""
    rows = listed(entities)
    parts = chunks(result.indicators)
    for index, specs in enumerate(parts):
        suffix = f"（{NUMERALS[index]}）" if len(parts) > 1 else ""
        name = f"{base}{suffix}"
        width = 3 + 3 * len(specs)
        sheet = Sheet(book, name, width, draft)
        sheet.heading(title(result, name, draft), note)
        top, sub = ["序号", "排名", "单位"], [None, None, None]
        for spec in specs:
            unit = (spec.display_unit or "个") if is_count(spec) else "万元"
            top += [f"{spec.name}（{unit}）", None, None]
            sub += ["目标", "完成", "完成率"]
        sheet.headers(top, sub)
        first = sheet.header_rows[0]
        for index in range(len(specs)):
            merge(sheet.ws, first, 3 + 3 * index, first, 5 + 3 * index)
        for serial, entity in enumerate(rows, 1):
            cells = [(serial, None), (entity.rank, None), (entity.name, None)]
            for spec in specs:
                figure = entity.indicators.get(spec.code)
                fmt = COUNT_FORMAT if is_count(spec) else AMOUNT_FORMAT
                assessed = figure is not None and figure.assessed
                cells.append((figure.target if assessed else "未下达目标", fmt))
                cells.append((figure and figure.actual, fmt))
                cells.append((rate(figure.completion_pct) if figure else None, RATE_FORMAT))
            sheet.values(cells, entity_fill(entity))
        by_code = {t.code: t for t in indicator_totals(result, entities)}
        cells = [(totals_label, None), (None, None), (None, None)]
        for spec in specs:
            total = by_code[spec.code]
            fmt = COUNT_FORMAT if is_count(spec) else AMOUNT_FORMAT
            cells += [(total.target, fmt), (total.actual, fmt), (rate(total.pct), RATE_FORMAT)]
        merge(sheet.ws, sheet.row, 0, sheet.row, 2)
        sheet.values(cells, {"bold": True, "pattern": 1, "bg_color": TOTAL_FILL} | BORDER)
        sheet.finish(signature, fixed={0: 6, 1: 6})
