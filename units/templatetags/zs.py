"""Template filters for amounts: stored in 万元 (Decimal), shown as 万元 or 亿元."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

YI = Decimal(10000)


def _quantize(value, places=2):
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _as_decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def wan(value):
    """1234.5 → '1,234.50 万元'; ≥ 1 亿 → '1.23 亿元'."""
    amount = _as_decimal(value)
    if amount is None:
        return "—"
    if abs(amount) >= YI:
        return f"{_quantize(amount / YI):,} 亿元"
    return f"{_quantize(amount):,} 万元"


@register.filter
def wan_plain(value):
    """Always 万元, two decimals, no unit word (for table columns headed 万元)."""
    amount = _as_decimal(value)
    if amount is None:
        return "—"
    return f"{_quantize(amount):,}"


@register.filter
def pct(value):
    """A Decimal percentage → '87.50%'."""
    amount = _as_decimal(value)
    if amount is None:
        return "—"
    return f"{_quantize(amount)}%"
