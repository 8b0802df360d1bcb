"""The ledger of rewards and sanctions (奖惩台账, issue 20 item 1).

Decisions:
- one row is one decision about one unit (and, for 表彰（个人）, one person of the registry) in
  one assessment year, optionally tied to the campaign whose result it rests on;
- rows are 拟议 (proposed from the rules by `assessment.ledger.proposals`, or entered by the
  office), 已确认 (the office confirmed it with a date and a 文号: the decision is a person's,
  recorded with who and when) or 已撤销 (withdrawn with a reason);
- `basis` is a copy of the figures the decision rests on (rank, score, R, echelon, escalation,
  years not completed; where from) taken when it was proposed: the ranking may be recomputed
  later, the decision keeps what it was taken on;
- `head` is the unit's head in post on the day the figures stand for (year end, campaign end);
- a confirmed decision is frozen (the guard, `assessment.ledger.rules`): only its withdrawal
  is recorded; a withdrawn one is never changed; neither is deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.campaign import Campaign
from assessment.models.heads import UnitHead
from assessment.models.years import AssessmentYear
from projects.models import Person
from units.models import Unit
from zhaoshang.guarded import GuardedModel, GuardedQuerySet


class DecisionKind(models.TextChoices):
    COMMEND_UNIT = "commend_unit", _("表彰（单位）")
    COMMEND_PERSON = "commend_person", _("表彰（个人）")
    CRITICISM = "criticism", _("批评诫勉")
    YELLOW_CARD = "yellow_card", _("黄牌警告")
    ADJUST_HEAD = "adjust_head", _("建议调整主要负责人")
    TALK = "talk", _("谈话诫勉")
    OFF_POST = "off_post", _("离岗招商")
    WITHHOLD_SALARY = "withhold_salary", _("缓发省标工资")
    RESTORE_SALARY = "restore_salary", _("恢复省标工资")


# The engine's escalation labels (assessment.engine.ESCALATIONS) and the decision they propose.
ESCALATION_KINDS = {
    "批评诫勉": DecisionKind.CRITICISM,
    "黄牌警告": DecisionKind.YELLOW_CARD,
    "建议调整主要负责人": DecisionKind.ADJUST_HEAD,
}
REWARDS = {DecisionKind.COMMEND_UNIT, DecisionKind.COMMEND_PERSON, DecisionKind.RESTORE_SALARY}


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟议")
    CONFIRMED = "confirmed", _("已确认")
    WITHDRAWN = "withdrawn", _("已撤销")


class DecisionSource(models.TextChoices):
    RULE = "rule", _("按规则生成")
    MANUAL = "manual", _("考核办录入")


class LedgerDecision(GuardedModel):
    year = models.ForeignKey(
        AssessmentYear, models.PROTECT, related_name="ledger_decisions", verbose_name=_("年度")
    )
    campaign = models.ForeignKey(
        Campaign,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_decisions",
        verbose_name=_("会战"),
    )
    kind = models.CharField(_("奖惩类别"), max_length=20, choices=DecisionKind.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="ledger_decisions", verbose_name=_("单位")
    )
    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_decisions",
        verbose_name=_("人员"),
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=DecisionSource.choices, default=DecisionSource.MANUAL
    )
    basis = models.JSONField(_("所依据的考核结果"), default=dict, blank=True)
    head = models.ForeignKey(
        UnitHead,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_decisions",
        verbose_name=_("时任主要负责人"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销理由"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    # What withdrawing a confirmed decision may change (assessment.ledger.rules).
    WITHDRAW_FIELDS = ("status", "withdrawn_reason", "withdrawn_by_id", "withdrawn_at")

    class Meta:
        ordering = ["-year", "unit__sort_order", "unit__name", "pk"]
        verbose_name = _("奖惩决定")
        verbose_name_plural = _("奖惩台账")
        indexes = [models.Index(fields=["year", "status"], name="ledger_year_status")]

    def __str__(self):
        return f"{self.year.year}年 {self.unit} {self.get_kind_display()}"

    @property
    def is_confirmed(self):
        return self.status == DecisionStatus.CONFIRMED

    @property
    def is_proposed(self):
        return self.status == DecisionStatus.PROPOSED

    @property
    def is_reward(self):
        return self.kind in REWARDS

    @property
    def head_name(self):
        return self.head.display_name if self.head_id else ""

    def clean(self):
        errors = {}
        if self.kind == DecisionKind.COMMEND_PERSON and not self.person_id:
            errors["person"] = _("表彰个人请选择受表彰的人员。")
        if self.person_id and self.unit_id and self.person.unit_id not in (None, self.unit_id):
            errors["person"] = _("所选人员不属于该单位。")
        if self.campaign_id and self.year_id and self.campaign.year_id != self.year_id:
            errors["campaign"] = _("会战不属于该年度。")
        if self.status == DecisionStatus.CONFIRMED:
            if not self.decided_on:
                errors["decided_on"] = _("请填写决定日期。")
            if not (self.doc_number or "").strip():
                errors["doc_number"] = _("请填写文号。")
        if errors:
            raise ValidationError(errors)
