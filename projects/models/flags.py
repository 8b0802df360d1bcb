"""Duplicate and fraud flags (重复/异常标记) a reviewer resolves (SPEC §3 investor identity)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.project import Project


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
