"""How assessment figures read: counts (个), 万元 or 亿元 by the indicator's display unit, and
progress-bar widths.

Plain functions, so the template filters (`assessment.templatetags.assess`) and the rows built in
Python (`assessment.ranking_rows`) format every figure the same way without importing each other.
"""

from decimal import ROUND_HALF_UP, Decimal

from units.templatetags.zs import wan_plain


def figure(value, display_unit):
    """A figure in its indicator's display unit: '1.5 个', '1,234.00 万元', '1.23 亿元'."""
    if value is None:
        return "—"
    value = Decimal(value)
    if display_unit == "个":
        text = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        return f"{text:f} 个"
    if display_unit == "亿元":
        return f"{wan_plain(value / Decimal(10000))} 亿元"
    return f"{wan_plain(value)} 万元"


def bar_width(value):
    """Completion percent → a CSS width 0–100 for a progress bar."""
    if value is None:
        return 0
    return int(max(Decimal(0), min(Decimal(value), Decimal(100))))
