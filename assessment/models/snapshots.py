"""Snapshots of computed quarters and the log of what was done to a year's assessment (SPEC §5).

The year is referred to by its app label ("assessment.AssessmentYear") so this module needs nothing
from `assessment.models.years`, which imports `SnapshotStatus` from here.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.fields import quarter_end
from zhaoshang.append_only import AppendOnlyModel


class SnapshotStatus(models.TextChoices):
    DRAFT = "draft", _("已测算（未发布）")
    PUBLISHED = "published", _("已发布")
    UNLOCKED = "unlocked", _("已解锁")


class SnapshotQuerySet(models.QuerySet):
    def announced(self):
        """Versions that were ever published (published, or unlocked since): the figures that
        were announced. Unlocking keeps `published_at`, so an unlocked version stays announced."""
        return self.filter(published_at__isnull=False)


class Snapshot(models.Model):
    """One computed version of a quarter. `data` holds the serialised AssessmentResult (Decimals as
    strings), so a published snapshot shows the same figures forever."""

    year = models.ForeignKey(
        "assessment.AssessmentYear",
        models.PROTECT,
        related_name="snapshots",
        verbose_name=_("年度"),
    )
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=20, choices=SnapshotStatus.choices, default=SnapshotStatus.DRAFT
    )
    data = models.JSONField(_("测算结果"))
    computed_at = models.DateTimeField(_("测算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unlocked_at = models.DateTimeField(_("解锁时间"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unlock_reason = models.TextField(_("解锁理由"), blank=True)
    # True once the evidence lines behind `data` are stored in `lines` (every snapshot computed
    # since they exist); older snapshots have none and say so where their evidence is shown.
    lines_stored = models.BooleanField(_("已保存佐证明细"), default=False)
    # The year's score adjustments as they were when computed (`assessment.evidence`), so the
    # explanation page of a published quarter lists the ones its scores include.
    adjustments = models.JSONField(_("加减分记录"), default=list, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-year__year", "-quarter", "-version"]
        verbose_name = _("考核快照")
        verbose_name_plural = _("考核快照")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "version"], name="one_snapshot_per_version"
            ),
        ]

    def __str__(self):
        from assessment.formatting import quarter_name  # formatting imports template tags

        return f"{self.year.year}年{quarter_name(self.quarter)} 第{self.version}版"

    @property
    def period_end(self):
        return quarter_end(self.year.year, self.quarter)

    @property
    def is_published(self):
        return self.status == SnapshotStatus.PUBLISHED


class SnapshotLine(models.Model):
    """One claim counted (or reported, not yet verified) in a snapshot, for one credited unit:
    the evidence behind its figures as it was when computed (names included), so a published
    quarter's explanation page and 佐证明细 never move (SPEC §5 Snapshots). The claim is referred
    to by kind and id only: the record stays whatever happens to the claim later."""

    snapshot = models.ForeignKey(Snapshot, models.CASCADE, related_name="lines")
    indicator_code = models.CharField(_("指标代码"), max_length=40)
    claim_kind = models.CharField(_("申报类型"), max_length=20)  # milestone / investment / funds
    claim_id = models.PositiveBigIntegerField(_("申报编号"))
    # What the claim is, as displayed then: 签约 / 固定资产投资 / the funds source.
    claim_label = models.CharField(_("申报说明"), max_length=60, blank=True)
    project_id = models.PositiveBigIntegerField(_("项目编号"))
    project_name = models.CharField(_("项目名称"), max_length=300)
    unit_id = models.PositiveBigIntegerField(_("单位编号"))
    unit_name = models.CharField(_("单位名称"), max_length=200)
    date = models.DateField(_("日期"))
    amount = models.DecimalField(_("数值"), max_digits=16, decimal_places=2)
    share = models.DecimalField(_("分成比例(%)"), max_digits=7, decimal_places=2)
    counted = models.DecimalField(_("计入数"), max_digits=22, decimal_places=6)
    verified = models.BooleanField(_("已审定"))
    # How the office verified the claim (issue 17): the claimed figure beside the recognised one
    # (`amount`; None for milestones, which have no amount to recognise), the 认定理由, and the
    # structured records of its latest 现场评估 and 会办确认 (`projects.steps`).
    claimed = models.DecimalField(
        _("申报金额"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    recognition_reason = models.TextField(_("认定理由"), blank=True)
    site_record = models.JSONField(_("现场评估记录"), default=dict, blank=True)
    meeting_record = models.JSONField(_("会办确认记录"), default=dict, blank=True)

    class Meta:
        ordering = ["snapshot", "indicator_code", "pk"]
        verbose_name = _("快照佐证明细")
        verbose_name_plural = _("快照佐证明细")
        indexes = [models.Index(fields=["snapshot", "unit_id"], name="snapshot_line_unit")]

    def __str__(self):
        return f"{self.snapshot_id} {self.indicator_code} {self.claim_kind}#{self.claim_id}"


class LogAction(models.TextChoices):
    COMPUTE = "compute", _("测算")
    PUBLISH = "publish", _("发布通报")
    UNLOCK_QUARTER = "unlock_quarter", _("解锁季度")
    UNLOCK_RULES = "unlock_rules", _("解锁考核规则")
    CHANGE_RULES = "change_rules", _("修改考核规则")
    CHANGE_TARGETS = "change_targets", _("修改目标")


class AssessmentLog(AppendOnlyModel):
    """Who did what to a year's assessment, when and why (publishing, unlocking, rule changes).

    Append-only (issue 15): publish and unlock reasons are the record, never edited or deleted."""

    year = models.ForeignKey(
        "assessment.AssessmentYear", models.CASCADE, related_name="log", verbose_name=_("年度")
    )
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=LogAction.choices)
    reason = models.TextField(_("理由/说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("考核操作记录")
        verbose_name_plural = _("考核操作记录")

    def __str__(self):
        return f"{self.year} {self.get_action_display()}"
