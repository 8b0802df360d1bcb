"""新引进/结转 of one assessment year, where a year records it (SPEC §3).

New vs carried over is a fact of each assessment year, not of the project. By default it follows
the project's signing (`projects.newness`, the one rule); a year may record an override here, with
a reason, who recorded it and when — its changes are kept in the history like every other figure.
Overrides are written only through `projects.newness.record` (the project form and the workbook
import), one row at a time through `save()` / `delete()`, so one guard can freeze them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.project import Project
from zhaoshang.guarded import GuardedModel, GuardedQuerySet

NEW_LABEL, CARRIED_LABEL = "新引进", "结转"


class NewnessOverride(GuardedModel):
    """新引进 or 结转 of `project` in assessment year `year`, where it differs from the default."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="newness_overrides", verbose_name=_("项目")
    )
    year = models.PositiveIntegerField(
        _("考核年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_new = models.BooleanField(_("新引进"), help_text=_("否表示结转"))
    reason = models.TextField(_("认定理由"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认定人"),
    )
    updated = models.DateTimeField(_("认定时间"), auto_now=True)

    history = HistoricalRecords()
    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "year"]
        verbose_name = _("新引进/结转年度认定")
        verbose_name_plural = _("新引进/结转年度认定")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_newness_per_year"),
        ]

    def __str__(self):
        return f"{self.project} · {self.year} 年度{self.label}"

    @property
    def label(self):
        return NEW_LABEL if self.is_new else CARRIED_LABEL
