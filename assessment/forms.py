"""Forms of the assessment pages; every bad input becomes a Chinese message, nothing saved."""

from decimal import Decimal

from django import forms

from assessment.models import MAX_TARGET, AssessmentYear, Indicator, ScoreAdjustment
from projects.models import MAX_AMOUNT, Category, EvidenceKind, default_evidence_rules
from projects.models.fields import too_large_message
from projects.models.verification import REQUIREMENT_LABELS
from zhaoshang.web.forms import BootstrapMixin, validate_year


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写理由。"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写理由。")
        return reason


class AdjustmentForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ScoreAdjustment
        fields = ["points", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "points": {"required": "请填写分值。", "invalid": "分值必须是数字。"},
            "reason": {"required": "请填写加减分理由。"},
        }

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError("分值不能为 0。")
        return points


# The workflow's settings stay editable in a published year (`zhaoshang.guard.YearRule.FREE`:
# they decide who may act next, never a figure counted); every other field of the form is a rule.
YEAR_FREE_FIELDS = ("site_assessment", "separate_duties", "note", "year")


def evidence_field(key):
    """The year form's field of one claim type's required evidence ('evidence_funds' …)."""
    return f"evidence_{key}"


class YearForm(BootstrapMixin, forms.ModelForm):
    excluded_categories = forms.MultipleChoiceField(
        label="不计入考核的项目类别",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AssessmentYear
        fields = [
            "year",
            "score_cap",
            "echelon_first",
            "echelon_second",
            "progress_q1",
            "progress_q2",
            "progress_q3",
            "progress_q4",
            "site_assessment",
            "excluded_categories",
            "tie_break",
            "tie_break_indicator",
            "zero_progress_third",
            "first_echelon_floor",
            "min_indicators",
            "rank_by_unit_type",
            "escalation_display",
            "escalation_follows_head",
            "issuing_office",
            "separate_duties",
            "filing_required",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    RULE_FIELDS = [f for f in Meta.fields if f not in YEAR_FREE_FIELDS]

    def __init__(self, *args, rules_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(validate_year)
        if self.instance.pk:
            self.fields["year"].disabled = True
        if rules_locked:
            for name in self.RULE_FIELDS:
                self.fields[name].disabled = True
        # 申报所需佐证材料 (issue 17 item 1): one row of checkboxes per claim type; any one kind
        # ticked satisfies a claim, none ticked makes the evidence optional.
        rules = self.instance.evidence_rules if self.instance.pk else default_evidence_rules()
        for key, label in REQUIREMENT_LABELS.items():
            self.fields[evidence_field(key)] = forms.MultipleChoiceField(
                label=f"{label}申报所需佐证材料（任一即可，不选为可不附）",
                choices=[(k.value, k.label) for k in EvidenceKind if k != EvidenceKind.OTHER],
                required=False,
                initial=list((rules or {}).get(key, [])),
                widget=forms.CheckboxSelectMultiple,
            )

    def clean(self):
        data = super().clean()
        self.instance.evidence_rules = {
            key: list(data.get(evidence_field(key)) or []) for key in REQUIREMENT_LABELS
        }
        return data

    def _clean_progress(self, name):
        # Checked here so the model's 100 % validator, whose message ("100%。") Django would
        # %-format and fail on, never sees a value above 100 (a 500 before).
        value = self.cleaned_data.get(name)
        if value is not None and value > 100:
            raise forms.ValidationError("序时进度不能超过 100%。")
        return value

    def clean_progress_q1(self):
        return self._clean_progress("progress_q1")

    def clean_progress_q2(self):
        return self._clean_progress("progress_q2")

    def clean_progress_q3(self):
        return self._clean_progress("progress_q3")

    def clean_progress_q4(self):
        return self._clean_progress("progress_q4")


class IndicatorForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "kind",
            "milestone",
            "investment_basis",
            "threshold",
            "new_only",
            "funds_source",
            "outside_city_only",
            "display_unit",
            "weight",
            "score_cap",
            "order",
        ]

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if year is not None:
            self.instance.year = year

    def clean_threshold(self):
        threshold = self.cleaned_data.get("threshold")
        if threshold is not None and threshold > MAX_AMOUNT:
            raise forms.ValidationError(too_large_message("门槛"))
        return threshold

    def validate_unique(self):
        # year is not a form field, so check the (year, code) uniqueness here in Chinese.
        super().validate_unique()
        code = self.cleaned_data.get("code")
        clash = Indicator.objects.filter(year=self.instance.year, code=code).exclude(
            pk=self.instance.pk
        )
        if code and clash.exists():
            self.add_error("code", "本年度已有相同代码的指标。")


def parse_target(raw):
    """'12.5' → Decimal; '' → None; raises ValueError with a Chinese message otherwise."""
    raw = (raw or "").strip().replace(",", "").replace("，", "")
    if raw == "":
        return None
    try:
        value = Decimal(raw)
    except ArithmeticError as exc:
        raise ValueError("不是有效的数字") from exc
    if not value.is_finite():
        raise ValueError("不是有效的数字")
    if value < 0:
        raise ValueError("不能为负数")
    if value > MAX_TARGET:
        raise ValueError("数值过大，请核对单位")
    if value.as_tuple().exponent < -2:
        raise ValueError("最多保留两位小数")
    return value
