"""Monthly reports (月报) and the city-wide reporting and alert thresholds (SPEC §3)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class MonthlyReport(models.Model):
    """月报: a unit's report for one month, or an explicit zero report (零报告)."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="monthly_reports", verbose_name=_("单位")
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    is_zero = models.BooleanField(_("零报告"), default=False)
    note = models.TextField(_("说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"))

    class Meta:
        ordering = ["-month", "unit"]
        verbose_name = _("月报")
        verbose_name_plural = _("月报")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="one_report_per_unit_month"),
        ]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}"

    @classmethod
    def zero_report_error(cls, unit_id, day):
        """Why no figure dated `day` may be entered for the unit: it filed a zero report (零报告)
        for that month — or None. A zero report says the month had nothing; a later entry would
        contradict it (issue 15, "零报告 · 资金笔数 1"). Refused rather than reopening the
        report, so the report a unit filed stays what it filed. Every write path calls this
        through the claim's `clean()` (forms) or `zero_report_error()` (the workbook import)."""
        if not unit_id or not day:
            return None
        month = day.replace(day=1)
        if not cls.objects.filter(unit_id=unit_id, month=month, is_zero=True).exists():
            return None
        return (
            f"本单位已报送{month:%Y年%m月}的零报告，不能再填报该月的投资或到位资金；"
            "如确有遗漏，请联系考核办处理该月月报。"
        )


class ProjectSettings(models.Model):
    """City-wide thresholds for reporting and alerts (a single row; `ProjectSettings.load()`)."""

    report_deadline_day = models.PositiveSmallIntegerField(
        _("月报截止日（次月几号）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    report_reminder_days = models.PositiveSmallIntegerField(
        _("月报到期提醒（截止前几天）"),
        default=3,
        validators=[MaxValueValidator(28)],
        help_text=_("截止日前这么多天起提醒尚未报送的单位；0 表示只在截止当天提醒。"),
    )
    signed_not_started_days = models.PositiveIntegerField(_("签约未开工预警天数"), default=180)
    no_progress_months = models.PositiveIntegerField(_("无投资进度预警月数"), default=2)
    contract_to_funds_ratio = models.PositiveIntegerField(
        _("合同投资与到位资金异常倍数"), default=10
    )

    class Meta:
        verbose_name = _("填报与预警设置")
        verbose_name_plural = _("填报与预警设置")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls):
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
