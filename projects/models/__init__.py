"""Projects (招商项目) and the figures units claim for them (SPEC §3, §4).

Milestones, monthly fixed-asset investment and funds in place are *claims*: they count in an
assessment only once approved. The workflow itself lives in `projects.claims`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit

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


class Project(models.Model):
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
    is_new = models.BooleanField(_("新引进"), default=True, help_text=_("不勾选表示上年结转项目"))
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="projects", verbose_name=_("责任单位")
    )
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_projects", verbose_name=_("协办单位")
    )
    sponsor_leader = models.CharField(_("包扶领导"), max_length=100, blank=True)
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
    # Optimistic concurrency: a form carries the version it read; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        indexes = [
            models.Index(fields=["unit", "stage"]),
            # The project list's default order (总投资 descending) reads the first page from it.
            models.Index(fields=["-total_investment"], name="project_total_desc"),
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


class CreditShare(models.Model):
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

    class Meta:
        verbose_name = _("分成")
        verbose_name_plural = _("分成")
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="one_share_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} {self.percent}%"


class Introducer(models.Model):
    """引资人 / 中介人 credited with introducing a project (for 十佳引资功臣)."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="introducers", verbose_name=_("项目")
    )
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("单位/机构"), max_length=100, blank=True)
    is_intermediary = models.BooleanField(_("中介人"), default=False)

    class Meta:
        verbose_name = _("引资人")
        verbose_name_plural = _("引资人")

    def __str__(self):
        return self.name


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报")
    REVIEWED = "reviewed", _("已审核")
    SITE_ASSESSED = "site_assessed", _("已现场评估")
    CONFIRMED = "confirmed", _("已会办确认")
    APPROVED = "approved", _("已审定")
    REJECTED = "rejected", _("已退回")


PENDING_STATUSES = [
    ClaimStatus.SUBMITTED,
    ClaimStatus.REVIEWED,
    ClaimStatus.SITE_ASSESSED,
    ClaimStatus.CONFIRMED,
]
EDITABLE_STATUSES = [ClaimStatus.DRAFT, ClaimStatus.REJECTED]


class Claim(models.Model):
    """Shared fields of every claim. `claim_date` is the date that decides its period."""

    status = models.CharField(
        _("核实状态"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self):
        return self.status == ClaimStatus.APPROVED

    @property
    def is_editable_status(self):
        return self.status in EDITABLE_STATUSES


class MilestoneKind(models.TextChoices):
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")


MILESTONE_ORDER = [MilestoneKind.SIGNED, MilestoneKind.STARTED, MilestoneKind.COMPLETED]


class Milestone(Claim):
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    kind = models.CharField(_("节点"), max_length=20, choices=MilestoneKind.choices)
    date = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "date"]
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_milestone_per_kind"),
        ]
        indexes = [models.Index(fields=["kind", "status", "date"])]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()} {self.date}"

    @property
    def claim_date(self):
        return self.date


class MonthlyInvestment(Claim):
    """Fixed-asset investment completed in one month (固定资产投资), 万元."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="investments", verbose_name=_("项目")
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    amount = AmountField(_("完成固定资产投资（万元）"))
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("月度固定资产投资")
        verbose_name_plural = _("月度固定资产投资")
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="one_investment_per_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="investment_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "month"])]

    def __str__(self):
        return f"{self.project} · {self.month:%Y-%m}"

    def save(self, *args, **kwargs):
        if self.month:
            self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)

    @property
    def claim_date(self):
        return self.month


class FundsSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业和个人投资")
    UPPER = "upper", _("向上争取资金")
    LOAN = "loan", _("中长期贷款")


class FundsEntry(Claim):
    """实际到位资金: a dated amount received, with its source and a bank receipt."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="funds", verbose_name=_("项目")
    )
    date = models.DateField(_("到账日期"))
    source = models.CharField(_("资金来源"), max_length=20, choices=FundsSource.choices)
    is_foreign = models.BooleanField(_("境外资金"), default=False)
    amount = AmountField(_("到位金额（万元）"))
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "date"]
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funds_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "date"])]

    def __str__(self):
        return f"{self.project} · {self.get_source_display()} {self.date}"

    @property
    def claim_date(self):
        return self.date


def evidence_path(instance, filename):
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Evidence(models.Model):
    """An evidence file (contract scan, permit, photos, bank receipt) attached to one claim.

    Stored under MEDIA_ROOT (outside static/), served only by a permission-checking view.
    """

    milestone = models.ForeignKey(
        Milestone, models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    investment = models.ForeignKey(
        MonthlyInvestment, models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    funds = models.ForeignKey(
        FundsEntry, models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(milestone__isnull=False, investment__isnull=True, funds__isnull=True)
                    | Q(milestone__isnull=True, investment__isnull=False, funds__isnull=True)
                    | Q(milestone__isnull=True, investment__isnull=True, funds__isnull=False)
                ),
                name="evidence_belongs_to_one_claim",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def claim(self):
        return self.milestone or self.investment or self.funds


class ClaimEvent(models.Model):
    """One step of a claim's workflow: who moved it from which status to which, and why."""

    milestone = models.ForeignKey(
        Milestone, models.CASCADE, null=True, blank=True, related_name="events"
    )
    investment = models.ForeignKey(
        MonthlyInvestment, models.CASCADE, null=True, blank=True, related_name="events"
    )
    funds = models.ForeignKey(
        FundsEntry, models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=ClaimStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=ClaimStatus.choices)
    comment = models.TextField(_("意见"), blank=True)
    created = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("核实记录")
        verbose_name_plural = _("核实记录")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


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

    class Meta:
        ordering = ["-created"]
        verbose_name = _("招商线索")
        verbose_name_plural = _("招商线索")

    def __str__(self):
        return self.investor_name


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

    class Meta:
        ordering = ["-date"]
        verbose_name = _("客商接待")
        verbose_name_plural = _("客商接待")

    def __str__(self):
        return f"{self.date} {self.investor_name}"


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


class ProjectSettings(models.Model):
    """City-wide thresholds for reporting and alerts (a single row; `ProjectSettings.load()`)."""

    report_deadline_day = models.PositiveSmallIntegerField(
        _("月报截止日（次月几号）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
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


class DuplicateKind(models.TextChoices):
    SAME_INVESTOR = "same_investor", _("同一投资方被两个单位申报")
    SIMILAR_NAME = "similar_name", _("投资方与项目名称高度相似")
    SIGNED_AGAIN = "signed_again", _("以后年度重复签约")
    SAME_EVIDENCE = "same_evidence", _("同一佐证材料用于不同申报")
    SHARES_OVER = "shares_over", _("分成比例合计超过 100%")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    MERGED = "merged", _("已合并")
    KEPT = "kept", _("保留两者")
    REJECTED = "rejected", _("已驳回")


class DuplicateFlag(models.Model):
    """A suspected double count or fraud signal for a reviewer to resolve."""

    kind = models.CharField(_("类型"), max_length=20, choices=DuplicateKind.choices)
    project_a = models.ForeignKey(
        Project, models.CASCADE, related_name="flags_as_a", verbose_name=_("项目甲")
    )
    project_b = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="flags_as_b",
        verbose_name=_("项目乙"),
    )
    detail = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("处理状态"), max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    resolution_reason = models.TextField(_("处理理由"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created = models.DateTimeField(_("发现时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "-created"]
        verbose_name = _("重复/异常标记")
        verbose_name_plural = _("重复/异常标记")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "project_a", "project_b"], name="one_flag_per_pair_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.project_a} / {self.project_b or '—'}"
