"""The campaign form: every bad input is a Chinese message and nothing is saved."""

from django import forms

from assessment.models.campaign import Campaign
from zhaoshang.web.forms import BootstrapMixin

# The campaign's own consequences, proposed to the ledger at its end (issue 20 item 1).
LEDGER_RULE_FIELDS = [
    "sanction_below_rate",
    "commend_on_completion",
    "restore_salary_on_completion",
]


class CampaignForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "year", "start", "end", "published", "note", *LEDGER_RULE_FIELDS]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": "请填写会战名称。"},
            "year": {"required": "请选择考核年度。", "invalid_choice": "考核年度无效。"},
            "start": {"required": "请填写开始日期。", "invalid": "开始日期格式应为 YYYY-MM-DD。"},
            "end": {"required": "请填写结束日期。", "invalid": "结束日期格式应为 YYYY-MM-DD。"},
            "sanction_below_rate": {"invalid": "完成率线应填写数字，如 50。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].empty_label = "请选择考核年度"
        self.fields["name"].widget.attrs.setdefault("placeholder", "如：2026年百日招商攻坚会战")
        # Targets refer to the year's indicators: once entered, the year stays.
        if self.instance.pk and self.instance.targets.exists():
            self.fields["year"].disabled = True
            self.fields["year"].help_text = "已录入会战目标，考核年度不能再修改。"
