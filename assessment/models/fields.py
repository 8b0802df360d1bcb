"""Field helpers and small rules shared by the assessment models: target values, echelon
fractions, time-progress percentages and quarter ends."""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_TARGET = Decimal("100000000")


def TargetValueField(verbose_name):  # noqa: N802 - reads like a field class
    """A target: a non-negative Decimal (count or 万元), absurd sizes refused."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0"), message=_("目标不能为负数。")),
            MaxValueValidator(MAX_TARGET, message=_("目标数值过大，请核对单位。")),
        ],
    )


def parse_fraction(text):
    """'1/3' or '0.5' → Fraction in (0, 1]; ValueError otherwise."""
    value = Fraction(str(text).strip())
    if not 0 < value <= 1:
        raise ValueError(text)
    return value


def validate_fraction(text):
    try:
        parse_fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(
            _("请填写 0 到 1 之间的分数或小数，如 1/3 或 0.5。"), code="invalid"
        ) from exc


def quarter_end(year, quarter):
    """Last day of quarter `quarter` of `year`."""
    month = quarter * 3
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def quarter_of(day):
    """The quarter (1–4) that `day` falls in."""
    return (day.month - 1) // 3 + 1


percent_validators = [
    MinValueValidator(Decimal("0"), message=_("序时进度不能为负数。")),
    MaxValueValidator(Decimal("100"), message=_("序时进度不能超过 100%%。")),
]


def ProgressField(verbose_name, default):  # noqa: N802 - reads like a field class
    """Expected time progress of one quarter, a percentage 0–100."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=percent_validators,
    )
