"""Ledger forms: every bad input is a Chinese message and nothing is saved."""

from django import forms

from assessment.models import DecisionKind, DecisionStatus, LedgerDecision
from projects.models import Person
from units.models import Unit
from zhaoshang.web.forms import BootstrapMixin, CleanTextField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": "请填写决定日期。", "invalid": "决定日期格式应为 YYYY-MM-DD。"}


class LedgerFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label="奖惩类别", required=False, choices=[("", "全部类别"), *DecisionKind.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *DecisionStatus.choices]
    )
    unit = forms.ModelChoiceField(
        label="单位", required=False, queryset=Unit.objects.all(), empty_label="全部单位"
    )

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("unit"):
            qs = qs.filter(unit=data["unit"])
        return qs


class ConfirmForm(BootstrapMixin, forms.Form):
    decided_on = forms.DateField(label="决定日期", widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    doc_number = CleanTextField(
        label="文号",
        max_length=100,
        error_messages={"required": "请填写文号。", "max_length": "文号不能超过 100 个字。"},
        help_text="如：招考〔2026〕5号",
    )
    reason = CleanTextField(
        label="事由", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class WithdrawForm(BootstrapMixin, forms.Form):
    withdrawn_reason = CleanTextField(
        label="撤销理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写撤销理由。"},
    )


class DecisionForm(BootstrapMixin, forms.ModelForm):
    """A decision the office records by hand (谈话诫勉, 缓发省标工资, 表彰个人 …)."""

    confirm_now = forms.BooleanField(
        label="直接登记为已确认", required=False, initial=True, help_text="需填写决定日期和文号"
    )

    class Meta:
        model = LedgerDecision
        fields = ["kind", "unit", "person", "campaign", "decided_on", "doc_number", "reason"]
        widgets = {"decided_on": DATE_WIDGET, "reason": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "kind": {"required": "请选择奖惩类别。", "invalid_choice": "奖惩类别无效。"},
            "unit": {"required": "请选择单位。", "invalid_choice": "单位无效。"},
            "person": {"invalid_choice": "人员无效。"},
            "campaign": {"invalid_choice": "会战无效。"},
            "decided_on": {"invalid": "决定日期格式应为 YYYY-MM-DD。"},
        }

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.year = year
        self.fields["campaign"].queryset = year.campaigns.all()
        self.fields["campaign"].empty_label = "（年度，不属于会战）"
        self.fields["person"].queryset = Person.objects.select_related("unit")
        self.fields["person"].empty_label = "（不针对个人）"
        self.fields["unit"].empty_label = "请选择单位"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confirm_now"):
            if not cleaned.get("decided_on"):
                self.add_error("decided_on", "直接登记为已确认须填写决定日期。")
            if not (cleaned.get("doc_number") or "").strip():
                self.add_error("doc_number", "直接登记为已确认须填写文号。")
        return cleaned
