"""Everyday work around projects (SPEC §3): assistance items (帮办), leads (线索) and investor
visits (客商接待)."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.fields import AmountField
from projects.models.project import Industry, Project
from units import access
from units.models import Unit


class AssistanceCategory(models.TextChoices):
    LAND = "land", _("用地")
    POWER = "power", _("用电")
    PERMIT = "permit", _("审批")
    FINANCE = "finance", _("融资")
    OTHER = "other", _("其他")


class AssistanceStatus(models.TextChoices):
    OPEN = "open", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")


class AssistanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Items of projects the user may read, and items their own unit must act on (SPEC §3:
        an item names the unit that must act, so that unit sees it and may update it)."""
        q = Q(project__in=Project.objects.visible_to(user).values("pk"))
        if access.is_unit_user(user) and user.unit_id:
            q |= Q(responsible_unit_id=user.unit_id)
        return self.filter(q)


class AssistanceItem(models.Model):
    """帮办事项: a problem a project needs solved, who must act and by when."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="assistance_items", verbose_name=_("项目")
    )
    category = models.CharField(_("类别"), max_length=20, choices=AssistanceCategory.choices)
    problem = models.TextField(_("问题描述"))
    responsible_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="assistance_items", verbose_name=_("责任单位")
    )
    responsible_leader = models.CharField(_("责任领导"), max_length=100, blank=True)
    deadline = models.DateField(_("办理时限"))
    status = models.CharField(
        _("办理状态"),
        max_length=20,
        choices=AssistanceStatus.choices,
        default=AssistanceStatus.OPEN,
    )
    resolution = models.TextField(_("办理结果"), blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("提出时间"), auto_now_add=True)

    objects = AssistanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("帮办事项")
        verbose_name_plural = _("帮办事项")

    def __str__(self):
        return f"{self.project} · {self.get_category_display()}"


class LeadStatus(models.TextChoices):
    OPEN = "open", _("跟进中")
    CONVERTED = "converted", _("已转项目")
    DROPPED = "dropped", _("已放弃")


class LeadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A unit sees its own leads and those shared with it; reviewers and leaders see all;
        coordinators their members' leads collected in a year the unit was a member (SPEC §1:
        a lead belongs to the year it was collected — it has no later date to go by)."""
        q = access.visible_unit_filter(user, field="unit", year_field="created__year")
        if access.is_unit_user(user) and user.unit_id:
            shared = self.model.shared_with.through.objects.filter(
                lead_id=OuterRef("pk"), unit_id=user.unit_id
            )
            q |= Q(Exists(shared))
        return self.filter(q)


class Lead(models.Model):
    """招商线索 collected by a unit, optionally shared with other units."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="leads", verbose_name=_("收集单位"))
    investor_name = models.CharField(_("投资方"), max_length=200)
    industry = models.ForeignKey(
        Industry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("产业"),
    )
    intended_investment = AmountField(_("意向投资（万元）"), null=True, blank=True)
    source = models.CharField(_("线索来源"), max_length=100, blank=True)
    description = models.TextField(_("线索内容"), blank=True)
    shared_with = models.ManyToManyField(
        Unit, blank=True, related_name="shared_leads", verbose_name=_("共享给")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.OPEN
    )
    project = models.OneToOneField(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead",
        verbose_name=_("转化项目"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("收集时间"), auto_now_add=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("招商线索")
        verbose_name_plural = _("招商线索")

    def __str__(self):
        return self.investor_name


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Visits of the units the user may read; a coordinator's members' visits of the years
        the unit was a member, by the visit's date (SPEC §1)."""
        return self.filter(access.visible_unit_filter(user, field="unit", year_field="date__year"))


class Visit(models.Model):
    """客商接待: an investor's visit, who received them and what came of it."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="visits", verbose_name=_("接待单位")
    )
    date = models.DateField(_("接待日期"))
    investor_name = models.CharField(_("客商"), max_length=200)
    visitors = models.CharField(_("来访人员"), max_length=200, blank=True)
    hosts = models.CharField(_("接待人员"), max_length=200, blank=True)
    outcome = models.TextField(_("洽谈成果"), blank=True)
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("关联项目"),
    )
    lead = models.ForeignKey(
        Lead,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("关联线索"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("客商接待")
        verbose_name_plural = _("客商接待")

    def __str__(self):
        return f"{self.date} {self.investor_name}"
