"""Campaigns (百日会战): a named period of an assessment year with its own unit targets.

Re-exported by `assessment.models`. The year's indicators, weights, cap, echelon fractions and
excluded categories apply to the campaign.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.fields import TargetValueField
from assessment.models.years import AssessmentYear, Indicator
from units.models import Unit

# A campaign is a push of weeks or months; longer than a year is a typing error.
MAX_CAMPAIGN_DAYS = 366


class ReportCadence(models.TextChoices):
    """How often units report on a campaign (issue 20 item 4): 周报 by calendar week (Monday to
    Sunday), 旬报 by calendar 旬 (1–10, 11–20, 21 to the month's end), both cut to the campaign."""

    WEEKLY = "weekly", _("周报（每周）")
    TEN_DAY = "ten_day", _("旬报（每旬）")


class Campaign(models.Model):
    """百日会战 and the like: units ranked over [start, end] against the campaign's own targets."""

    name = models.CharField(_("会战名称"), max_length=100)
    year = models.ForeignKey(
        AssessmentYear,
        models.PROTECT,
        related_name="campaigns",
        verbose_name=_("考核年度"),
        help_text=_("沿用该年度的考核指标、权重、封顶值和方阵划分"),
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    note = models.TextField(_("说明"), blank=True)
    report_cadence = models.CharField(
        _("报送周期"), max_length=10, choices=ReportCadence.choices, default=ReportCadence.WEEKLY
    )
    published = models.BooleanField(
        _("向各单位公布"),
        default=False,
        help_text=_("公布后各单位可查看会战排名；未公布时仅考核办和市领导可见"),
    )
    # The campaign's own consequences (issue 20): what its end result proposes to the ledger
    # (`assessment.ledger.proposals.propose_for_campaign`); the office confirms each one.
    sanction_below_rate = models.DecimalField(
        _("离岗招商完成率线（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), message=_("完成率线应在 0 到 100 之间。")),
            MaxValueValidator(Decimal("100"), message=_("完成率线应在 0 到 100 之间。")),
        ],
        help_text=_("会战结束时总体完成率低于此值的单位拟议“离岗招商”，如 50；留空不设"),
    )
    commend_on_completion = models.BooleanField(
        _("完成任务拟议表彰"), default=False, help_text=_("会战结束时完成任务的单位拟议表彰")
    )
    restore_salary_on_completion = models.BooleanField(
        _("完成任务拟议恢复省标工资"),
        default=False,
        help_text=_("会战结束时完成任务的单位拟议恢复缓发的省标工资"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("会战")
        verbose_name_plural = _("会战")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                name="campaign_name_unique_per_year",
                violation_error_message=_("本年度已有同名会战。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessment:campaign_detail", args=[self.pk])

    @property
    def total_days(self):
        return (self.end - self.start).days + 1

    def days_elapsed(self, today):
        """Days of the campaign gone by at `today` (0 before it starts, total after it ends)."""
        return min(max((today - self.start).days + 1, 0), self.total_days)

    def clean(self):
        if self.start is None or self.end is None:
            return
        errors = {}
        if self.end < self.start:
            errors["end"] = _("结束日期不能早于开始日期。")
        elif self.end - self.start >= datetime.timedelta(days=MAX_CAMPAIGN_DAYS):
            errors["end"] = _("会战期限不能超过一年，请核对日期。")
        if self.year_id is not None and self.start.year != self.year.year:
            errors["start"] = _("开始日期应在所选考核年度内。")
        if errors:
            raise ValidationError(errors)


class CampaignTarget(models.Model):
    """One unit's target for one indicator over the campaign, in the indicator's base unit."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="targets", verbose_name=_("会战")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="campaign_targets", verbose_name=_("单位")
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="campaign_targets", verbose_name=_("指标")
    )
    value = TargetValueField(_("会战目标"))
    # Written in bulk by assessment.targets.write_grid, which records these rows itself.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会战目标")
        verbose_name_plural = _("会战目标")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "indicator"], name="one_campaign_target_per_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="campaign_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.unit} · {self.indicator}: {self.value}"

    def clean(self):
        has_both = self.campaign_id and self.indicator_id
        if has_both and self.indicator.year_id != self.campaign.year_id:
            raise ValidationError({"indicator": _("指标不属于该会战的考核年度。")})
