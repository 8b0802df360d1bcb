"""Field helpers of the projects models: amounts in 万元, the unified social credit code."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# SPEC §7: amounts above 10⁸ 万元 are absurd.
MAX_AMOUNT = Decimal("100000000")
amount_validators = [
    MinValueValidator(Decimal("0"), message=_("金额不能为负数。")),
    MaxValueValidator(
        MAX_AMOUNT, message=_("金额超过 1 亿万元（10⁸ 万元），请核对单位是否为万元。")
    ),
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
