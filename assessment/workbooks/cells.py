"""Reading an import workbook cell by cell: every bad cell becomes a RowError (sheet, row, column,
reason in Chinese) instead of an exception, so the whole file is checked before anything is saved.

Amounts become Decimal via str() (Excel hands floats over), never float arithmetic.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from openpyxl import load_workbook

from assessment.workbooks.contract import NOTES_SHEET, OPTIONAL_COLUMNS, SHEETS
from projects.models import MAX_AMOUNT
from zhaoshang.web.forms import forbidden_character

CENT = Decimal("0.01")
FORMULA = object()  # a refused formula cell; its error is already recorded
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_list(self):
        return [self.sheet, self.row or "", self.column, self.message]


class Row:
    """One data row: typed getters that record an error and return None on bad input."""

    def __init__(self, sheet, number, values, errors):
        self.sheet = sheet
        self.number = number
        self.values = values
        self.errors = errors
        self.error_count = 0

    @property
    def ok(self):
        return self.error_count == 0

    def error(self, column, message):
        self.error_count += 1
        self.errors.append(RowError(self.sheet, self.number, column, message))

    def raw(self, column):
        value = self.values.get(column)
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                return None
        return value

    def _present(self, column, required):
        value = self.raw(column)
        if value is FORMULA:
            self.error_count += 1  # already reported by the reader
            return None
        if value is None and required:
            self.error(column, "必填项不能为空。")
        return value

    def text(self, column, required=True, max_length=200):
        value = self._present(column, required)
        if value is None:
            return None if required else ""
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.isoformat()[:10]
        value = str(value).strip()
        if isinstance(self.values.get(column), float) and value.endswith(".0"):
            value = value[:-2]
        if len(value) > max_length:
            self.error(column, f"内容过长（{len(value)} 个字），不能超过 {max_length} 个字。")
            return None
        bad = forbidden_character(value)
        if bad is not None:
            self.error(
                column, f"不能包含控制字符或不可见的文字方向控制符（U+{ord(bad):04X}），请删除。"
            )
            return None
        return value

    def decimal(self, column, required=True, maximum=MAX_AMOUNT, what="金额"):
        value = self._present(column, required)
        if value is None:
            return None
        if isinstance(value, bool):
            self.error(column, f"{what}应为数值。")
            return None
        try:
            number = Decimal(str(value).replace(",", "").replace("，", ""))
        except InvalidOperation:
            self.error(column, f"“{value}”不是有效的数值。")
            return None
        if not number.is_finite():
            self.error(column, f"“{value}”不是有效的数值。")
            return None
        rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
        # Excel's binary floats may carry noise past the cents; anything more is a real fraction.
        if abs(rounded - number) > Decimal("0.000001"):
            self.error(column, f"{what}最多保留两位小数（{value}）。")
            return None
        if rounded < 0:
            self.error(column, f"{what}不能为负数（{value}）。")
            return None
        if rounded > maximum:
            self.error(column, f"{what}超过 1 亿万元（10⁸ 万元），请核对单位是否为万元。")
            return None
        return rounded

    def amount(self, column, required=True):
        return self.decimal(column, required=required, what="金额")

    def date(self, column, required=False):
        value = self._present(column, required)
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        elif isinstance(value, str) and ISO_DATE.match(value):
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                self.error(column, f"日期无效：{value} 不存在。")
                return None
        else:
            self.error(column, f"日期格式应为 YYYY-MM-DD（如 2026-03-15），而不是“{value}”。")
            return None
        if day > timezone.localdate():
            self.error(column, f"日期 {day.isoformat()} 晚于今天，不能填报未来的日期。")
            return None
        return day

    def month(self, column):
        value = self._present(column, True)
        if value is None:
            return None
        if isinstance(value, datetime.datetime | datetime.date):
            day = datetime.date(value.year, value.month, 1)
        else:
            match = ISO_MONTH.match(str(value))
            if not match or not 1 <= int(match.group(2)) <= 12:
                self.error(column, f"月份格式应为 YYYY-MM（如 2026-03），而不是“{value}”。")
                return None
            day = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        if day > timezone.localdate():
            self.error(column, f"月份 {day:%Y-%m} 晚于本月，不能填报未来的月份。")
            return None
        return day

    def year(self, column):
        value = self._present(column, True)
        if value is None:
            return None
        text = str(value)
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit() or not 2000 <= int(text) <= 2100:
            self.error(column, f"年度应为四位数字年份（如 2026），而不是“{value}”。")
            return None
        return int(text)

    def choice(self, column, mapping, required=True, what="值"):
        """A Chinese label (or the stored code) → stored value."""
        value = self._present(column, required)
        if value is None:
            return None if required else ""
        text = str(value).strip()
        if text in mapping:
            return mapping[text]
        if text in mapping.values():
            return text
        self.error(column, f"无法识别的{what}“{text}”，应为：{'、'.join(mapping)}。")
        return None


def _header_map(sheet, header_cells, errors):
    """Header text → column index; missing headers are errors on row 1."""
    positions = {}
    for index, value in enumerate(header_cells):
        if isinstance(value, str) and value.strip():
            positions.setdefault(value.strip(), index)
    missing = [h for h in SHEETS[sheet] if h not in positions]
    for header in missing:
        errors.append(RowError(sheet, 1, header, f"缺少表头“{header}”（表头须与模板一致）。"))
    wanted = SHEETS[sheet] + OPTIONAL_COLUMNS.get(sheet, [])
    return {h: positions[h] for h in wanted if h in positions}, not missing


def read_workbook(fileobj, errors):
    """Stream every known sheet (openpyxl read-only mode) → {sheet: [Row, …]} in SPEC order.

    Unknown sheet names are reported (a misspelt 项目 would otherwise be silently skipped);
    formula cells are refused where they stand.
    """
    wb = load_workbook(fileobj, read_only=True, data_only=False)
    try:
        sheets = {}
        for ws in wb.worksheets:
            title = ws.title.strip()
            if title == NOTES_SHEET:
                continue
            if title not in SHEETS:
                errors.append(
                    RowError(
                        title,
                        None,
                        "",
                        f"无法识别的工作表“{title}”，工作表名称应为：{'、'.join(SHEETS)}。",
                    )
                )
                continue
            sheets[title] = _read_sheet(title, ws, errors)
        if not sheets and not errors:
            errors.append(
                RowError("", None, "", f"工作簿中没有可导入的工作表，应包含：{'、'.join(SHEETS)}。")
            )
        return {name: sheets[name] for name in SHEETS if name in sheets}
    finally:
        wb.close()


def _read_sheet(title, ws, errors):
    rows = []
    # Some writers record a wrong sheet size; read what is really there.
    ws.reset_dimensions()
    iterator = ws.iter_rows()
    header = next(iterator, None)
    if header is None:
        errors.append(RowError(title, 1, "", "工作表是空的，缺少表头。"))
        return rows
    columns, complete = _header_map(title, [c.value for c in header], errors)
    if not complete:
        return rows
    for number, cells in enumerate(iterator, start=2):
        if not cells:
            continue
        values = {}
        for header_text, index in columns.items():
            if index >= len(cells):
                continue
            cell = cells[index]
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str) and value.startswith("=")
            ):
                errors.append(RowError(title, number, header_text, "不接受公式，请粘贴为数值。"))
                value = FORMULA
            values[header_text] = value
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        rows.append(Row(title, number, values, errors))
    return rows
