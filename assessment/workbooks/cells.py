"""Reading an import workbook cell by cell: every bad cell becomes a RowError (sheet, row, column,
reason in Chinese) instead of an exception, so the whole file is checked before anything is saved.

Amounts become Decimal via str() (Excel hands floats over), never float arithmetic. What a cell
may say and how it is read (dates, months, 万元/亿元, shares as 60 or 60%) is `values.py`; the
workbook and its sheets are read by `reader.py`.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from openpyxl.utils.datetime import WINDOWS_EPOCH

from assessment.workbooks.values import BadValue, fold, parse_date, parse_month, parse_number
from projects.models import MAX_AMOUNT
from projects.models.fields import too_large_message
from zhaoshang.web.forms import forbidden_character

CENT = Decimal("0.01")
FORMULA = object()  # a refused formula or error cell; its error is already recorded
YEAR = re.compile(r"^([0-9]{4})(\.0)?(年度?)?$")


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

    def __init__(self, sheet, number, values, errors, epoch=WINDOWS_EPOCH):
        self.sheet = sheet
        self.number = number
        self.values = values
        self.errors = errors
        self.epoch = epoch  # the workbook's date system (1900, or 1904 from old Macs)
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

    def decimal(self, column, required=True, maximum=MAX_AMOUNT, what="金额", percent=False):
        """A figure: a number, or text such as 1,200、1200万元、1.2亿元 (amounts in 万元), or
        where `percent` 60 or 60% (both 60)."""
        value = self._present(column, required)
        if value is None:
            return None
        try:
            number = parse_number(value, what=what, percent=percent)
        except BadValue as exc:
            self.error(column, exc.message)
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
            if maximum == MAX_AMOUNT:
                message = too_large_message(what)
            else:
                message = f"{what}不能超过 {maximum.normalize():f}（{value}）。"
            self.error(column, message)
            return None
        return rounded

    def amount(self, column, required=True):
        return self.decimal(column, required=required, what="金额")

    def date(self, column, required=False):
        value = self._present(column, required)
        if value is None:
            return None
        try:
            day = parse_date(value, self.epoch)
        except BadValue as exc:
            self.error(column, exc.message)
            return None
        if day > timezone.localdate():
            self.error(column, f"日期 {day.isoformat()} 晚于今天，不能填报未来的日期。")
            return None
        return day

    def month(self, column):
        value = self._present(column, True)
        if value is None:
            return None
        try:
            day = parse_month(value, self.epoch)
        except BadValue as exc:
            self.error(column, exc.message)
            return None
        if day > timezone.localdate():
            self.error(column, f"月份 {day:%Y-%m} 晚于本月，不能填报未来的月份。")
            return None
        return day

    def year(self, column):
        value = self._present(column, True)
        if value is None:
            return None
        match = YEAR.match(fold(value)) if not isinstance(value, bool) else None
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            self.error(column, f"年度应为四位数字年份（如 2026），而不是“{value}”。")
            return None
        return int(match.group(1))

    def choice(self, column, mapping, required=True, what="值"):
        """A Chinese label (or the stored code) → stored value; full-width and half-width
        brackets and spaces do not matter (产业类(工业创税型) is 产业类（工业创税型）)."""
        value = self._present(column, required)
        if value is None:
            return None if required else ""
        text = str(value).strip()
        if text in mapping:
            return mapping[text]
        if text in mapping.values():
            return text
        folded = {fold(label): stored for label, stored in mapping.items()}
        if fold(text) in folded:
            return folded[fold(text)]
        self.error(column, f"无法识别的{what}“{text}”，应为：{'、'.join(mapping)}。")
        return None
