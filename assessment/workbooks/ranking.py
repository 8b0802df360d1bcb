"""The ranking workbook (通报) of SPEC §6: 单位排名, 协作组排名 and 佐证明细.

`write_ranking_workbook(result, path_or_file, claim_rows=None, progress=None)` takes an
AssessmentResult (see assessment/results.py) and writes figures as numbers with number formats,
so offices can sum, print and forward the table:
- a title row naming year and quarter, then two header rows: each indicator's name merged over
  目标 / 完成 / 完成率;
- amounts '#,##0.00' in 万元, counts '0.00' (credit shares make fractions), rates stored as ratios
  with '0.00%' (0.875 shows as 87.50%), scores '0.00';
- rows coloured by echelon, a 合计 row of targets and actuals (`assessment.totals`: every
  entity of the sheet, so it equals the 通报's 全市 figures), frozen headers, A4 landscape with
  the header rows repeated on every page;
- 佐证明细: every approved claim behind the figures, one row per credited unit, so any number can
  be checked. `claim_rows` may be given (an iterable of ClaimRow or 7-tuples): a computed
  quarter passes the lines stored with its snapshot (`snapshot_rows`), so a published quarter's
  sheet is what it counted; otherwise it is read live (`evidence_rows(result)`).

It streams (issue 21): xlsxwriter's constant-memory mode writes each row to disk as it is
finished, so memory stays flat however many units and evidence lines there are (the openpyxl
version held every styled cell: +336 MB at M). Cells, values, merges, number formats, fills and
print settings are those of the earlier openpyxl workbook (tests/workbooks/test_ranking_stream.py
compares the two). `progress(done, total)`, when given, is called as rows are written (the
background job's counters).
"""

from collections import namedtuple
from decimal import Decimal

from assessment.evidence import collect_lines, stored_lines, workbook_label
from assessment.models import AssessmentYear
from assessment.results import AssessmentResult, Echelon, echelon_name
from assessment.totals import indicator_totals
from assessment.workbooks.streaming import StreamingBook, merge
from zhaoshang.web.xlsx import column_width

ClaimRow = namedtuple(
    "ClaimRow", ["unit", "indicator_code", "project", "claim_type", "date", "amount", "share"]
)

AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "0.00"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
ECHELON_FILLS = {Echelon.FIRST: "#E2EFDA", Echelon.SECOND: "#FFF2CC", Echelon.THIRD: "#FCE4D6"}
HEADER_FILL = "#DCE6F1"
TOTAL_FILL = "#EDEDED"
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
# Cell styles, as xlsxwriter format properties (StreamingBook.style caches one format each).
BORDER = {"border": 1, "border_color": "#999999"}
CENTER = {"align": "center", "valign": "vcenter", "text_wrap": True}
HEADER = {"bold": True, "pattern": 1, "bg_color": HEADER_FILL}
PROGRESS_EVERY = 200  # rows between two progress calls


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


def _tail_columns(entities):
    """得分 … 状态, and 方阵说明 when a rule of issue 17 placed an entity (older snapshots have
    no such note, so their sheets keep their columns)."""
    if any(e.echelon_note for e in entities):
        return [*TAIL_COLUMNS, "方阵说明"]
    return TAIL_COLUMNS


def _header_rows(sheet, result, width, tail_columns=TAIL_COLUMNS):
    """Rows 3–4 (0-based 2–3): the lead and tail columns merged over both rows, each indicator's
    name merged over its 目标 / 完成 / 完成率; every cell of both rows styled as a header."""
    style = HEADER | CENTER | BORDER
    top, sub = [None] * width, [None] * width
    for col, name in enumerate(LEAD_COLUMNS):
        top[col] = name
        merge(sheet.ws, 2, col, 3, col)
    col = len(LEAD_COLUMNS)
    for spec in result.indicators:
        unit = "个" if _is_count(spec) else "万元"
        top[col] = f"{spec.name}（{unit}）"
        merge(sheet.ws, 2, col, 2, col + 2)
        sub[col : col + 3] = ["目标", "完成", "完成率"]
        col += 3
    for name in tail_columns:
        top[col] = name
        merge(sheet.ws, 2, col, 3, col)
        col += 1
    sheet.ws.set_row(2, 36)
    for row, values in ((2, top), (3, sub)):
        for col, value in enumerate(values):
            sheet.write(row, col, value, style)


def _entity_row(sheet, row, entity, result, with_group, with_notes=False):
    fill = ECHELON_FILLS.get(entity.echelon)
    base = BORDER | ({"pattern": 1, "bg_color": fill} if fill else {})
    cells = [
        (entity.rank, None),
        (entity.name, None),
        (entity.group_name if with_group else "", None),
    ]
    for spec in result.indicators:
        figure = entity.indicators.get(spec.code)
        fmt = COUNT_FORMAT if _is_count(spec) else AMOUNT_FORMAT
        target = figure.target if figure and figure.assessed else None
        cells.append((target, fmt))
        cells.append((figure and figure.actual, fmt))
        cells.append((_rate(figure.completion_pct) if figure else None, RATE_FORMAT))
    cells.append((entity.score, SCORE_FORMAT))
    cells.append((_rate(entity.overall), RATE_FORMAT))
    echelon = "单列" if entity.listed_apart else echelon_name(entity.echelon, "")
    cells.append((echelon, None))
    cells.append((entity.status, None))
    if with_notes:
        cells.append((entity.echelon_note, None))
    for col, (value, fmt) in enumerate(cells):
        sheet.write(row, col, value, base | ({"num_format": fmt} if fmt else {}))


def _totals_row(sheet, row, entities, result, width):
    """The city totals of `assessment.totals` over every entity of the sheet, ranked or not (the
    通报's 全市 figures); the label says when unlisted (unranked) entities add to them."""
    unlisted = any(
        not e.ranked and not e.listed_apart and any(f.actual for f in e.indicators.values())
        for e in entities
    )
    cells = [("合计（含未排名）" if unlisted else "合计", None), (None, None), (None, None)]
    merge(sheet.ws, row, 0, row, 2)
    for total in indicator_totals(result, entities):
        fmt = COUNT_FORMAT if _is_count(total.spec) else AMOUNT_FORMAT
        cells += [(total.target, fmt), (total.actual, fmt), (None, None)]
    cells += [(None, None)] * (width - len(cells))
    style = {"bold": True, "pattern": 1, "bg_color": TOTAL_FILL} | BORDER
    for col, (value, fmt) in enumerate(cells):
        sheet.write(row, col, value, style | ({"num_format": fmt} if fmt else {}))


def _layout(ws, width, last_row):
    """Frozen headers, widths and A4-landscape printing; `last_row` is 0-based."""
    ws.freeze_panes(4, 3)
    ws.set_column(0, 0, 7)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 18)
    ws.set_column(3, width - 1, 12)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2, 3)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=1, bottom=1)
    ws.print_area(0, 0, last_row, width - 1)


def _ranking_sheet(book, name, result, entities, with_group, tick):
    """Ranked entities in rank order, then those listed apart (issue 17: too few indicators),
    then the 合计 row."""
    sheet = book.add_sheet(name)
    ranked = [e for e in entities if e.ranked] + [e for e in entities if e.listed_apart]
    tail = _tail_columns(entities)
    width = len(LEAD_COLUMNS) + 3 * len(result.indicators) + len(tail)
    _layout(sheet.ws, width, 4 + len(ranked))
    sheet.ws.set_row(0, 30)
    sheet.write(0, 0, _title(result, name), {"bold": True, "font_size": 16} | CENTER)
    merge(sheet.ws, 0, 0, 0, width - 1)
    note = f"序时进度 {result.expected_progress}%；金额单位：万元"
    if result.echelon_rules:
        note += "；方阵规则：" + "；".join(result.echelon_rules)
    sheet.write(1, 0, note)
    merge(sheet.ws, 1, 0, 1, width - 1)
    _header_rows(sheet, result, width, tail)
    row = 4
    for entity in ranked:
        _entity_row(
            sheet, row, entity, result, with_group, with_notes=len(tail) > len(TAIL_COLUMNS)
        )
        row += 1
        tick()
    _totals_row(sheet, row, entities, result, width)


def _evidence_sheet(book, result, claim_rows, tick):
    sheet = book.add_sheet("佐证明细")
    ws = sheet.ws
    names = {spec.code: spec.name for spec in result.indicators}
    quarter = QUARTER_NAMES.get(result.quarter)
    for col, header in enumerate(EVIDENCE_HEADERS):
        ws.set_column(col, col, column_width(header) + 4)
    ws.set_column(3, 3, 36)
    ws.freeze_panes(2, 0)
    ws.repeat_rows(1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    sheet.write(0, 0, f"{result.year}年第{quarter}季度考核佐证明细（已审定）")
    for col, header in enumerate(EVIDENCE_HEADERS):
        sheet.write(1, col, header, {"bold": True, "pattern": 1, "bg_color": HEADER_FILL} | CENTER)
    row = 2
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
        ]
        for col, value in enumerate(values):
            sheet.write(row, col, value)
        sheet.write(row, 5, claim.date, {"num_format": DATE_FORMAT})
        sheet.write(row, 6, amount, {"num_format": AMOUNT_FORMAT})
        sheet.write(row, 7, share, {"num_format": "0.00"})
        sheet.write(row, 8, amount * share / HUNDRED, {"num_format": AMOUNT_FORMAT})
        row += 1
        tick()


def write_ranking_workbook(result: AssessmentResult, path_or_file, claim_rows=None, progress=None):
    """Write the ranking workbook of `result` to a path or a binary file object, streaming."""
    if claim_rows is None:
        claim_rows = evidence_rows(result)
    claim_rows = list(claim_rows)
    total = sum(1 for e in result.units if e.ranked or e.listed_apart)
    total += sum(1 for e in result.groups if e.ranked)
    total += len(claim_rows)
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)

    if progress is not None:
        progress(0, total)
    with StreamingBook(path_or_file) as book:
        # One 单位排名 sheet, or one per unit type when the year ranks them apart (issue 17).
        for label, members in result.unit_sections():
            title = f"单位排名（{label}）" if label else "单位排名"
            _ranking_sheet(book, title, result, members, True, tick)
        _ranking_sheet(book, "协作组排名", result, result.groups, False, tick)
        _evidence_sheet(book, result, claim_rows, tick)


def claim_rows(lines):
    """ClaimRows of the verified `lines` (`assessment.evidence`): what 佐证明细 lists."""
    return [
        ClaimRow(
            line.unit_name,
            line.indicator_code,
            line.project_name,
            workbook_label(line),
            line.date,
            line.amount,
            line.share,
        )
        for line in lines
        if line.verified
    ]


def evidence_rows(result):
    """ClaimRows of every approved claim behind `result`'s unit figures, one per credited unit,
    read live (`assessment.evidence.collect_lines`: the engine's claim selections, one query per
    indicator). For a computed quarter use `snapshot_rows`: the lines it counted."""
    year = AssessmentYear.objects.filter(year=result.year).first()
    if year is None:
        return []
    return claim_rows(collect_lines(year, result.period_start, result.period_end))


def snapshot_rows(snapshot):
    """ClaimRows of the lines stored with `snapshot` (names as computed); None when it has none
    stored (computed before lines were kept), so the writer reads them live."""
    if snapshot is None or not snapshot.lines_stored:
        return None
    return claim_rows(stored_lines(snapshot))
