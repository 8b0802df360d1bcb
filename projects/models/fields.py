"""Field helpers of the projects models: amounts in 万元, the unified social credit code."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# SPEC §7: amounts above 10⁸ 万元 are absurd. 10⁸ 万元 is 1 万亿元 (the old message said "1 亿万元",
# which is no unit at all).
MAX_AMOUNT = Decimal("100000000")


def too_large_message(what="金额"):
    """The one wording for an amount over MAX_AMOUNT (forms, model validation, workbook import)."""
    return f"{what}超过 1 万亿元（100,000,000 万元），请核对单位是否为万元。"


amount_validators = [
    MinValueValidator(Decimal("0"), message=_("金额不能为负数。")),
    MaxValueValidator(MAX_AMOUNT, message=too_large_message()),
]


def AmountField(verbose_name, **kwargs):  # noqa: N802 - reads like a field class
    """A non-negative amount in 万元, Decimal with two places."""
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("validators", amount_validators)
    return models.DecimalField(verbose_name, **kwargs)


credit_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    message=_("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。"),
)


# Stable row codes (编号, issue 16): the workbook import identifies a project and a funds entry by
# them, the year export writes them. Assigned when the row is built (a field default), so every
# path — forms, the import's bulk inserts, the demo loader, factories — gives one; letters and
# digits that are not read one for another (no 0/O, 1/I/L), 8 of them: 32⁸ ≈ 10¹² codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_MAX_LENGTH = 20
row_code_validator = RegexValidator(
    r"^[-A-Za-z0-9_]{1,20}$",
    message=_("编号只能包含字母、数字、下划线和连字符，最多 20 位。"),
)


def _new_code(prefix):
    import secrets

    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_project_code():
    return _new_code("XM")


def new_funds_code():
    return _new_code("ZJ")


def CodeField(verbose_name, default, what):  # noqa: N802 - reads like a field class
    """A unique row code (编号) with a Chinese message when taken."""
    return models.CharField(
        verbose_name,
        max_length=CODE_MAX_LENGTH,
        unique=True,
        default=default,
        validators=[row_code_validator],
        error_messages={"unique": _("编号已被其他%s使用，请换一个编号。") % what},
    )
