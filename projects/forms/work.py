"""Forms for the everyday work around projects: assistance items (帮办), leads and visits."""

from django import forms

from projects import services
from projects.forms.fields import DATE, not_future
from projects.models import AssistanceItem, AssistanceStatus, Industry, Lead, Project, Visit
from units.models import Unit
from units.search import use_unit_search
from zhaoshang.web.forms import BootstrapMixin, CheckboxList, IdMultipleChoiceField


class AssistanceForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AssistanceItem
        fields = [
            "category",
            "problem",
            "responsible_unit",
            "responsible_leader",
            "deadline",
            "status",
            "resolution",
            "resolved_on",
        ]
        widgets = {
            "deadline": DATE,
            "resolved_on": DATE,
            "problem": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.filter(is_active=True)
        use_unit_search(self.fields["responsible_unit"], scope="active")

    def clean_resolved_on(self):
        return not_future(self.cleaned_data.get("resolved_on"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == AssistanceStatus.RESOLVED:
            if not (cleaned.get("resolution") or "").strip():
                self.add_error("resolution", "办结的事项必须填写办理结果。")
            if not cleaned.get("resolved_on") and "resolved_on" not in self.errors:
                cleaned["resolved_on"] = services.today()
        elif cleaned.get("resolved_on"):
            self.add_error("resolved_on", "尚未办结的事项不能填写办结日期。")
        return cleaned


class LeadForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Lead
        fields = [
            "investor_name",
            "industry",
            "intended_investment",
            "source",
            "description",
            "shared_with",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "shared_with": CheckboxList,
        }
        field_classes = {"shared_with": IdMultipleChoiceField}

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit or self.instance.unit
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True)
        self.fields["shared_with"].queryset = Unit.objects.filter(is_active=True).exclude(
            pk=self.unit.pk
        )
        # 已转项目 is set by converting, never picked by hand.
        self.fields["status"].choices = [
            c for c in self.fields["status"].choices if c[0] != "converted"
        ]
        if self.instance.project_id:
            del self.fields["status"]


class VisitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["date", "investor_name", "visitors", "hosts", "outcome", "project", "lead"]
        widgets = {"date": DATE, "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("name")
        self.fields["lead"].queryset = Lead.objects.visible_to(user).order_by("investor_name")

    def clean_date(self):
        return not_future(self.cleaned_data.get("date"))
