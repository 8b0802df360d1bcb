"""Projects (招商项目), their industry, credit shares (分成) and introducers (引资人), SPEC §3."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.fields import (
    AmountField,
    CodeField,
    credit_code_validator,
    new_project_code,
)
from units import access
from units.models import Unit
from zhaoshang.guarded import GuardedModel, GuardedQuerySet


class Industry(models.Model):
    """主导产业: a configurable list."""

    name = models.CharField(_("产业"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("主导产业")
        verbose_name_plural = _("主导产业")

    def __str__(self):
        return self.name


class Origin(models.TextChoices):
    DOMESTIC = "domestic", _("内资")
    HONGKONG = "hk", _("港资")
    MACAO = "macao", _("澳资")
    TAIWAN = "taiwan", _("台资")
    FOREIGN = "foreign", _("外资")


class Category(models.TextChoices):
    INDUSTRIAL = "industrial", _("产业类（工业创税型）")
    INFRASTRUCTURE = "infrastructure", _("基础设施类")
    SOCIAL = "social", _("社会事业类")
    POLICY = "policy", _("政策性资金类")
    REAL_ESTATE = "real_estate", _("房地产类")


class HeadEnterprise(models.TextChoices):
    NONE = "", _("—")
    GLOBAL500 = "global500", _("世界500强")
    CHINA500 = "china500", _("中国500强")
    SOE = "soe", _("央企国企")


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    NEGOTIATING = "negotiating", _("洽谈")
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工投产")
    PRODUCING = "producing", _("达效")
    TERMINATED = "terminated", _("终止")


# Stages before a signing: the project has no contract yet, so its 合同投资 (0 by default) is not a
# reported zero and reads — on every page (issue 22: "0.00 万元" on a 洽谈 project misled).
UNSIGNED_STAGES = frozenset({Stage.LEAD, Stage.NEGOTIATING})


# Statuses of a signing that does not (yet) start its project: a unit's draft, a rejected claim.
NOT_STARTING = ["draft", "rejected"]
# Project columns holding the date of each verified milestone kind (`Project.signed_on`).
MILESTONE_DATE_FIELDS = ("signed_on", "started_on", "completed_on")


class ProjectQuerySet(GuardedQuerySet):
    def visible_to(self, user):
        """Projects the user may read: their unit's, their group's members' of the years they
        were members (coordinators, `in_year`), or all (reviewers, leaders, admins)."""
        return self.filter(access.visible_unit_filter(user, field="unit", in_year=self.in_year))

    def in_year(self, year):
        """Q of the projects that belong to assessment year `year`: from the year the project
        starts — its signing, once submitted (a unit's draft or a rejected claim says nothing to
        others), otherwise its registration — until the year it is terminated. The same start
        decides 新引进/结转 (`projects.newness`: 新引进 up to the start year, 结转 after it)."""
        milestone = self.model._meta.get_field("milestones").related_model
        signings = milestone.objects.filter(project=models.OuterRef("pk"), kind="signed").exclude(
            status__in=NOT_STARTING
        )
        started = models.Q(
            models.Exists(signings.filter(date__year__lte=year).order_by())
        ) | models.Q(~models.Exists(signings.order_by()), created__year__lte=year)
        running = models.Q(terminated_on__isnull=True) | models.Q(terminated_on__year__gte=year)
        return started & running


class Project(GuardedModel):
    # 项目编号: the project's identity in workbooks (issue 16), unique, assigned on creation.
    code = CodeField(_("项目编号"), new_project_code, "项目")
    name = models.CharField(_("项目名称"), max_length=200)
    investor_name = models.CharField(_("投资方"), max_length=200)
    investor_credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
        db_index=True,
    )
    origin = models.CharField(
        _("资金来源地"), max_length=20, choices=Origin.choices, default="domestic"
    )
    origin_place = models.CharField(
        _("来源省市/国家地区"), max_length=100, blank=True, help_text=_("如：江苏苏州、香港、德国")
    )
    industry = models.ForeignKey(
        Industry, models.PROTECT, related_name="projects", verbose_name=_("主导产业")
    )
    category = models.CharField(_("项目类别"), max_length=20, choices=Category.choices)
    is_key = models.BooleanField(_("重点项目"), default=False)
    is_high_tech = models.BooleanField(_("高新技术"), default=False)
    head_enterprise = models.CharField(
        _("头部企业"), max_length=20, choices=HeadEnterprise.choices, blank=True, default=""
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="projects", verbose_name=_("责任单位")
    )
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_projects", verbose_name=_("协办单位")
    )
    # 包扶领导: a 市县领导 of the persons registry (issue 19). `sponsor_leader_text` is the free
    # text written before the registry, kept read-only so old history still reads as written; the
    # migration made a person of every text (`projects.persons.migrate_free_text`).
    sponsor_leader = models.ForeignKey(
        "projects.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_projects",
        verbose_name=_("包扶领导"),
    )
    # 分管领导 (五个一 包扶, issue 19): the leader in charge of the project's sector, beside its
    # 包扶领导. A registry 市县领导 like the sponsor (chosen with the same box), not free text, so
    # the 包扶表 names one person however it is spelled. Not part of the assessment basis: it
    # changes like the sponsor, through the guarded save.
    deputy_leader = models.ForeignKey(
        "projects.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_projects",
        verbose_name=_("分管领导"),
    )
    sponsor_leader_text = models.CharField(
        _("包扶领导（原填写）"), max_length=100, blank=True, editable=False
    )
    location = models.CharField(_("落户地点（园区/乡镇）"), max_length=100, blank=True)
    total_investment = AmountField(_("总投资（万元）"))
    contracted_investment = AmountField(_("合同投资（万元）"), default=Decimal("0"))
    planned_start = models.DateField(_("计划开工日期"), null=True, blank=True)
    planned_completion = models.DateField(_("计划竣工日期"), null=True, blank=True)
    stage = models.CharField(
        _("项目阶段"), max_length=20, choices=Stage.choices, default="negotiating"
    )
    termination_reason = models.TextField(_("终止原因"), blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    description = models.TextField(_("项目简介"), blank=True)
    # 备案 (issue 17): a year may count a project's claims only once it is registered
    # (`AssessmentYear.filing_required`) — by the end of the period computed, so a past quarter
    # recomputes to the figures it had. The date decides; the number is for the record.
    filing_date = models.DateField(_("备案日期"), null=True, blank=True)
    filing_number = models.CharField(_("备案号"), max_length=100, blank=True)
    # The dates of the project's *verified* (approved) milestones, kept by
    # `projects.services.sync_stages` on every path that moves a milestone (the workflow's
    # approve, reject, reopen and withdraw, the form, the workbook import and its undo, the
    # admin, the demo loader). A draft or pending signing is private to its unit (SPEC §1), so
    # it never appears here; the dashboard's funnel and structure read these columns instead of
    # subqueries over milestones (issue 21).
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, editable=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True, editable=False)
    # Optimistic concurrency: a form carries the version it read; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    # The stage and the milestone dates follow verified milestones (written in bulk by the
    # workflow); the version is the optimistic-concurrency counter. None is part of the basis.
    GUARD_FREE_FIELDS = ("version", "updated", "stage", *MILESTONE_DATE_FIELDS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        indexes = [
            models.Index(fields=["unit", "stage"]),
            # The project list's default order (总投资 descending) reads the first page from it.
            models.Index(fields=["-total_investment"], name="project_total_desc"),
            # The funnel, structure and alerts select a year's cohort by its verified dates.
            models.Index(fields=["signed_on"], name="project_signed_on"),
            models.Index(fields=["started_on"], name="project_started_on"),
            models.Index(fields=["completed_on"], name="project_completed_on"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if (
            self.planned_start
            and self.planned_completion
            and self.planned_completion < self.planned_start
        ):
            errors["planned_completion"] = _("计划竣工日期不能早于计划开工日期。")
        if (
            self.total_investment is not None
            and self.contracted_investment is not None
            and self.contracted_investment > self.total_investment
        ):
            errors["contracted_investment"] = _("合同投资不能大于总投资。")
        if self.stage == Stage.TERMINATED and not self.termination_reason.strip():
            errors["termination_reason"] = _("终止项目必须填写终止原因。")
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def save(self, *args, **kwargs):
        previous_unit_id = None
        if self.pk:
            previous_unit_id = (
                Project.objects.filter(pk=self.pk).values_list("unit_id", flat=True).first()
            )
        super().save(*args, **kwargs)
        # Invariant: credit shares sum to 100 %; by default the responsible unit holds 100 %.
        shares = list(self.credit_shares.all())
        if not shares:
            CreditShare.objects.create(project=self, unit_id=self.unit_id, percent=Decimal(100))
        elif (
            previous_unit_id
            and previous_unit_id != self.unit_id
            and len(shares) == 1
            and shares[0].unit_id == previous_unit_id
        ):
            shares[0].unit_id = self.unit_id
            shares[0].save(update_fields=["unit"])


class CreditShare(GuardedModel):
    """分成: a unit's share of a project's credit. A project's shares sum to 100 %."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="credit_shares", verbose_name=_("项目")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="credit_shares", verbose_name=_("单位")
    )
    percent = models.DecimalField(
        _("比例（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("分成比例必须大于 0。")),
            MaxValueValidator(Decimal("100"), message=_("分成比例不能超过 100%%。")),
        ],
    )

    history = HistoricalRecords()
    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name = _("分成")
        verbose_name_plural = _("分成")
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="one_share_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} {self.percent}%"


class Introducer(GuardedModel):
    """A person of the registry (引资人: a unit's staff, a leader or an intermediary) credited with
    introducing a project, for 十佳引资功臣. Whether they are internal or an intermediary is the
    person's kind. `name` is the name as credited, kept for history (set from the person on
    every save; the migration kept the free text written before the registry)."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="introducers", verbose_name=_("项目")
    )
    person = models.ForeignKey(
        "projects.Person", models.PROTECT, related_name="introductions", verbose_name=_("引资人")
    )
    name = models.CharField(_("姓名（记录时）"), max_length=100, editable=False)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name = _("引资人")
        verbose_name_plural = _("引资人")
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="one_credit_per_person"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.person_id:
            self.name = self.person.name
        super().save(*args, **kwargs)
