"""A campaign's own measures, their targets, the units' 周报/旬报 and the office's 《简报》
(issue 20 item 4). Re-exported by `assessment.models`.

- `CampaignMeasure`: beyond the year's indicators — a count the units file in their reports
  (招商信息条数, 客商人次, 小分队数), or a count of projects signed or started in the campaign
  whose investment reaches a lower bound in 万元 (5000万元以上, 亿元以上). It is weighted in the
  campaign score like an indicator (`assessment.campaigns.engine`).
- `CampaignReport` with its `CampaignReportFigure`s: one per unit per period (a week or a 旬,
  `assessment.campaigns.periods`), the period's own figures (not cumulative) and 工作进展.
- `CampaignBrief`: the 《简报》 of one period once issued (第N期). Issuing freezes the reports of
  that period and every earlier one through the guard (`assessment.campaigns.reports`), and
  seals what it shows in `content` (`assessment.campaigns.brief_content`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.campaign import Campaign
from assessment.models.fields import TargetValueField
from assessment.models.years import InvestmentBasis
from projects.models import MilestoneKind
from units.models import Unit
from zhaoshang.guarded import GuardedModel, GuardedQuerySet


class MeasureKind(models.TextChoices):
    REPORTED = "reported", _("单位报送数")
    PROJECT_BAND = "project_band", _("项目个数（按投资规模）")


BAND_MILESTONES = [MilestoneKind.SIGNED, MilestoneKind.STARTED]


class CampaignMeasure(models.Model):
    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="measures", verbose_name=_("会战")
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(
        _("类型"), max_length=20, choices=MeasureKind.choices, default=MeasureKind.REPORTED
    )
    unit_label = models.CharField(
        _("计量单位"), max_length=10, default="个", help_text=_("如：条、人次、个")
    )
    weight = models.DecimalField(
        _("权重"), max_digits=6, decimal_places=2, help_text=_("在会战得分中的权重")
    )
    milestone = models.CharField(
        _("节点"),
        max_length=20,
        choices=[(k.value, k.label) for k in BAND_MILESTONES],
        blank=True,
        help_text=_("项目个数类：统计会战期间签约或开工的项目"),
    )
    investment_basis = models.CharField(
        _("投资口径"),
        max_length=20,
        choices=InvestmentBasis.choices,
        default=InvestmentBasis.CONTRACTED,
        blank=True,
    )
    min_investment = models.DecimalField(
        _("投资下限（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("项目个数类：投资额达到该数（含）以上的项目，如 5000 或 10000"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("会战专项指标")
        verbose_name_plural = _("会战专项指标")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="campaign_measure_name_unique",
                violation_error_message=_("本会战已有同名专项指标。"),
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="campaign_measure_weight_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def code(self):
        """The key of the measure among the indicators' codes in a campaign result."""
        return f"m{self.pk}"

    @property
    def is_band(self):
        return self.kind == MeasureKind.PROJECT_BAND

    def clean(self):
        errors = {}
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = _("权重必须大于 0。")
        if self.is_band:
            if not self.milestone:
                errors["milestone"] = _("项目个数类指标须选择签约或开工。")
            if self.min_investment is None:
                errors["min_investment"] = _("项目个数类指标须填写投资下限（万元）。")
            elif self.min_investment < 0:
                errors["min_investment"] = _("投资下限不能为负数。")
            if not self.investment_basis:
                errors["investment_basis"] = _("项目个数类指标须选择投资口径。")
        if errors:
            raise ValidationError(errors)


class CampaignMeasureTarget(models.Model):
    measure = models.ForeignKey(
        CampaignMeasure, models.CASCADE, related_name="targets", verbose_name=_("专项指标")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="campaign_measure_targets", verbose_name=_("单位")
    )
    value = TargetValueField(_("目标"))

    class Meta:
        verbose_name = _("专项指标目标")
        verbose_name_plural = _("专项指标目标")
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit"], name="one_measure_target_per_unit"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="measure_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.measure} · {self.unit}: {self.value}"


class CampaignBrief(models.Model):
    """The issued 《简报》 of one period; its `number` is the 第N期 in order of issue."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="briefs", verbose_name=_("会战")
    )
    period = models.PositiveSmallIntegerField(_("期间序号"))
    number = models.PositiveSmallIntegerField(_("期号"))
    issued_at = models.DateTimeField(_("印发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("印发人"),
    )
    # What the issued 简报 shows, sealed when it is issued (`assessment.campaigns.brief_content`):
    # its page and workbook render this, so nothing later moves a published document.
    content = models.JSONField(_("印发内容"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["campaign", "period"]
        verbose_name = _("会战简报")
        verbose_name_plural = _("会战简报")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "period"], name="one_brief_per_period"),
            models.UniqueConstraint(fields=["campaign", "number"], name="brief_number_unique"),
        ]

    def __str__(self):
        return f"{self.campaign} 第{self.number}期"


class CampaignReport(GuardedModel):
    """A unit's 周报/旬报 of one period; frozen once that period's (or a later) 简报 is issued."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="reports", verbose_name=_("会战")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="campaign_reports", verbose_name=_("单位")
    )
    period = models.PositiveSmallIntegerField(_("期间序号"))
    progress = models.TextField(_("工作进展"), max_length=1000, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    filed_at = models.DateTimeField(_("填报时间"), auto_now=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "period", "unit__sort_order", "unit__name"]
        verbose_name = _("会战周报")
        verbose_name_plural = _("会战周报")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "period"],
                name="one_campaign_report_per_period",
                violation_error_message=_("该单位本期已报送，请修改已有报告。"),
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.unit} · 第{self.period}期"


class CampaignReportFigure(GuardedModel):
    report = models.ForeignKey(
        CampaignReport, models.CASCADE, related_name="figures", verbose_name=_("报告")
    )
    measure = models.ForeignKey(
        CampaignMeasure, models.CASCADE, related_name="figures", verbose_name=_("专项指标")
    )
    value = TargetValueField(_("本期数"))

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name = _("周报数据")
        verbose_name_plural = _("周报数据")
        constraints = [
            models.UniqueConstraint(fields=["report", "measure"], name="one_figure_per_measure"),
        ]
