"""Forms of the rewards page: the year's rule, the 公示 period, the payment record and a change
of one amount (with its reason). Messages in Chinese; bad input saves nothing."""

from decimal import Decimal

from django import forms

from projects.models.rewards import MAX_RATE, RewardRule
from zhaoshang.web.forms import BootstrapMixin

AMOUNT_ERRORS = {
    "required": "请填写金额。",
    "invalid": "请输入数字。",
    "max_digits": "金额位数过多。",
    "max_decimal_places": "金额最多保留两位小数。",
}
DATE_ERRORS = {"required": "请填写日期。", "invalid": "日期格式应为 2026-06-01。"}


class RewardRuleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = RewardRule
        fields = ["rate", "project_cap", "person_cap", "minimum"]
        error_messages = {
            name: {**AMOUNT_ERRORS, "required": "请填写此项。"}
            for name in ["rate", "project_cap", "person_cap", "minimum"]
        }

    def clean_rate(self):
        rate = self.cleaned_data["rate"]
        if rate is not None and not Decimal(0) <= rate <= MAX_RATE:
            raise forms.ValidationError("奖励比例应在 0‰ 至 50‰ 之间。")
        return rate


class PublicityForm(BootstrapMixin, forms.Form):
    start = forms.DateField(label="公示开始", error_messages=DATE_ERRORS)
    end = forms.DateField(label="公示结束", error_messages=DATE_ERRORS)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError("公示结束日期不能早于开始日期。")
        return cleaned


class PaymentForm(BootstrapMixin, forms.Form):
    paid_by = forms.CharField(
        label="发放经办", max_length=100, error_messages={"required": "请填写发放经办。"}
    )
    paid_on = forms.DateField(label="发放日期", error_messages=DATE_ERRORS)
    document_no = forms.CharField(
        label="发放文号", max_length=100, error_messages={"required": "请填写发放文号。"}
    )


class AmountForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(
        label="奖励金额（万元）",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={**AMOUNT_ERRORS, "min_value": "奖励金额不能为负数。"},
    )
    reason = forms.CharField(label="调整理由", max_length=300, required=False)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="调整理由", max_length=300, required=False)


def first_error(form):
    """The form's first message, for a flash message after a POST-only action."""
    for errors in form.errors.values():
        return errors[0]
    return "提交的内容有误。"
