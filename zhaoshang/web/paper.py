"""How every workbook the app writes prints (issue 22): the one rule for paper.

- A4 landscape, fitted to one page wide (as many pages tall as it takes), centred;
- a title row (what, the filters applied, the date it was made) above the header row, and the
  header row(s) repeated on every printed page;
- thin borders on every cell of the table;
- column widths from the content, a CJK character counting double (`text_width`), within
  `MIN_WIDTH`..`MAX_WIDTH`;
- page numbers in the footer: 第 &P 页 共 &N 页.

Both the list exports (`zhaoshang.web.xlsx.write_rows_streaming`) and the ranking workbook
(`assessment.workbooks.ranking`) are written with xlsxwriter in constant-memory mode; page
setup, footer and column widths are worksheet settings written when the workbook closes, so
they may be set after the rows have streamed.
"""

from django.utils import timezone

A4 = 9
FOOTER = "&C第 &P 页 共 &N 页"
MIN_WIDTH = 8
MAX_WIDTH = 50
BORDER = {"border": 1, "border_color": "#999999"}


def text_width(value):
    """Display width of `value` as Excel counts columns: a CJK (or full-width) character is two."""
    if value is None:
        return 0
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


class ColumnWidths:
    """The widest cell seen per column, as rows stream; `apply(ws)` sets the widths."""

    def __init__(self, minimum=MIN_WIDTH, maximum=MAX_WIDTH):
        self.minimum, self.maximum = minimum, maximum
        self.widths = {}

    def see(self, col, value, extra=0):
        width = text_width(value if not hasattr(value, "quantize") else f"{value:,.2f}") + extra
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def see_row(self, values):
        for col, value in enumerate(values):
            self.see(col, value)

    def width(self, col):
        return max(self.minimum, min(self.maximum, self.widths.get(col, 0) + 2))

    def apply(self, ws):
        for col in sorted(self.widths):
            ws.set_column(col, col, self.width(col))


def made_on(day=None):
    day = day or timezone.localdate()
    return f"{day.year}年{day.month}月{day.day}日"


def title_line(title, filters="", day=None):
    """「项目列表（筛选：阶段：在建）　导出日期：2026年12月2日」."""
    what = f"{title}（筛选：{filters}）" if filters else f"{title}（全部）"
    return f"{what}　导出日期：{made_on(day)}"


def print_setup(ws, header_rows, last_col=None, landscape=True):
    """A4, fit to one page wide, header rows `header_rows` = (first, last) 0-based repeated on
    every page, page numbers in the footer."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(*header_rows)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    ws.set_footer(FOOTER)
