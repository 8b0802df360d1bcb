"""Assessment years, indicators, targets and score adjustments (SPEC §5).

Field names map onto the workbook columns of SPEC §6:
考核指标 — 年度 `year.year`, 代码 `code`, 名称 `name`, 类型 `kind`, 节点 `milestone`,
投资口径 `investment_basis`, 门槛(万元) `threshold`, 仅新引进 `new_only`, 资金来源 `funds_source`,
权重 `weight`; 目标 — 年度 `indicator.year.year`, 对象 `unit` or `group`, 指标代码 `indicator.code`,
年度目标 `value`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.fields import (
    ProgressField,
    TargetValueField,
    parse_fraction,
    validate_fraction,
)
from assessment.models.snapshots import SnapshotStatus
from projects.models import (
    REQUIREMENT_LABELS,
    Category,
    EvidenceKind,
    FundsSource,
    MilestoneKind,
    default_evidence_rules,
    kinds_label,
)
from units.models import CollaborationGroup, Unit
from zhaoshang.guarded import GuardedModel, GuardedQuerySet


class EscalationDisplay(models.TextChoices):
    """How escalation (批评诫勉 / 黄牌警告 / …) shows before the year ends (issue 17 item 7)."""

    PROJECTED = "projected", _("年中按当前进度预计并标注")
    YEAR_END = "year_end", _("仅在第四季度显示")
    # Years published before issue 17 showed it "as of now" without a label; they keep that.
    AS_OF_NOW = "as_of_now", _("年中按当前进度显示（不标注，旧规则）")


class AssessmentYear(GuardedModel):
    """One year's rules: indicators (related), cap, echelon fractions, time progress, eligibility.

    Echelon fractions are stored as exact fractions ("1/3") so ⌈N·f⌉ is exact.

    The echelon rules of issue 17 (`assessment.echelons`) default on for a new year; the migration
    that added them set every year that already had an announced quarter to the old behaviour
    (no tie-break, no 零进度/floor rule, every assessed unit ranked, one ranking, escalation
    "as of now"), so a year whose quarter is published keeps the rules it was published under.
    """

    year = models.PositiveIntegerField(_("年度"), unique=True)
    score_cap = models.DecimalField(
        _("单项得分上限（完成率封顶）"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.20"),
        validators=[MinValueValidator(Decimal("1"), message=_("封顶值不能小于 1。"))],
        help_text=_("完成率超过此值按此值计分，默认 1.2（即 120%）"),
    )
    echelon_first = models.CharField(
        _("第一方阵比例"), max_length=20, default="1/3", validators=[validate_fraction]
    )
    echelon_second = models.CharField(
        _("第二方阵累计比例"), max_length=20, default="2/3", validators=[validate_fraction]
    )
    progress_q1 = ProgressField(_("一季度序时进度（%）"), 25)
    progress_q2 = ProgressField(_("二季度序时进度（%）"), 50)
    progress_q3 = ProgressField(_("三季度序时进度（%）"), 75)
    progress_q4 = ProgressField(_("四季度序时进度（%）"), 100)
    site_assessment = models.BooleanField(
        _("启用现场评估"), default=True, help_text=_("关闭后，申报审核通过即进入会办确认")
    )
    excluded_categories = models.JSONField(_("不计入考核的项目类别"), default=list, blank=True)
    tie_break = models.BooleanField(
        _("同分细分排名"),
        default=True,
        help_text=_(
            "得分（两位小数）相同时依次按精确得分、精确总体完成率、指定指标完成率排名，全部相同才并列"
        ),
    )
    tie_break_indicator = models.SlugField(
        _("细分排名参考指标代码"),
        max_length=40,
        blank=True,
        help_text=_("同分时最后比较的指标（填指标代码）；留空则不比较"),
    )
    zero_progress_third = models.BooleanField(
        _("零进度单位列第三方阵"),
        default=True,
        help_text=_("各项考核指标完成数均为 0 的单位一律列第三方阵"),
    )
    first_echelon_floor = models.DecimalField(
        _("第一方阵完成率门槛（占序时进度比例）"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[
            MinValueValidator(Decimal("0"), message=_("门槛比例应在 0 到 1 之间。")),
            MaxValueValidator(Decimal("1"), message=_("门槛比例应在 0 到 1 之间。")),
        ],
        help_text=_("总体完成率低于“序时进度 × 此比例”的单位不列第一方阵；默认 0.5，填 0 不设门槛"),
    )
    min_indicators = models.PositiveSmallIntegerField(
        _("参与排名的最少考核指标数"),
        default=2,
        validators=[MinValueValidator(1, message=_("最少考核指标数不能小于 1。"))],
        help_text=_("考核指标少于此数的单位单列，不参与排名和方阵划分；默认 2"),
    )
    rank_by_unit_type = models.BooleanField(
        _("按单位类型分别排名"),
        default=False,
        help_text=_("县区、园区、市直部门等分别排名、分别划分方阵"),
    )
    escalation_display = models.CharField(
        _("年中问责显示方式"),
        max_length=20,
        choices=EscalationDisplay.choices,
        default=EscalationDisplay.PROJECTED,
    )
    # Heads in post (issue 20 item 2): count the consecutive years not completed by unit (as
    # before), or only the years under the head now in post (reset when the head changes).
    escalation_follows_head = models.BooleanField(
        _("问责连续年数随主要负责人重新计算"),
        default=False,
        help_text=_("开启后，单位主要负责人更换时连续未完成任务年数重新起算；默认按单位连续计算"),
    )
    # The 落款 of the 通报 and the ranking workbook (issue 22): a year rule like the others, so
    # frozen with them once a quarter is published; blank prints no 落款 (as before).
    issuing_office = models.CharField(
        _("落款单位"),
        max_length=100,
        blank=True,
        help_text=_("通报和排名表落款的发文单位，如“某某市招商引资工作领导小组办公室”"),
    )
    # Verification (SPEC §4, issue 17): which evidence each claim type needs to be submitted
    # ({'funds': ['receipt'], ...}: any one listed kind; [] = optional), and whether one person
    # may perform two different steps of one claim. Both decide who may act, never a figure.
    evidence_rules = models.JSONField(
        _("申报所需佐证材料"), default=default_evidence_rules, blank=True
    )
    separate_duties = models.BooleanField(
        _("审核环节分人办理"),
        default=True,
        help_text=_("开启后，同一人不能办理同一申报的两个不同环节"),
    )
    # 备案 before claims count (SPEC §4, issue 17), off by default: when on, a project's claims
    # count only once its 备案日期 lies on or before the period end (`assessment.actuals`).
    filing_required = models.BooleanField(
        _("项目备案后方计入考核"),
        default=False,
        help_text=_("开启后，未备案（或备案日期晚于考核期末）项目的申报不计入"),
    )
    # Set by a recorded unlock; publishing a quarter locks the rules again.
    rules_unlocked = models.BooleanField(_("考核规则已解锁"), default=False, editable=False)
    note = models.TextField(_("说明"), blank=True)
    # Who changed which rule from which value to which (SPEC §4), shown on the year's page.
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("考核年度")
        verbose_name_plural = _("考核年度")

    def __str__(self):
        return f"{self.year}年度"

    def get_absolute_url(self):
        return reverse("assessment:year_detail", args=[self.year])

    def clean(self):
        try:
            first, second = parse_fraction(self.echelon_first), parse_fraction(self.echelon_second)
        except (ValueError, ZeroDivisionError):
            return
        if second < first:
            raise ValidationError({"echelon_second": _("第二方阵累计比例不能小于第一方阵比例。")})
        steps = [self.progress_q1, self.progress_q2, self.progress_q3, self.progress_q4]
        if None not in steps and steps != sorted(steps):
            raise ValidationError(_("各季度序时进度应逐季不减。"))
        if (
            self.tie_break_indicator
            and self.pk
            and not self.indicators.filter(code=self.tie_break_indicator).exists()
        ):
            raise ValidationError({"tie_break_indicator": _("本年度没有该代码的考核指标。")})
        unknown = set(self.excluded_categories or []) - set(Category.values)
        if unknown:
            raise ValidationError({"excluded_categories": _("项目类别无效。")})
        rules = self.evidence_rules
        if not isinstance(rules, dict) or any(
            key not in REQUIREMENT_LABELS
            or not isinstance(kinds, list)
            or set(kinds) - set(EvidenceKind.values)
            for key, kinds in rules.items()
        ):
            raise ValidationError({"evidence_rules": _("申报所需佐证材料设置无效。")})

    def evidence_rule_items(self):
        """[(claim type, what it needs)] for the year's page: 到位资金 → 到账凭证, … 不需要."""
        rules = self.evidence_rules if isinstance(self.evidence_rules, dict) else {}
        return [
            (label, kinds_label(rules.get(key, [])) or "可不附")
            for key, label in REQUIREMENT_LABELS.items()
        ]

    def first_floor(self, quarter):
        """The R (percent) below which a unit is never 第一方阵 in `quarter`, or None."""
        return self.floor_at(self.expected_progress(quarter))

    def floor_at(self, expected):
        """The first-echelon floor for a period whose expected progress is `expected` (a
        quarter's 序时进度, or a campaign's time progress), or None when the year has none."""
        if not self.first_echelon_floor:
            return None
        return self.first_echelon_floor * expected

    def expected_progress(self, quarter):
        return [self.progress_q1, self.progress_q2, self.progress_q3, self.progress_q4][quarter - 1]

    def echelon_fractions(self):
        return parse_fraction(self.echelon_first), parse_fraction(self.echelon_second)

    def excluded_category_labels(self):
        labels = dict(Category.choices)
        return [labels.get(c, c) for c in self.excluded_categories or []]

    def has_published(self):
        return self.snapshots.filter(status=SnapshotStatus.PUBLISHED).exists()

    def rules_locked(self):
        """A year with a published quarter keeps its rules unless a reviewer unlocked them."""
        return not self.rules_unlocked and self.has_published()


class IndicatorKind(models.TextChoices):
    MILESTONE_COUNT = "milestone_count", _("节点项目个数")
    MILESTONE_INVESTMENT = "milestone_investment", _("节点项目投资额")
    FIXED_ASSET = "fixed_asset", _("固定资产投资")
    FUNDS = "funds", _("实际到位资金")


class InvestmentBasis(models.TextChoices):
    CONTRACTED = "contracted", _("合同投资")
    TOTAL = "total", _("总投资")


class DisplayUnit(models.TextChoices):
    COUNT = "个", _("个")
    WAN = "万元", _("万元")
    YI = "亿元", _("亿元")


class Indicator(GuardedModel):
    """One 考核指标 of a year.

    - milestone_count / milestone_investment: projects whose approved `milestone` falls in the
      period, optionally with `investment_basis` ≥ `threshold` and only new projects;
    - fixed_asset: approved monthly fixed-asset investment in the period; with `milestone` =
      completed it is the 竣工项目完成固定资产投资 variant (projects completed in the period, their
      cumulative investment up to the period end);
    - funds: approved funds in place dated in the period, optionally one `funds_source`.
    """

    year = models.ForeignKey(
        AssessmentYear, models.CASCADE, related_name="indicators", verbose_name=_("年度")
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, choices=IndicatorKind.choices)
    milestone = models.CharField(
        _("节点"), max_length=20, choices=MilestoneKind.choices, blank=True
    )
    investment_basis = models.CharField(
        _("投资口径"), max_length=20, choices=InvestmentBasis.choices, blank=True
    )
    threshold = models.DecimalField(
        _("门槛（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), message=_("门槛不能为负数。"))],
    )
    new_only = models.BooleanField(_("仅新引进"), default=False)
    funds_source = models.CharField(
        _("资金来源"),
        max_length=20,
        choices=FundsSource.choices,
        blank=True,
        help_text=_("留空表示全部来源"),
    )
    # 仅计市域外资金 (SPEC §4, issue 17), off by default: only funds whose 来源地 is outside the
    # city count, and a funds claim of the year needs its 来源地 to be submitted.
    outside_city_only = models.BooleanField(
        _("仅计市域外资金"),
        default=False,
        help_text=_("开启后只计来源地为市域外（省内、省外、境外）的到位资金，申报须填写来源地"),
    )
    display_unit = models.CharField(
        _("显示单位"), max_length=4, choices=DisplayUnit.choices, default=DisplayUnit.COUNT
    )
    weight = models.DecimalField(
        _("权重"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("权重必须大于 0。"))],
    )
    score_cap = models.DecimalField(
        _("本指标完成率封顶"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"), message=_("封顶值必须大于 0。"))],
        help_text=_("留空按年度封顶值；例如填 1 则本指标超额完成不加分"),
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "order", "pk"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="indicator_code_unique_per_year"),
        ]

    def __str__(self):
        return self.name

    @property
    def completed_in_period(self):
        return self.kind == IndicatorKind.FIXED_ASSET and self.milestone == MilestoneKind.COMPLETED

    def clean(self):
        errors = {}
        milestone_kinds = {IndicatorKind.MILESTONE_COUNT, IndicatorKind.MILESTONE_INVESTMENT}
        if self.kind in milestone_kinds and not self.milestone:
            errors["milestone"] = _("节点类指标必须选择节点（签约、开工或竣工）。")
        if self.kind == IndicatorKind.FIXED_ASSET and self.milestone not in (
            "",
            MilestoneKind.COMPLETED,
        ):
            errors["milestone"] = _("固定资产投资指标的节点只能留空或选“竣工”。")
        if self.kind == IndicatorKind.FUNDS and self.milestone:
            errors["milestone"] = _("到位资金指标不设节点。")
        if self.kind == IndicatorKind.MILESTONE_INVESTMENT and not self.investment_basis:
            errors["investment_basis"] = _("投资额指标必须选择投资口径。")
        if self.threshold is not None and not self.investment_basis:
            errors["investment_basis"] = _("设置门槛时必须选择投资口径。")
        if self.funds_source and self.kind != IndicatorKind.FUNDS:
            errors["funds_source"] = _("只有到位资金指标可以限定资金来源。")
        if self.outside_city_only and self.kind != IndicatorKind.FUNDS:
            errors["outside_city_only"] = _("只有到位资金指标可以设置仅计市域外资金。")
        if self.kind == IndicatorKind.MILESTONE_COUNT and self.display_unit != DisplayUnit.COUNT:
            errors["display_unit"] = _("个数类指标的显示单位应为“个”。")
        if self.kind != IndicatorKind.MILESTONE_COUNT and self.display_unit == DisplayUnit.COUNT:
            errors["display_unit"] = _("金额类指标的显示单位应为“万元”或“亿元”。")
        if errors:
            raise ValidationError(errors)


class Target(GuardedModel):
    """An annual target (年度目标) of one unit or one group for one indicator, in the indicator's
    base unit (projects, or 万元)."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="targets", verbose_name=_("指标")
    )
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_targets",
        verbose_name=_("单位"),
    )
    group = models.ForeignKey(
        CollaborationGroup,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="assessment_targets",
        verbose_name=_("协作组"),
    )
    value = TargetValueField(_("年度目标"))
    # The target grid writes in bulk: assessment.targets.write_grid records these rows itself.
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, group__isnull=True)
                    | Q(unit__isnull=True, group__isnull=False)
                ),
                name="target_for_unit_or_group",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit"],
                condition=Q(unit__isnull=False),
                name="one_target_per_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "group"],
                condition=Q(group__isnull=False),
                name="one_target_per_group",
            ),
        ]

    def __str__(self):
        return f"{self.unit or self.group} · {self.indicator}: {self.value}"


class ScoreAdjustment(GuardedModel):
    """加减分: points added to (or, negative, taken from) a unit's score for a year."""

    year = models.ForeignKey(
        AssessmentYear, models.CASCADE, related_name="adjustments", verbose_name=_("年度")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="score_adjustments", verbose_name=_("单位")
    )
    points = models.DecimalField(
        _("分值"),
        max_digits=6,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("-100"), message=_("单次扣分不能超过 100 分。")),
            MaxValueValidator(Decimal("100"), message=_("单次加分不能超过 100 分。")),
        ],
        help_text=_("加分填正数，扣分填负数"),
    )
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("加减分")
        verbose_name_plural = _("加减分")

    def __str__(self):
        return f"{self.unit} {self.points:+}"
