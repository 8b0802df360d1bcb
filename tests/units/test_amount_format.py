"""Amounts are stored in 万元 and shown as 万元 or, when large, 亿元."""

from decimal import Decimal

from units.templatetags.zs import pct, wan, wan_plain


def test_small_amount_in_wan():
    assert wan(Decimal("1234.5")) == "1,234.50 万元"


def test_large_amount_in_yi():
    assert wan(Decimal("123456")) == "12.35 亿元"


def test_exactly_one_yi_is_shown_in_yi():
    assert wan(Decimal("10000")) == "1.00 亿元"


def test_missing_and_bad_values_show_a_dash():
    assert wan(None) == "—"
    assert wan("abc") == "—"
    assert pct(None) == "—"


def test_rounding_is_half_up():
    assert wan_plain(Decimal("0.125")) == "0.13"
    assert pct(Decimal("87.505")) == "87.51%"
