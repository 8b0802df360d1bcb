"""Forms of a campaign's measures, their targets' cadence and the units' reports (issue 20
item 4); every bad input is a Chinese message and nothing is saved. Kept apart from
`assessment.campaigns.forms` (the campaign itself)."""

from decimal import Decimal

from django import forms

from assessment.models import Campaign, CampaignMeasure, CampaignReport, MeasureKind
from assessment.models.fields import MAX_TARGET
from zhaoshang.web.forms import BootstrapMixin

CADENCE_LOCKED = "已有单位报送周报/旬报，报送周期不能再修改。"
DUPLICATE_NAME = "本会战已有同名专项指标。"


class CampaignMeasureForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CampaignMeasure
        fields = [
            "name",
            "kind",
            "unit_label",
            "weight",
            "milestone",
            "investment_basis",
            "min_investment",
            "order",
        ]
        error_messages = {
            "name": {"required": "请填写专项指标名称。"},
            "kind": {"required": "请选择类型。", "invalid_choice": "类型无效。"},
            "unit_label": {"required": "请填写计量单位，如条、人次、个。"},
            "weight": {
                "required": "请填写权重。",
                "invalid": "权重应为数字。",
                "max_digits": "权重数值过大。",
                "max_decimal_places": "权重最多保留两位小数。",
            },
            "min_investment": {
                "invalid": "投资下限应为数字（万元）。",
                "max_digits": "投资下限数值过大，请核对单位（万元）。",
                "max_decimal_places": "投资下限最多保留两位小数。",
            },
            "milestone": {"invalid_choice": "节点只能是签约或开工。"},
            "investment_basis": {"invalid_choice": "投资口径无效。"},
            "order": {"invalid": "排序应为整数。"},
        }

    def __init__(self, *args, campaign, **kwargs):
        kwargs.setdefault("instance", CampaignMeasure(campaign=campaign))
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["name"].widget.attrs.setdefault(
            "placeholder", "如：招商信息条数、亿元以上签约项目"
        )
        self.fields["milestone"].empty_label = None

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = CampaignMeasure.objects.filter(campaign=self.campaign, name=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(DUPLICATE_NAME)
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == MeasureKind.REPORTED:
            # A reported count has no band: drop what a switched form may still carry.
            cleaned["milestone"], cleaned["min_investment"] = "", None
            self.instance.milestone, self.instance.min_investment = "", None
        return cleaned


class CampaignCadenceForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["report_cadence"]
        error_messages = {"report_cadence": {"invalid_choice": "报送周期只能是周报或旬报。"}}

    def clean_report_cadence(self):
        value = self.cleaned_data["report_cadence"]
        changed = value != Campaign.objects.get(pk=self.instance.pk).report_cadence
        if changed and CampaignReport.objects.filter(campaign=self.instance).exists():
            raise forms.ValidationError(CADENCE_LOCKED)
        return value


class CampaignReportForm(BootstrapMixin, forms.Form):
    """One field per reported measure (the period's own figure) and 工作进展."""

    progress = forms.CharField(
        label="工作进展",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "工作进展最多 %(limit_value)d 字，请精简。"},
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            self.fields[self.key(measure)] = forms.DecimalField(
                label=f"{measure.name}（{measure.unit_label}）",
                required=True,
                min_value=Decimal(0),
                max_value=MAX_TARGET,
                max_digits=14,
                decimal_places=2,
                error_messages={
                    "required": f"请填写本期{measure.name}，没有请填 0。",
                    "invalid": f"{measure.name}应为数字。",
                    "min_value": f"{measure.name}不能为负数。",
                    "max_value": f"{measure.name}数值过大，请核对。",
                    "max_digits": f"{measure.name}数值过大，请核对。",
                    "max_decimal_places": f"{measure.name}最多保留两位小数。",
                },
            )
        self.order_fields([self.key(m) for m in measures] + ["progress"])

    @staticmethod
    def key(measure):
        return f"m{measure.pk}"

    def values(self):
        return {m: self.cleaned_data[self.key(m)] for m in self.measures}
