"""Intermediary rewards (中介人引资奖励, issue 19 item 4): the year's rule, the year's list and
each intermediary's row, and the log of every change of an amount.

The seeds reward "具有突出贡献的引资中介人"; published rules pay intermediaries 0.5–5‰ of the
verified funds in place of the projects they introduced, with caps. A year's `RewardRule` holds
the rate (‰), the cap per project and per person and the minimum (万元); its defaults
(`DEFAULT_RULE`) are 1‰, 20 万元 a project, 50 万元 a person and no reward under 0.2 万元
(2,000 元) — the middle of the published range, caps in the range those rules name.

A year's `RewardList` moves 拟奖励 → 公示 (a period) → 已审定 → 已发放 (who paid, when, 文号).
Each `Reward` row keeps the amount and the basis it was computed from (the funds credited per
project); once 公示 has started an amount changes only with a reason, recorded as a
`RewardChange`; once paid a row is frozen. Both rules are the guard's (`zhaoshang.guard`
`RewardRowRule`), so the admin and a shell are refused as the pages are.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.append_only import AppendOnlyModel
from zhaoshang.guarded import GuardedModel, GuardedQuerySet

ZERO = Decimal(0)
MAX_RATE = Decimal(50)  # ‰: ten times the top of the published range, a typo guard
DEFAULT_RULE = {
    "rate": Decimal("1.00"),
    "project_cap": Decimal("20.00"),
    "person_cap": Decimal("50.00"),
    "minimum": Decimal("0.20"),
}
NON_NEGATIVE = [MinValueValidator(ZERO, message="不能为负数。")]


class RewardRule(models.Model):
    """The reward rule of an assessment year (the office edits it on the rewards page)."""

    year = models.OneToOneField(
        "assessment.AssessmentYear",
        models.CASCADE,
        related_name="reward_rule",
        verbose_name=_("考核年度"),
    )
    rate = models.DecimalField(
        _("奖励比例（‰）"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_RULE["rate"],
        validators=[
            MinValueValidator(ZERO, message="奖励比例应在 0‰ 至 50‰ 之间。"),
            MaxValueValidator(MAX_RATE, message="奖励比例应在 0‰ 至 50‰ 之间。"),
        ],
        help_text=_("按已核实实际到位资金的千分比计算。"),
    )
    project_cap = models.DecimalField(
        _("单个项目奖励上限（万元）"),
        max_digits=12,
        decimal_places=2,
        default=DEFAULT_RULE["project_cap"],
        validators=NON_NEGATIVE,
    )
    person_cap = models.DecimalField(
        _("每人奖励上限（万元）"),
        max_digits=12,
        decimal_places=2,
        default=DEFAULT_RULE["person_cap"],
        validators=NON_NEGATIVE,
    )
    minimum = models.DecimalField(
        _("起奖金额（万元）"),
        max_digits=12,
        decimal_places=2,
        default=DEFAULT_RULE["minimum"],
        validators=NON_NEGATIVE,
        help_text=_("计算所得奖励低于此金额的不予奖励。"),
    )
    updated = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("中介人奖励规则")
        verbose_name_plural = _("中介人奖励规则")

    def __str__(self):
        return f"{self.year.year}年中介人奖励规则"


class RewardStatus(models.TextChoices):
    DRAFT = "draft", _("拟奖励")
    PUBLICISED = "publicised", _("公示")
    APPROVED = "approved", _("已审定")
    PAID = "paid", _("已发放")


# Order of the workflow; from 公示 on an amount changes only with a reason.
STATUS_ORDER = [s.value for s in RewardStatus]
PUBLIC_STATUSES = (RewardStatus.PUBLICISED, RewardStatus.APPROVED, RewardStatus.PAID)


class RewardList(models.Model):
    """A year's list of intermediary rewards and where it stands in the workflow."""

    year = models.OneToOneField(
        "assessment.AssessmentYear",
        models.PROTECT,
        related_name="reward_list",
        verbose_name=_("考核年度"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=RewardStatus.choices, default=RewardStatus.DRAFT
    )
    computed = models.DateTimeField(_("计算时间"), null=True, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    approved = models.DateTimeField(_("审定时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_by = models.CharField(_("发放经办"), max_length=100, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    document_no = models.CharField(_("发放文号"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("中介人奖励名单")
        verbose_name_plural = _("中介人奖励名单")

    def __str__(self):
        return f"{self.year.year}年中介人引资奖励名单"

    @property
    def is_public(self):
        return self.status in PUBLIC_STATUSES


class Reward(GuardedModel):
    """One intermediary's reward of a year: the amount, what it was computed from, the status."""

    reward_list = models.ForeignKey(
        RewardList, models.CASCADE, related_name="rewards", verbose_name=_("奖励名单")
    )
    person = models.ForeignKey(
        "projects.Person", models.PROTECT, related_name="rewards", verbose_name=_("中介人")
    )
    funds = models.DecimalField(_("计奖到位资金（万元）"), max_digits=16, decimal_places=2)
    computed_amount = models.DecimalField(_("计算金额（万元）"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(
        _("奖励金额（万元）"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    # [{project_id, name, funds, share, credited, reward}] as computed (strings for Decimals).
    basis = models.JSONField(_("计算依据"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=RewardStatus.choices, default=RewardStatus.DRAFT
    )

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name = _("中介人奖励")
        verbose_name_plural = _("中介人奖励")
        ordering = ["-amount", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reward_list", "person"], name="one_reward_per_person")
        ]

    def __str__(self):
        return f"{self.person.name}：{self.amount} 万元"


class RewardChange(AppendOnlyModel):
    """A change of a reward's amount (append-only): old → new, the reason, who and when."""

    reward = models.ForeignKey(
        Reward, models.CASCADE, related_name="changes", verbose_name=_("中介人奖励")
    )
    old_amount = models.DecimalField(_("原金额（万元）"), max_digits=12, decimal_places=2)
    new_amount = models.DecimalField(_("新金额（万元）"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("调整理由"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调整人"),
    )
    created = models.DateTimeField(_("调整时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("中介人奖励调整记录")
        verbose_name_plural = _("中介人奖励调整记录")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.old_amount} → {self.new_amount}"
