"""The bad-input corpus (issue 9 item 4): bad values per field type, each with a short id.

Every value here must be refused with a Chinese message and nothing saved. Values the product
accepts on purpose (full-width digits, emoji, formula-looking text, long notes) are not here; their
handling is asserted in test_accepted.py.
"""

LONG = "长" * 10_000
HUGE_DIGITS = "9" * 30

# Refused by every numeric field.
NUMBER = {
    "nan": "NaN",
    "infinity": "Infinity",
    "minus-infinity": "-Infinity",
    "letters": "abc",
    "thousands-comma": "1,000",
    "nul": "\x00",
    "digits-then-nul": "12\x00",
    "rtl-override": "\u202e12",
    "long": LONG,
    "huge-digits": HUGE_DIGITS,
}

# Amounts in 万元: Decimal, two places, 0 … 10⁸.
AMOUNT = {
    **NUMBER,
    "negative": "-1",
    "1e20": "1e20",
    "over-1e8": "100000000.01",
    "three-decimals": "0.001",
}
REQUIRED_EMPTY = {"empty": "", "whitespace": "   "}
AMOUNT_REQUIRED = {**AMOUNT, **REQUIRED_EMPTY}

# Percentages and shares: 0 … 100, two places.
PERCENT = {
    **NUMBER,
    "negative": "-1",
    "1e20": "1e20",
    "over-100": "100.01",
    "three-decimals": "50.001",
}

DATE = {
    "feb-30": "2025-02-30",
    "slashes": "01/02/2025",
    "letters": "abc",
    "nul": "\x00",
    "date-then-nul": "2025-01-01\x00",
    "year-0": "0000-01-01",
    "year-99999": "99999-01-01",
    "long": LONG,
}
FUTURE_DATE = {"future": "2099-01-01"}
DATE_REQUIRED = {**DATE, **REQUIRED_EMPTY}
DATE_PAST_REQUIRED = {**DATE_REQUIRED, **FUTURE_DATE}

# Names and other one-line text.
TEXT = {
    "nul": "\x00",
    "name-with-nul": "项目\x00名称",
    "rtl-override": "项目\u202e名称",
    "bell-control": "项目\x07名称",
}
NAME = {**TEXT, "long": LONG}
NAME_REQUIRED = {**NAME, **REQUIRED_EMPTY}
# Text areas accept 10,000 characters (test_accepted.py), not more than 20,000; control
# characters never.
TEXTAREA = {**TEXT, "over-20000": "长" * 20_001}

# Years of a 年度 field.
YEAR = {
    "zero": "0",
    "99999": "99999",
    "negative": "-1",
    "decimal": "2026.5",
    "1e20": "1e20",
    "letters": "abc",
    "nul": "\x00",
    "huge-digits": HUGE_DIGITS,
    **REQUIRED_EMPTY,
}

# Other integers (sort order, thresholds in days).
INTEGER = {
    "negative": "-1",
    "decimal": "1.5",
    "1e20": "1e20",
    "letters": "abc",
    "nul": "\x00",
    "huge-digits": HUGE_DIGITS,
}

CHOICE = {
    "unknown": "no-such-choice",
    "nul": "\x00",
    "long": LONG,
    "rtl-override": "\u202edomestic",
}
CHOICE_REQUIRED = {**CHOICE, "empty": ""}

# Foreign keys posted as ids.
FOREIGN_KEY = {
    "missing-id": "999999",
    "letters": "abc",
    "negative": "-1",
    "nul": "\x00",
    "huge-digits": HUGE_DIGITS,
}
FOREIGN_KEY_REQUIRED = {**FOREIGN_KEY, "empty": ""}


def cases(**groups):
    """{'field': {id: value}} → [(field, id, value)] for pytest.mark.parametrize."""
    return [
        (field, case_id, value)
        for field, values in groups.items()
        for case_id, value in values.items()
    ]


def ids(case_list):
    return [f"{field}-{case_id}" for field, case_id, _value in case_list]
