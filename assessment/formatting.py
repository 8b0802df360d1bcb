"""How assessment figures read: counts (个), 万元 or 亿元 by the indicator's display unit, and
progress-bar widths.

Plain functions, so the template filters (`assessment.templatetags.assess`) and the rows built in
Python (`assessment.ranking_rows`) format every figure the same way without importing each other.
"""

from decimal import Decimal

from units.templatetags.zs import count, pct, wan, yi

QUARTER_NUMERALS = {1: "一", 2: "二", 3: "三", 4: "四"}
# What a draft (a computed quarter not yet published) carries on screen, on paper and in every
# workbook, so it is never taken for the official 通报.
DRAFT_MARK = "测算稿（未发布）"


def quarter_name(quarter):
    """第一季度 … 第四季度: the one way the 通报, the ranking page and the workbook name it."""
    return f"第{QUARTER_NUMERALS.get(quarter, quarter)}季度"


def percent(value):
    """A percentage with two places, as everywhere else (`zs.pct`): 75 → '75.00%'."""
    return pct(value)


def figure(value, display_unit):
    """A figure in its indicator's display unit: '2 个', '0.40 个' (a share), '1,234.00 万元',
    '1.23 亿元'. The unit is the indicator's, so a column of one indicator never mixes units."""
    if value is None:
        return "—"
    if display_unit == "个":
        return f"{count(value)} 个"
    if display_unit and display_unit not in ("万元", "亿元"):
        # A campaign measure's own unit of count (条, 人次; issue 20).
        return f"{count(value)} {display_unit}"
    if display_unit == "亿元":
        return yi(value)
    return wan(value)


def bar_width(value):
    """Completion percent → a CSS width 0–100 for a progress bar."""
    if value is None:
        return 0
    return int(max(Decimal(0), min(Decimal(value), Decimal(100))))
