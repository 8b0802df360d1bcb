"""Safe .xlsx in and out (SPEC §6, §7).

Out: text that Excel or WPS would run as a formula (it begins with =, +, -, @, a tab or a carriage
return) is written as a text cell with Excel's quote prefix, so it shows as typed and never runs.
Lists stream through openpyxl's write-only mode into a temporary file, so memory stays constant
however many rows are exported.

In: an upload is refused with a clear Chinese message unless it is a real .xlsx (a zip holding a
workbook) within `WORKBOOK_MAX_BYTES`, and its zip directory does not promise a zip bomb.
"""

import datetime
import tempfile
import zipfile
from decimal import Decimal

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

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
    """Put `value` into `cell`; formula-looking text stays text (string type, quote prefix)."""
    if needs_escape(value):
        cell.value = value
        # openpyxl turns a str beginning with "=" into a formula; force it back to text.
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value
    return cell


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


def header_cell(ws, text):
    cell = WriteOnlyCell(ws, value=text)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = CENTER
    return cell


def column_width(header):
    """A width that fits a Chinese header (two columns per CJK character)."""
    width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(header))
    return max(10, min(40, width + 4))


class _RowCells:
    """Turns a row of values into what a write-only sheet appends: plain str/int/None as they are
    (openpyxl writes them without a cell object), a styled cell only for amounts, dates and
    formula-looking text. Write-only rows are serialised as they are appended, so one cell object
    per (column, format) is reused for every row."""

    def __init__(self, ws):
        self.ws = ws
        self.cells = {}

    def _cell(self, index, number_format):
        cell = self.cells.get((index, number_format))
        if cell is None:
            cell = WriteOnlyCell(self.ws)
            if number_format is None:
                cell.quotePrefix = True
            else:
                cell.number_format = number_format
            self.cells[(index, number_format)] = cell
        return cell

    def _text(self, index, value):
        if not value.startswith(FORMULA_TRIGGERS):
            return value
        cell = self._cell(index, None)
        cell.value = value
        cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
        return cell

    def _typed(self, index, value, number_format):
        cell = self._cell(index, number_format)
        cell.value = value
        return cell

    def convert(self, row):
        out = []
        for index, value in enumerate(row):
            if value is None or type(value) is int:
                out.append(value)
            elif isinstance(value, str):
                out.append(self._text(index, value))
            elif isinstance(value, bool):
                out.append("是" if value else "否")
            elif isinstance(value, int):
                out.append(int(value))
            elif isinstance(value, Decimal | float):
                out.append(self._typed(index, value, AMOUNT_FORMAT))
            elif isinstance(value, datetime.datetime):
                out.append(self._typed(index, plain_value(value), DATETIME_FORMAT))
            elif isinstance(value, datetime.date):
                out.append(self._typed(index, value, DATE_FORMAT))
            else:
                out.append(self._text(index, str(value)))
        return out


def write_rows_streaming(sheet_title, headers, rows, fileobj):
    """Write one sheet (bold header, frozen top row) in write-only mode into `fileobj`."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31] or "Sheet1")
    ws.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width(header)
    ws.append([header_cell(ws, header) for header in headers])
    cells = _RowCells(ws)
    for row in rows:
        ws.append(cells.convert(row))
    wb.save(fileobj)


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
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
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
