"""Amounts are stored in 万元 and shown in 万元 however large (issue 22: one column never mixes
万元 and 亿元); 亿元 only through `yi`, for headline figures.
The full rule: tests/web/test_number_format.py."""

from decimal import Decimal

from units.templatetags.zs import pct, wan, wan_plain, yi


def test_small_amount_in_wan():
    assert wan(Decimal("1234.5")) == "1,234.50 万元"


def test_large_amount_stays_in_wan():
    assert wan(Decimal("123456")) == "123,456.00 万元"


def test_a_headline_figure_of_exactly_one_yi():
    assert yi(Decimal("10000")) == "1.00 亿元"


def test_missing_and_bad_values_show_a_dash():
    assert wan(None) == "—"
    assert wan("abc") == "—"
    assert pct(None) == "—"


def test_rounding_is_half_up():
    assert wan_plain(Decimal("0.125")) == "0.13"
    assert pct(Decimal("87.505")) == "87.51%"
