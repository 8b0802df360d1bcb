r"""Safe .xlsx in and out (SPEC §6, §7).

Out: one rule for every string the app writes into any workbook — titles, headers and data alike,
through openpyxl (`set_text`, `write_cell`) or xlsxwriter (`write_rows_streaming`): text that Excel
or WPS would run as a formula (it begins with =, +, -, @, a tab or a carriage return) is written as
a text cell with Excel's quote prefix, so it shows as typed and never runs. The app writes no
formula of its own. Sheet names go through `sheet_title` (Excel refuses []:*?/\, a leading or
trailing apostrophe and more than 31 characters). Lists stream through xlsxwriter's
constant-memory mode into a temporary file, so memory stays constant however many rows are
exported.

In: an upload is refused with a clear Chinese message unless it is a real .xlsx (a zip holding a
workbook) within `WORKBOOK_MAX_BYTES`, and its zip directory does not promise a zip bomb; an old
.xls and a password-protected (encrypted) .xlsx are each named as such.
"""

import datetime
import re
import tempfile
import zipfile
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from zhaoshang.web import paper

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31  # UTF-16 code units, as Excel counts them

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .xls, or an encrypted (password-protected) .xlsx
ENCRYPTED_STREAMS = tuple(
    name.encode("utf-16-le") for name in ("EncryptionInfo", "EncryptedPackage")
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DEFAULT_MAX_RATIO = 100
# Small parts (styles, shared strings of a template) compress extremely well and are harmless.
RATIO_CHECK_MIN_BYTES = 1024 * 1024

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class WorkbookRejected(Exception):
    """An upload that must not be opened; `message` is shown to the user as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def max_upload_bytes():
    return getattr(settings, "WORKBOOK_MAX_BYTES", DEFAULT_MAX_BYTES)


def needs_escape(value):
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def set_text(cell, value):
    """Put `value` into an openpyxl `cell`; formula-looking text stays text (string type, quote
    prefix). Every value the app writes with openpyxl goes through here (or `write_cell`)."""
    if needs_escape(value):
        cell.value = value
        # openpyxl turns a str beginning with "=" into a formula; force it back to text.
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def write_cell(ws, row, column, value):
    """`ws.cell(row, column)` holding `value` by the rule of `set_text`; returns the cell."""
    return set_text(ws.cell(row=row, column=column), value)


def _utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


def sheet_title(name, default="Sheet1"):
    r"""A sheet name Excel, WPS, openpyxl and xlsxwriter all accept, made from any text: the
    characters []:*?/\ become "_", apostrophes at either end are dropped, and the name is cut to
    31 UTF-16 code units (Excel's count); an empty result gives `default`."""
    title = SHEET_TITLE_FORBIDDEN.sub("_", str(name)).strip()
    while _utf16_len(title) > SHEET_TITLE_MAX:
        title = title[:-1]
    title = title.strip().strip("'").strip()
    return title or default


def plain_value(value):
    """A value openpyxl can store: Decimal/int/date stay typed, aware datetimes become local."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, int | Decimal | float | datetime.date | str):
        return value
    return str(value)


def column_width(header):
    """A width that fits a Chinese header (two columns per CJK character)."""
    width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(header))
    return max(10, min(40, width + 4))


class _StreamingSheet:
    """One worksheet of xlsxwriter's constant-memory mode: each row is written to disk as it
    comes, so memory stays flat however many rows there are. Row 1 is the title (what, filters,
    date), row 2 the header, repeated on every printed page (`zhaoshang.web.paper`: the one
    rule for paper). Cells are written by type — a number or date typed (with its number format,
    so Excel can sum and sort it), a bool as 是/否, anything else as text; xlsxwriter never turns
    text into a formula here (`strings_to_formulas` is off), and formula-looking text also gets
    Excel's quote prefix so editing the cell keeps it text. Every cell has a thin border."""

    HEADER_ROW = 1

    def __init__(self, workbook, title, headers, subtitle=""):
        self.ws = workbook.add_worksheet(title)
        border = paper.BORDER
        self.text = workbook.add_format(border)
        self.amount = workbook.add_format(border | {"num_format": AMOUNT_FORMAT})
        self.date = workbook.add_format(border | {"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format(border | {"num_format": DATETIME_FORMAT})
        self.quoted = workbook.add_format(border | {"quote_prefix": True})
        header = border | {
            "bold": True,
            "bg_color": "#DCE6F1",
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
        plain_header = workbook.add_format(header)
        quoted_header = workbook.add_format(header | {"quote_prefix": True})
        self.widths = paper.ColumnWidths()
        self.width = max(len(headers), 1)
        heading = paper.title_line(title, subtitle)
        title_props = {"bold": True, "font_size": 14, "valign": "vcenter"}
        if needs_escape(heading):
            title_props["quote_prefix"] = True
        self.ws.set_row(0, 24)
        self.ws.write_string(0, 0, heading, workbook.add_format(title_props))
        if self.width > 1:
            self.ws.merge.append([0, 0, 0, self.width - 1])
        self.ws.freeze_panes(self.HEADER_ROW + 1, 0)
        for index, text in enumerate(map(str, headers)):
            self.widths.see(index, text, extra=2)
            style = quoted_header if needs_escape(text) else plain_header
            self.ws.write_string(self.HEADER_ROW, index, text, style)
        self.next_row = self.HEADER_ROW + 1

    def append(self, row):
        ws, r = self.ws, self.next_row
        self.next_row += 1
        see = self.widths.see
        for c, value in enumerate(row):
            kind = type(value)
            if value is None:
                ws.write_blank(r, c, None, self.text)
                continue
            if kind is str:
                see(c, value)
                if value.startswith(FORMULA_TRIGGERS):
                    ws.write_string(r, c, value, self.quoted)
                else:
                    ws.write_string(r, c, value, self.text)
            elif kind is Decimal or kind is float:
                see(c, value)
                ws.write_number(r, c, value, self.amount)
            elif kind is int:
                see(c, value)
                ws.write_number(r, c, value, self.text)
            elif kind is bool:
                ws.write_string(r, c, "是" if value else "否", self.text)
            elif kind is datetime.date:
                see(c, "0000-00-00")
                ws.write_datetime(r, c, value, self.date)
            elif kind is datetime.datetime:
                see(c, "0000-00-00 00:00")
                ws.write_datetime(r, c, plain_value(value), self.datetime)
            else:
                self.append_other(r, c, value)

    def append_other(self, r, c, value):
        """Subclasses of the plain types (a SafeString, an IntEnum) and anything else."""
        if isinstance(value, bool):
            self.ws.write_string(r, c, "是" if value else "否", self.text)
        elif isinstance(value, int | Decimal | float):
            self.widths.see(c, value)
            fmt = self.text if isinstance(value, int) else self.amount
            self.ws.write_number(r, c, value, fmt)
        elif isinstance(value, datetime.datetime):
            self.ws.write_datetime(r, c, plain_value(value), self.datetime)
        elif isinstance(value, datetime.date):
            self.ws.write_datetime(r, c, value, self.date)
        else:
            text = str(value)
            self.widths.see(c, text)
            self.ws.write_string(r, c, text, self.quoted if needs_escape(text) else self.text)

    def finish(self):
        """Widths from the content and the page setup: settings xlsxwriter writes on close."""
        for col in range(self.width):
            self.ws.set_column(col, col, self.widths.width(col))
        paper.print_setup(self.ws, (self.HEADER_ROW, self.HEADER_ROW))


def write_rows_streaming(title, headers, rows, fileobj, subtitle=""):
    """Write one sheet (title row, bold header repeated on every page, frozen panes, A4
    landscape fitted to width, page numbers) into `fileobj`, streaming row by row. `subtitle`
    names the filters applied ("" = the whole list).

    xlsxwriter's constant-memory writer, not openpyxl's write-only mode: the same flat memory,
    about three times faster (`make bench`, docs/benchmarks.md). openpyxl still reads workbooks."""
    workbook = xlsxwriter.Workbook(
        fileobj,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = _StreamingSheet(workbook, sheet_title(title), headers, subtitle)
    for row in rows:
        sheet.append(row)
    sheet.finish()
    workbook.close()


def xlsx_file_response(write, filename):
    """Call `write(fileobj)` into a temporary file and stream it back as an attachment.

    The filename may be Chinese; Django emits RFC 5987 `filename*=utf-8''…` for it.
    """
    # FileResponse closes the file once it has been sent.
    tmp = tempfile.TemporaryFile()  # noqa: SIM115
    write(tmp)
    tmp.seek(0)
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _size_of(fileobj):
    size = getattr(fileobj, "size", None)
    if size is not None:
        return size
    position = fileobj.tell()
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(position)
    return size


def check_upload(fileobj):
    """Refuse (raise WorkbookRejected) anything but a real, reasonably sized .xlsx.

    Checks size, the zip signature, the zip directory (sum of uncompressed sizes and compression
    ratio against zip bombs; zipfile never inflates a member past its declared size) and finally
    that openpyxl opens it as a workbook. Leaves the file positioned at its start.
    """
    limit = max_upload_bytes()
    size = _size_of(fileobj)
    if size == 0:
        raise WorkbookRejected("上传的文件是空的。")
    if size > limit:
        raise WorkbookRejected(
            f"文件过大（{size / 1048576:.1f} MB），上传的工作簿不能超过 {limit / 1048576:.0f} MB。"
        )
    fileobj.seek(0)
    magic = fileobj.read(8)
    fileobj.seek(0)
    if magic.startswith(OLE_MAGIC):
        if _is_encrypted(fileobj):
            raise WorkbookRejected(
                "文件设有打开密码（已加密），系统无法读取。请在 Excel 或 WPS 中打开它，取消密码"
                "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码并保存）后再上传。"
            )
        raise WorkbookRejected(
            "这是旧版 .xls 文件，请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再上传。"
        )
    if not magic.startswith(b"PK\x03\x04"):
        raise WorkbookRejected("文件不是 Excel 工作簿（.xlsx），请上传 .xlsx 格式的文件。")
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRejected("文件已损坏或不是 Excel 工作簿（.xlsx）。") from exc
    finally:
        fileobj.seek(0)
    _check_zip_directory(members)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise WorkbookRejected("压缩包中没有 Excel 工作簿，请上传 .xlsx 格式的文件。")
    try:
        wb = load_workbook(fileobj, read_only=True)
        wb.close()
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise WorkbookRejected(
            "文件无法作为 Excel 工作簿打开，请用 Excel 或 WPS 重新保存后上传。"
        ) from exc
    finally:
        fileobj.seek(0)


def _is_encrypted(fileobj):
    """An .xlsx with an open password is an OLE compound file, like an old .xls, holding the
    streams EncryptionInfo and EncryptedPackage (MS-OFFCRYPTO); their names are stored in UTF-16
    in the file's directory, which a byte search finds without an OLE reader."""
    try:
        content = fileobj.read()
    finally:
        fileobj.seek(0)
    return all(name in content for name in ENCRYPTED_STREAMS)


def _check_zip_directory(members):
    max_total = getattr(settings, "WORKBOOK_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    max_ratio = getattr(settings, "WORKBOOK_MAX_RATIO", DEFAULT_MAX_RATIO)
    bomb = WorkbookRejected("文件解压后异常巨大（疑似“压缩炸弹”），已拒绝处理。")
    total = 0
    for member in members:
        total += member.file_size
        if total > max_total:
            raise bomb
        if member.file_size > RATIO_CHECK_MIN_BYTES and (
            member.file_size > max_ratio * max(member.compress_size, 1)
        ):
            raise bomb
