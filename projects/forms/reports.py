"""Forms for monthly reports (月报) and the alert thresholds."""

from django import forms

from projects.forms.fields import MonthField
from projects.models import ProjectSettings
from zhaoshang.web.forms import BootstrapMixin


class MonthlyReportForm(BootstrapMixin, forms.Form):
    month = MonthField(label="月份")
    is_zero = forms.BooleanField(label="零报告（本月确无投资和到位资金）", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProjectSettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ProjectSettings
        fields = [
            "report_deadline_day",
            "report_reminder_days",
            "signed_not_started_days",
            "no_progress_months",
            "contract_to_funds_ratio",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty (or posted by a form that predates it): the reminder window stays as it was.
        self.fields["report_reminder_days"].required = False

    def clean_report_reminder_days(self):
        value = self.cleaned_data.get("report_reminder_days")
        return self.instance.report_reminder_days if value is None else value

    def clean(self):
        cleaned = super().clean()
        for name in ("signed_not_started_days", "no_progress_months", "contract_to_funds_ratio"):
            if cleaned.get(name) == 0:
                self.add_error(name, "预警阈值必须大于 0。")
        return cleaned
