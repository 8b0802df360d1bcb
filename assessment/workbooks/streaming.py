"""A styled workbook written in xlsxwriter's constant-memory mode (the ranking workbook).

Constant-memory mode writes a row to disk as soon as a later row is touched, so cells must be
written row by row, left to right within a row being free. Two consequences shape this module:
- `merge()` records a merged range without writing its cells: xlsxwriter's `merge_range()`
  pads the whole range with blanks, which for a range over two rows moves past the first row
  before the caller has finished it (its remaining cells would be dropped). The caller writes
  every cell of the range itself, the first one holding the value.
- styles are xlsxwriter formats, made once per distinct set of properties (`style`).

Text follows the rule of zhaoshang.web.xlsx: formula-looking text is a string cell with Excel's
quote prefix; xlsxwriter never turns text into a formula, number or link here.
"""

import datetime
from decimal import Decimal

import xlsxwriter

from zhaoshang.web.xlsx import needs_escape, plain_value, sheet_title

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def merge(ws, first_row, first_col, last_row, last_col):
    """Record the merged range (0-based, inclusive) on `ws`; see the module docstring. The
    range list is xlsxwriter's own (`Worksheet.merge`, written when the workbook closes)."""
    ws.merge.append([first_row, first_col, last_row, last_col])


class StreamingSheet:
    def __init__(self, book, ws):
        self.book, self.ws = book, ws

    def write(self, row, col, value, style=None):
        """Write one cell by its type: None a (styled) blank, numbers as numbers, dates as
        dates, anything else as text."""
        props = dict(style or {})
        ws = self.ws
        if value is None or value == "":  # openpyxl, before, stored "" as an empty cell
            if props:
                ws.write_blank(row, col, None, self.book.style(props))
            return
        if isinstance(value, bool):
            value = "是" if value else "否"
        if isinstance(value, int | Decimal | float):
            ws.write_number(row, col, value, self.book.style(props))
        elif isinstance(value, datetime.date):
            ws.write_datetime(row, col, plain_value(value), self.book.style(props))
        else:
            text = str(value)
            if needs_escape(text):
                props["quote_prefix"] = True
            ws.write_string(row, col, text, self.book.style(props))


class StreamingBook:
    """`with StreamingBook(path_or_file) as book:` … `book.add_sheet(name)`; closed on exit."""

    def __init__(self, path_or_file):
        self.workbook = xlsxwriter.Workbook(path_or_file, OPTIONS)
        self._styles = {}

    def style(self, props):
        if not props:
            return None
        key = tuple(sorted(props.items()))
        if key not in self._styles:
            self._styles[key] = self.workbook.add_format(dict(props))
        return self._styles[key]

    def add_sheet(self, name):
        return StreamingSheet(self, self.workbook.add_worksheet(sheet_title(name)))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.workbook.close()
        return False
