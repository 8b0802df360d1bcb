"""Reading an import workbook as offices send it (SPEC §6, issue #16 item 8): every known sheet
streamed into `cells.Row`s, every problem a RowError on its sheet, row and column, and every
liberty taken a note (same shape) that the report lists, so nothing is read silently.

Decisions:
- Sheets are matched by their folded name (`values.fold`). A sheet of notes (说明, 填表须知…),
  an empty sheet and a hidden sheet of another name (drop-down lists live there) are skipped with
  a note; a hidden sheet of a known name is refused; any other sheet is refused by name, so a
  misspelt 项目 is never skipped silently.
- The header row is the first of the top `HEADER_SCAN_ROWS` rows holding every header of the
  contract (folded: （万元） is (万元)); title rows above it are skipped with a note.
- A row whose text says it is a total (合计, 小计, 东湖区小计…, `values.is_total_label`) and whose
  first contract column is empty or that label is skipped with a note.
- A hidden (filtered-out) row with data is refused: nobody has looked at it.
- Formula cells and Excel error values (#N/A, #REF!…) are refused where they stand; text is
  cleaned of escapes and invisible characters (`values.clean_text`).
- A number shown as a percentage (0.6 shown 60%) is read as the percentage the clerk sees ("60%"),
  and a number formatted to show 亿 as that many 亿元.
- A merged cell: over several rows of one column, each row takes the range's value (a 签约日期
  merged over two projects dates both), except in figure columns (`contract.FIGURE_COLUMNS`),
  where nobody can tell whose figure it is; over several contract columns it is refused.
- A file made from an older template, which had each sheet's example (`contract.LEGACY_EXAMPLES`) as
  row 2, is recognised by its example project; then the rows equal to their sheet's example are
  skipped with a note: examples never import.
"""

import re
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from assessment.workbooks.cells import FORMULA, Row, RowError
from assessment.workbooks.contract import (
    FIGURE_COLUMNS,
    LEGACY_EXAMPLES,
    NOTES_SHEET,
    NOTES_WORDS,
    OPTIONAL_COLUMNS,
    PROJECTS,
    SHEETS,
)
from assessment.workbooks.values import clean_text, fold, is_error_value, is_total_label

HEADER_SCAN_ROWS = 10
WHOLE_ROW = "整行"
EXAMPLE_SKIPPED = "与旧版导入模板中的填写示例相同，是示例行，已跳过（未导入）。"
QUOTED = re.compile(r'"[^"]*"|\\.')
SHEET_NAMES = {fold(name): name for name in SHEETS}


def read_workbook(fileobj, errors, notes=None):
    """Stream every known sheet (openpyxl read-only mode) → {sheet: [Row, …]} in SPEC order."""
    notes = [] if notes is None else notes
    wb = load_workbook(fileobj, read_only=True, data_only=False)
    try:
        sheets, readers = {}, {}
        for ws in wb.worksheets:
            title = ws.title.strip()
            name = SHEET_NAMES.get(fold(title))
            if name is None:
                _other_sheet(ws, title, errors, notes)
            elif name in sheets:
                errors.append(
                    RowError(title, None, "", f"工作簿中有两个“{name}”工作表，请合并为一个。")
                )
            elif ws.sheet_state != "visible":
                errors.append(
                    RowError(
                        title,
                        None,
                        "",
                        f"工作表“{title}”被隐藏了，系统不导入看不见的数据："
                        "请在 Excel 中取消隐藏、核对后再上传。",
                    )
                )
            else:
                readers[name] = SheetReader(name, ws, errors, notes)
                sheets[name] = readers[name].read()
        _skip_examples(readers, sheets, notes)
        if not sheets and not errors:
            errors.append(
                RowError("", None, "", f"工作簿中没有可导入的工作表，应包含：{'、'.join(SHEETS)}。")
            )
        return {name: sheets[name] for name in SHEETS if name in sheets}
    finally:
        wb.close()


def _other_sheet(ws, title, errors, notes):
    """A sheet that is not in the contract: skipped with a note, or refused by name."""
    if ws.sheet_state != "visible":
        notes.append(RowError(title, None, "", "隐藏的工作表，未导入。"))
    elif title == NOTES_SHEET or any(word in title for word in NOTES_WORDS):
        notes.append(RowError(title, None, "", "说明页，未导入。"))
    elif not any(_has_text(c.value) for _n, cells, _h in SheetXml(ws) for c in cells.values()):
        notes.append(RowError(title, None, "", "空白工作表，未导入。"))
    else:
        errors.append(
            RowError(
                title, None, "", f"无法识别的工作表“{title}”，工作表名称应为：{'、'.join(SHEETS)}。"
            )
        )


def _same_cell(value, example):
    if not _has_text(value):
        return not _has_text(example)
    if isinstance(example, int | float) and not isinstance(value, str | bool):
        try:
            return Decimal(str(value)) == Decimal(str(example))
        except (ArithmeticError, ValueError):
            return False
    if hasattr(value, "isoformat"):
        value = value.isoformat()[: len(str(example))]
    return str(value) == str(example)


def _skip_examples(readers, sheets, notes):
    """A workbook made from an older template, which had every sheet's example as row 2 (its
    example project, with its made-up investor and credit code, says so): skip the rows equal to
    their sheet's example, with a note. Without the example project a row equal to another
    example is real data (东湖区 may well be led by 王建华)."""
    projects = readers.get(PROJECTS)
    if projects is None or not projects.examples:
        return
    for name, reader in readers.items():
        if reader.examples:
            skipped = set(reader.examples)
            sheets[name] = [row for row in sheets[name] if row.number not in skipped]
            for number in reader.examples:
                notes.append(RowError(name, number, "", EXAMPLE_SKIPPED))


def _is_example(sheet, values):
    """A row equal, cell by cell, to the sheet's example in the import template (a file made
    from an older template, which had them as row 2; issue 16, case 5)."""
    example = LEGACY_EXAMPLES[sheet]
    return all(_same_cell(values.get(h), example.get(h, "")) for h in SHEETS[sheet])


def _has_text(value):
    return value is not None and not (isinstance(value, str) and not clean_text(value))


class SheetXml:
    """Rows of a read-only worksheet as (number, {column: cell}, hidden), then `merged` (the
    merged ranges, known once every row is read: Excel writes them after the cells).

    It runs openpyxl's own streaming parser, as `ReadOnlyWorksheet.iter_rows` does, because a
    read-only worksheet exposes neither hidden rows nor merged cells and loading a workbook in
    full takes some fifty times its size in memory."""

    def __init__(self, ws):
        self.ws = ws
        self.merged = []

    def __iter__(self):
        ws, wb = self.ws, self.ws.parent
        with ws._get_source() as src:
            parser = WorkSheetParser(
                src,
                ws._shared_strings,
                data_only=wb.data_only,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for number, cells in parser.parse():
                attributes = parser.row_dimensions.pop(str(number), {})
                hidden = attributes.get("hidden") in ("1", "true")
                yield number, {c["column"]: ReadOnlyCell(ws, **c) for c in cells}, hidden
            if parser.merged_cells is not None:
                self.merged = [m.ref for m in parser.merged_cells.mergeCell]


def _where(first, last):
    return f"第{first}行" if first == last else f"第{first}–{last}行"


class SheetReader:
    def __init__(self, name, ws, errors, notes):
        self.name = name
        self.ws = ws
        self.errors = errors
        self.notes = notes
        self.epoch = ws.parent.epoch
        self.header = None
        self.columns = {}
        self.rows = {}
        self.examples = []  # numbers of the rows equal to the template's example

    def note(self, row, column, message):
        self.notes.append(RowError(self.name, row, column, message))

    def error(self, row, column, message):
        self.errors.append(RowError(self.name, row, column, message))

    def read(self):
        xml = SheetXml(self.ws)
        scanned = []  # (number, {header: column}) of the rows above the header row
        for number, cells, hidden in xml:
            if self.header is not None:
                self._data_row(number, cells, hidden)
                continue
            if number > HEADER_SCAN_ROWS:
                break
            found = self._headers(cells)
            if set(SHEETS[self.name]) <= set(found):
                self._found_header(number, found, scanned)
            elif any(_has_text(c.value) for c in cells.values()):
                scanned.append((number, found))
        if self.header is None:
            self._no_header(scanned)
            return []
        self._merged(xml.merged)
        return list(self.rows.values())

    def _headers(self, cells):
        wanted = {fold(h): h for h in SHEETS[self.name] + OPTIONAL_COLUMNS.get(self.name, [])}
        found = {}
        for column, cell in sorted(cells.items()):
            if isinstance(cell.value, str):
                header = wanted.get(fold(clean_text(cell.value)))
                if header is not None:
                    found.setdefault(header, column)
        return found

    def _found_header(self, number, found, scanned):
        self.header, self.columns = number, found
        if scanned:
            self.note(
                number, "", f"表头在第{number}行，其上方的标题等内容（第1–{number - 1}行）未导入。"
            )

    def _no_header(self, scanned):
        if not scanned:
            self.note(None, "", "工作表是空的，未导入。")
            return
        number, found = max(scanned, key=lambda item: (len(item[1]), -item[0]))
        if not found:
            number = scanned[0][0]
        for header in SHEETS[self.name]:
            if header not in found:
                self.error(number, header, f"缺少表头“{header}”（表头须与模板一致）。")

    def _data_row(self, number, cells, hidden):
        mapped = {h: cells.get(index) for h, index in self.columns.items()}
        if not any(cell is not None and _has_text(cell.value) for cell in mapped.values()):
            return  # blank, or only columns the contract does not read (序号, 备注)
        if self._is_total(cells, mapped):
            self.note(number, "", "合计/小计行，已跳过（未导入）。")
            return
        if hidden:
            self.error(
                number,
                WHOLE_ROW,
                "该行是隐藏的行（被筛选或手动隐藏），系统不导入看不见的数据：请取消筛选和隐藏，"
                "删除不需要导入的行后再上传。",
            )
            return
        values = {h: self._value(number, h, cell) for h, cell in mapped.items() if cell is not None}
        if _is_example(self.name, values):
            self.examples.append(number)
        self.rows[number] = Row(self.name, number, values, self.errors, epoch=self.epoch)

    def _is_total(self, cells, mapped):
        first = mapped.get(SHEETS[self.name][0])
        key = (
            clean_text(first.value) if first is not None and isinstance(first.value, str) else None
        )
        if first is not None and _has_text(first.value) and not is_total_label(key):
            return False
        return any(
            isinstance(c.value, str) and "计" in c.value and is_total_label(clean_text(c.value))
            for c in cells.values()
        )

    def _value(self, number, header, cell):
        value = cell.value
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
            self.error(number, header, "不接受公式，请粘贴为数值。")
            return FORMULA
        if cell.data_type == "e" or is_error_value(value):
            self.error(
                number,
                header,
                f"单元格是 Excel 错误值“{str(value).strip()}”（公式或查找出错），"
                "请改为实际的值或留空。",
            )
            return FORMULA
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            shown = QUOTED.sub("", cell.number_format or "")
            if "%" in shown:
                return f"{Decimal(str(value)) * 100:f}%"
            if "亿" in (cell.number_format or ""):
                return f"{value}亿"
        return value

    def _merged(self, refs):
        for ref in refs:
            min_col, first, max_col, last = range_boundaries(ref)
            headers = [h for h, col in self.columns.items() if min_col <= col <= max_col]
            if first <= self.header or not headers or first not in self.rows:
                continue  # title or header area, columns not imported, or a skipped row
            row = self.rows[first]
            if not _has_text(row.values.get(headers[0])):
                continue  # an empty merged cell loses nothing
            covered = [n for n in range(first + 1, last + 1) if n in self.rows]
            if len(headers) > 1:
                joined = "”“".join(headers)
                row.error(
                    headers[0],
                    f"{_where(first, last)}的“{joined}”合并成了一个单元格，无法分别读取，"
                    "请取消合并后分别填写。",
                )
            elif covered and headers[0] in FIGURE_COLUMNS:
                row.error(
                    headers[0],
                    f"“{headers[0]}”{_where(first, last)}是一个合并单元格，无法确定每一行的数值，"
                    "请取消合并后逐行填写。",
                )
            elif covered:
                self._fill_down(headers[0], row, last, covered)

    def _fill_down(self, header, top, last, covered):
        value = top.values.get(header)
        if value is FORMULA:
            return
        filled = [self.rows[n] for n in covered if not _has_text(self.rows[n].values.get(header))]
        for row in filled:
            row.values[header] = value
        if filled:
            shown = value.isoformat()[:10] if hasattr(value, "isoformat") else value
            self.note(
                top.number,
                header,
                f"“{header}”{_where(top.number, last)}为合并单元格，各行均按其值“{shown}”读取。",
            )
