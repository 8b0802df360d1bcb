"""The figures units claim for a project (SPEC §3, §4): milestones, monthly fixed-asset investment
and funds in place, with their evidence files and workflow events.

They are *claims*: they count in an assessment only once approved. The workflow itself lives in
`projects.claims`.
"""

import contextlib

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.fields import AmountField, CodeField, new_funds_code
from projects.models.project import Project
from projects.models.reports import MonthlyReport
from projects.models.verification import EvidenceKind
from units import access
from zhaoshang.append_only import AppendOnlyModel, InsertTimeField
from zhaoshang.guarded import GuardedModel, GuardedQuerySet


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


class ClaimQuerySet(GuardedQuerySet):
    def visible_to(self, user):
        """Claims the user may read. Drafts stay with their own unit until submitted (SPEC §1);
        a coordinator reads a member unit's claims of the years it was a member, by claim date."""
        year_field = f"{self.model.claim_date_field}__year"
        qs = self.filter(
            access.visible_unit_filter(user, field="project__unit", year_field=year_field)
        )
        if not access.is_admin(user):
            qs = qs.filter(~Q(status=ClaimStatus.DRAFT) | drafts_filter(user))
        return qs


def drafts_filter(user):
    """Q of the claims whose drafts the user may read: their own unit's; an admin's, every claim
    (an empty Q). The same path holds on a claim's history rows, whose draft-stage edits stay
    with these readers too (`projects.history.readable_claim_records`)."""
    if access.is_admin(user):
        return Q()
    if access.is_unit_user(user) and user.unit_id:
        return Q(project__unit_id=user.unit_id)
    return Q(pk__in=[])


class Claim(GuardedModel):
    """Shared fields of every claim. `claim_date` is the date that decides its period, read from
    the field named by `claim_date_field`."""

    claim_date_field = "date"

    status = models.CharField(
        _("核实状态"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)
    # 认定 (SPEC §4): set by the office at 审核 or 现场评估, through the workflow only
    # (`projects.claims`); blank = the claimed figure is recognised as it is.
    recognised_amount = AmountField(_("认定金额（万元）"), null=True, blank=True)
    not_recognised = models.BooleanField(_("不予认定"), default=False)
    recognition_reason = models.TextField(_("认定理由"), blank=True)
    # When the claim was last submitted (申报, 重新申报, a reopening, an import of 已申报 rows):
    # the start of its wait in the review queue (issue 21). Kept by every path that moves a
    # claim to 已申报 (`projects.claims._record`, the workbook import), so the queue sorts and
    # filters on an indexed column instead of a correlated subquery over the ClaimEvent history.
    # Blank = never submitted (a draft, a claim imported as verified).
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True, editable=False)

    objects = ClaimQuerySet.as_manager()
    # submitted_at is a timestamp carrying no figure, moved only with the status.
    GUARD_FREE_FIELDS = ("version", "updated", "submitted_at")

    class Meta:
        abstract = True

    @property
    def is_approved(self):
        return self.status == ClaimStatus.APPROVED

    @property
    def is_editable_status(self):
        return self.status in EDITABLE_STATUSES

    @property
    def claim_date(self):
        return getattr(self, self.claim_date_field)

    # Figures a monthly report (月报) gathers; milestones are not part of it.
    counted_in_monthly_report = True

    def zero_report_error(self):
        """`MonthlyReport.zero_report_error` for this claim's unit and date, or None."""
        if not self.counted_in_monthly_report:
            return None
        try:
            project = self.project  # may be a new, unsaved project (the workbook import)
        except ObjectDoesNotExist:
            return None
        return MonthlyReport.zero_report_error(project.unit_id, self.claim_date)

    def clean(self):
        super().clean()
        error = self.zero_report_error()
        if error:
            raise ValidationError({self.claim_date_field: error})


class MilestoneKind(models.TextChoices):
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")


MILESTONE_ORDER = [MilestoneKind.SIGNED, MilestoneKind.STARTED, MilestoneKind.COMPLETED]
COMPLETED_NEEDS_STARTED = "竣工须在开工之后：该项目还没有开工节点，请先填报开工节点。"


def milestone_order_error(dates, kind):
    """Why the milestone `kind` breaks the order 签约 ≤ 开工 ≤ 竣工 (SPEC §3) among the project's
    milestone `dates` ({kind: date}, drafts included), or None.

    Only rules involving `kind` are checked, so an old inconsistency elsewhere does not block an
    unrelated edit. A 竣工 needs a 开工 (issue 15: a draft 竣工 with no 开工 made the project
    竣工投产); a 开工 without 签约 stays allowed, as for carried-over projects signed before the
    system.
    """
    if kind == MilestoneKind.COMPLETED and MilestoneKind.STARTED not in dates:
        return COMPLETED_NEEDS_STARTED
    labels = dict(MilestoneKind.choices)
    for i, earlier in enumerate(MILESTONE_ORDER):
        for later in MILESTONE_ORDER[i + 1 :]:
            if kind not in (earlier, later) or earlier not in dates or later not in dates:
                continue
            if dates[earlier] > dates[later]:
                return (
                    f"节点日期顺序不对：{labels[earlier]}日期（{dates[earlier]}）"
                    f"不能晚于{labels[later]}日期（{dates[later]}）。"
                )
    return None


class Milestone(Claim):
    counted_in_monthly_report = False

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
        indexes = [
            models.Index(fields=["kind", "status", "date"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()} {self.date}"

    def order_error(self):
        """`milestone_order_error` of this milestone against the project's others, or None."""
        if not self.kind or not self.date or not self.project_id:
            return None
        others = Milestone.objects.filter(project_id=self.project_id).exclude(pk=self.pk)
        dates = dict(others.values_list("kind", "date"))
        return milestone_order_error({**dates, self.kind: self.date}, self.kind)

    def clean(self):
        """Every save through a form checks the order, drafts included (the workflow checks it
        again on submit, `projects.claims.transition`)."""
        super().clean()
        error = self.order_error()
        if error:
            raise ValidationError({"date": error})


class MonthlyInvestment(Claim):
    """Fixed-asset investment completed in one month (固定资产投资), 万元."""

    claim_date_field = "month"

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
        indexes = [
            models.Index(fields=["status", "month"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.project} · {self.month:%Y-%m}"

    def save(self, *args, **kwargs):
        if self.month:
            self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)


class FundsSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业和个人投资")
    UPPER = "upper", _("向上争取资金")
    LOAN = "loan", _("中长期贷款")


class FundsRegion(models.TextChoices):
    """来源地 of funds in place (issue 17): a year may count only funds from outside the city
    (`Indicator.outside_city_only`); blank = not stated (entries from before the rule)."""

    IN_CITY = "in_city", _("市域内")
    IN_PROVINCE = "in_province", _("市域外（省内）")
    OUT_PROVINCE = "out_province", _("省外")
    ABROAD = "abroad", _("境外")


# The regions that count under 仅计市域外资金; a blank region never does (nothing shows it came
# from outside the city).
OUTSIDE_CITY_REGIONS = [FundsRegion.IN_PROVINCE, FundsRegion.OUT_PROVINCE, FundsRegion.ABROAD]


class FundsEntry(Claim):
    """实际到位资金: a dated amount received, with its source and a bank receipt. Two equal
    tranches on one day are two entries; `code` (编号) tells them apart in workbooks."""

    code = CodeField(_("编号"), new_funds_code, "到位资金")
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="funds", verbose_name=_("项目")
    )
    date = models.DateField(_("到账日期"))
    source = models.CharField(_("资金来源"), max_length=20, choices=FundsSource.choices)
    is_foreign = models.BooleanField(_("境外资金"), default=False)
    source_region = models.CharField(
        _("资金来源地"),
        max_length=20,
        choices=FundsRegion.choices,
        blank=True,
        help_text=_("年度仅计市域外资金时，申报须填写"),
    )
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
        indexes = [
            models.Index(fields=["status", "date"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_source_display()} {self.date}"


def evidence_path(instance, filename):
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Evidence(GuardedModel):
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
    kind = models.CharField(
        _("类型"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.OTHER
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

    # Who attached or deleted which file when: deleting evidence keeps its history (issue 15).
    history = HistoricalRecords()
    objects = GuardedQuerySet.as_manager()
    # The file moves from incoming/ to its place when the row commits (projects.evidence).
    GUARD_FREE_FIELDS = ("file",)

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

    @classmethod
    def remove_unreferenced_file(cls, name):
        """Remove a stored file unless a row still names it (the same file attached to two
        claims is stored once)."""
        if not name or cls.objects.filter(file=name).exists():
            return
        # A file left behind is harmless; a failed removal must not undo the row's deletion.
        with contextlib.suppress(OSError):
            cls._meta.get_field("file").storage.delete(name)


@receiver(post_delete, sender=Evidence)
def _remove_file_after_delete(sender, instance, **kwargs):
    """A deleted row's file goes once the deletion commits (a rollback keeps both); cascades
    from a deleted claim or project come here too."""
    name = instance.file.name
    transaction.on_commit(lambda: Evidence.remove_unreferenced_file(name))


class ClaimEvent(AppendOnlyModel):
    """One step of a claim's workflow: who moved it from which status to which, and why.

    Append-only (issue 15): the timeline is the audit trail, so an event is never edited or
    deleted; a correction is a new step."""

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
    # What the step recognised (认定金额 / 不予认定), beside the claimed figure it saw.
    claimed_amount = AmountField(_("申报金额（万元）"), null=True, blank=True)
    recognised_amount = AmountField(_("认定金额（万元）"), null=True, blank=True)
    not_recognised = models.BooleanField(_("不予认定"), default=False)
    # The structured record of 现场评估 (visit_date, inspectors, result) and 会办确认
    # (departments, decision): `projects.steps`.
    details = models.JSONField(_("环节记录"), default=dict, blank=True)
    created = InsertTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("核实记录")
        verbose_name_plural = _("核实记录")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def detail_items(self):
        """[(label, value)] of the step's structured record (`projects.steps.DETAIL_LABELS`)."""
        from projects.steps import DETAIL_LABELS

        details = self.details or {}
        return [(label, details[key]) for key, label in DETAIL_LABELS.items() if key in details]
