"""What offices type into cells, read as a clerk means it (issue #16 item 8): the pure rules the
import reader (`reader.py`) and the typed getters (`cells.Row`) apply. Each parser returns the
value or raises `BadValue` with a reason in Chinese; none of them touches the database.

Decisions:
- Text is cleaned, not refused, of what nobody can see or delete: Excel's `_xHHHH_` escapes are
  decoded (so `_x000D_` is the line break it stands for and `_x0007_` becomes the control
  character the text guard then refuses where it stands), zero-width spaces, joiners, byte-order
  marks and soft hyphens are dropped, and line breaks become "\\n". Bidi controls and other
  control characters stay refused (`zhaoshang.web.forms.forbidden_character`).
- Headers, labels, digits and units are compared folded (NFKC, no spaces, no required-mark `*`),
  so （万元） is (万元), ２０２５ is 2025 and ％ is %. Names are stored as typed.
- Dates: ISO `2025-03-05` and Excel dates, and the forms offices type: 2025/3/5, 2025.3.5,
  2025年3月5日, 20250305, an Excel serial number typed into a text cell (years 2000–2099 only,
  so a count or an amount in the wrong column is not read as a date). Day-first or month-first
  forms (05/03/2025) stay refused: they are ambiguous.
- Months: 2025-03, 2025/3, 2025.3 (as text), 2025年3月, 202503, or any date of that month. A number
  2025.1 is refused: Excel has turned 2025.10 into it.
- Amounts in 万元: 1200万元 / 1200万 are 1200, 1.2亿元 / 1.2亿 are 12000; 元 alone is refused (the
  clerk converts, the import does not round yuan). A percentage (60%) is read only where a share
  is asked for.
- 合计/小计/总计 rows (also 东湖区小计, 合 计) are recognised by a cell whose whole text is such a
  label; the reader skips them with a note.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Invisible characters a clerk cannot see to delete: zero-width space/joiners, word joiner,
# byte-order mark, soft hyphen, Mongolian vowel separator, left-to-right/right-to-left marks.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"))
# Excel's error values (openpyxl's list and the newer dynamic-array ones).
ERROR_VALUES = frozenset(
    ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!",
     "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA"]
)  # fmt: skip
TOTAL_LABEL = re.compile(r"^.{0,20}?(合计|小计|总计)(\(.{0,20}\))?[:：]?$")

YMD = re.compile(r"^([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})$")
YMD_CHINESE = re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?$")
YMD_COMPACT = re.compile(r"^((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})$")
TIME_SUFFIX = re.compile(r"^(.+?)(?:(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)$")
SERIAL = re.compile(r"^[0-9]{5}(\.[0-9]+)?$")
YM = re.compile(r"^([0-9]{4})([-/.])([0-9]{1,2})$")
YM_CHINESE = re.compile(r"^([0-9]{4})年([0-9]{1,2})月(份)?$")
YM_COMPACT = re.compile(r"^((?:19|20)[0-9]{2})([0-9]{2})$")
# Excel serials of 2000-01-01 and 2099-12-31.
SERIAL_RANGE = (36526, 73050)
UNITS = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1)}
DATE_FORMS = "YYYY-MM-DD（如 2026-03-15，也可写作 2026/3/15、2026.3.15 或 2026年3月15日）"
MONTH_FORMS = "YYYY-MM（如 2026-03，也可写作 2026/3 或 2026年3月）"


class BadValue(Exception):
    """A cell that cannot be read; `message` tells the clerk why, in Chinese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _unescape(match):
    return chr(int(match.group(1), 16))


def clean_text(value):
    """A text cell as the clerk sees it: `_xHHHH_` escapes decoded, invisible characters dropped,
    line breaks as "\\n", surrounding spaces (full-width and no-break ones too) stripped."""
    if "_x" in value:
        value = ESCAPE.sub(_unescape, value)
    value = value.translate(INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


def fold(value):
    """The comparable form of a header, label, digit string or unit: NFKC (full-width → half-width,
    （ → (, ％ → %), no whitespace, no required-field mark `*`."""
    text = unicodedata.normalize("NFKC", str(value)).replace("。", ".")
    return "".join(text.split()).strip("*")


def is_error_value(value):
    return isinstance(value, str) and value.strip().upper() in ERROR_VALUES


def is_total_label(value):
    """A cell whose whole text says its row is a total: 合计, 小计, 总计, 东湖区小计, 合 计…"""
    return isinstance(value, str) and len(value) <= 40 and bool(TOTAL_LABEL.match(fold(value)))


def _day(year, month, day, shown):
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise BadValue(f"日期无效：{shown} 不存在。") from exc


def _serial(number, epoch, shown):
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise BadValue(f"日期格式应为 {DATE_FORMS}，而不是“{shown}”。")
    return from_excel(number, epoch).date()


def parse_date(value, epoch=WINDOWS_EPOCH):
    """A date cell (Excel date, serial number or text in one of the office forms) → date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise BadValue(f"日期格式应为 {DATE_FORMS}，而不是“{value}”。")
    if isinstance(value, int | float):
        if isinstance(value, int) and YMD_COMPACT.match(str(value)):
            return parse_date(str(value))
        return _serial(value, epoch, value)
    shown = str(value).strip()
    timed = TIME_SUFFIX.match(unicodedata.normalize("NFKC", shown))
    text = fold(timed.group(1) if timed else value)
    for pattern, groups in ((YMD, (1, 3, 4)), (YMD_CHINESE, (1, 2, 3)), (YMD_COMPACT, (1, 2, 3))):
        match = pattern.match(text)
        if match:
            year, month, day = (match.group(i) for i in groups)
            return _day(year, month, day, f"{int(year):04d}-{int(month):02d}-{int(day):02d}")
    if SERIAL.match(text):
        return _serial(float(text), epoch, shown)
    raise BadValue(f"日期格式应为 {DATE_FORMS}，而不是“{shown}”。")


def parse_month(value, epoch=WINDOWS_EPOCH):
    """A month cell → the first day of that month."""
    shown = str(value).strip()
    if isinstance(value, float) and not value.is_integer():
        raise BadValue(
            f"月份“{shown}”是数字，无法区分 1 月和 10 月，请填写为 {MONTH_FORMS}（设为文本格式）。"
        )
    if isinstance(value, str | int) and not isinstance(value, bool):
        text = fold(value)
        for pattern in (YM, YM_CHINESE, YM_COMPACT):
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                month = int(match.group(3) if pattern is YM else match.group(2))
                if not 1 <= month <= 12:
                    raise BadValue(f"月份无效：{year}年{month}月不存在。")
                return datetime.date(year, month, 1)
    try:
        day = parse_date(value, epoch)
    except BadValue as exc:
        raise BadValue(f"月份格式应为 {MONTH_FORMS}，而不是“{shown}”。") from exc
    return day.replace(day=1)


def parse_number(value, what="金额", percent=False):
    """A figure cell → Decimal (not yet rounded or bounded). Text may carry 万元/万/亿元/亿 (amounts
    in 万元) or, where `percent`, a trailing %; thousands separators and spaces are ignored."""
    if isinstance(value, bool | datetime.date):
        raise BadValue(f"{what}应为数值。")
    shown = str(value).strip()
    if isinstance(value, int | float | Decimal):
        text, factor = str(value), Decimal(1)
    else:
        text = fold(value).replace(",", "")
        factor = Decimal(1)
        if percent and text.endswith("%"):
            text = text[:-1]
        elif not percent:
            for suffix, multiplier in UNITS.items():
                if text.endswith(suffix):
                    text, factor = text[: -len(suffix)], multiplier
                    break
            else:
                if text.endswith("元"):
                    raise BadValue(f"金额单位应为万元，请把“{shown}”换算为万元后填写（不带“元”）。")
                if text.endswith("%"):
                    raise BadValue(f"{what}不能是百分数（“{shown}”）。")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise BadValue(f"“{shown}”不是有效的数值。") from exc
    if not number.is_finite():
        raise BadValue(f"“{shown}”不是有效的数值。")
    return number * factor
