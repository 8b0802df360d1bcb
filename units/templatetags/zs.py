"""The one number format (issue 22): amounts stored in 万元 (Decimal), counts, percentages.

- An amount reads in 万元 with thousands separators and two places: `wan` (with the unit word) in
  prose and detail pages, `wan_plain` (without it) in table columns headed 万元. A column never
  mixes 万元 and 亿元, so the old switch to 亿元 above 1 亿 is gone.
- 亿元 only for a headline figure given whole in 亿元 (`yi`: dashboard cards, the structure
  page's total), and for an indicator whose display unit is 亿元 (`assessment.formatting.figure`,
  the same unit in every row of its column).
- An empty amount reads —. An amount that is zero because nothing was reported (a 洽谈
  project's contract, a project without a fixed-asset return) also reads — where the caller
  says so (`wan:"—"`): "0.00 万元" would read as a reported zero.
- A count reads as an integer when whole ("24", never "24.00"); a fractional share (a
  collaboration project counted 0.4 to each unit) with two places ("0.40").
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

YI = Decimal(10000)
DASH = "—"


def _quantize(value, places=2):
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _as_decimal(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() else None


def _grouped(amount):
    """Two places with thousands separators; never "-0.00"."""
    text = f"{_quantize(amount):,}"
    return "0.00" if text == "-0.00" else text


@register.filter
def wan_plain(value, zero=None):
    """'1,234.50' (a column headed 万元); None → —; zero → `zero` when given (—)."""
    amount = _as_decimal(value)
    if amount is None:
        return DASH
    if zero is not None and amount == 0:
        return zero
    return _grouped(amount)


@register.filter
def wan(value, zero=None):
    """'1,234.50 万元', however large; None → —; zero → `zero` when given (—)."""
    text = wan_plain(value, zero)
    if text == DASH or (zero is not None and text == zero):
        return text
    return f"{text} 万元"


@register.filter
def yi_plain(value):
    """万元 → 亿元 figure without the unit word: 587100 → '58.71'."""
    amount = _as_decimal(value)
    if amount is None:
        return DASH
    return _grouped(amount / YI)


@register.filter
def yi(value):
    """A headline figure given whole in 亿元: 587100 (万元) → '58.71 亿元'."""
    text = yi_plain(value)
    return text if text == DASH else f"{text} 亿元"


@register.filter
def count(value):
    """A count: whole → '24' (with separators: '1,200'); a fractional share → '0.40'."""
    number = _as_decimal(value)
    if number is None:
        return DASH
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return _grouped(number)


@register.filter
def pct(value):
    """A Decimal percentage → '87.50%'."""
    amount = _as_decimal(value)
    if amount is None:
        return DASH
    return f"{_grouped(amount)}%"
