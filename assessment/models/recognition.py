"""不予认定清单 (SPEC §4, issue 17): per year, projects or industries whose claims do not count.

Decisions:
- an entry names one project or one 主导产业, with a reason; a project category is already the
  year's 不计入考核的项目类别 (`AssessmentYear.excluded_categories`), so it is not listed twice;
- the engine leaves a listed project's claims out inside its aggregate queries (a subquery on
  the period's year, `assessment.actuals`), so the list costs no query;
- the unit explanation shows "不予认定：<project> — <reason>" (`assessment.explain`);
- the office edits it in the admin only; it is a rule of its year, so it is frozen with the
  year's rules once a quarter is published (`zhaoshang.guard`, YearConfigRule).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.years import AssessmentYear
from projects.models import Industry, Project
from zhaoshang.guarded import GuardedModel, GuardedQuerySet


class RecognitionExclusion(GuardedModel):
    year = models.ForeignKey(
        AssessmentYear, models.CASCADE, related_name="exclusions", verbose_name=_("年度")
    )
    project = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="recognition_exclusions",
        verbose_name=_("项目"),
    )
    industry = models.ForeignKey(
        Industry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="recognition_exclusions",
        verbose_name=_("主导产业"),
    )
    reason = models.TextField(_("不予认定理由"))
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("不予认定清单")
        verbose_name_plural = _("不予认定清单")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, industry__isnull=True)
                    | Q(project__isnull=True, industry__isnull=False)
                ),
                name="exclusion_names_project_or_industry",
            ),
        ]

    def __str__(self):
        return f"{self.year} 不予认定：{self.subject}"

    @property
    def subject(self):
        """What is listed: the project's name, or 产业“…”."""
        if self.project_id:
            return self.project.name
        return f"{self.industry}（产业）"

    def clean(self):
        if bool(self.project_id) == bool(self.industry_id):
            raise ValidationError(_("请选择一个项目或一个主导产业（二者选一）。"))
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("请填写不予认定理由。")})


def excluded_claims(year, prefix="project"):
    """Q of the claims (through `prefix`, the claim's project) a year's list leaves out. Two
    uncorrelated IN subqueries on the year number — evaluated once per aggregate, not per claim
    row — so the list adds no query and next to no time to the aggregate it filters."""
    listed = RecognitionExclusion.objects.filter(year__year=year).order_by()
    projects = listed.filter(project__isnull=False).values("project_id")
    industries = listed.filter(industry__isnull=False).values("industry_id")
    return Q(**{f"{prefix}_id__in": projects}) | Q(**{f"{prefix}__industry_id__in": industries})
