"""Forms for projects and the figures units claim. Validation messages are in Chinese; the models'
validators catch negative and absurd amounts."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory

from projects import locks, services
from projects.evidence import ALLOWED_LABEL, validate_upload
from projects.models import (
    MILESTONE_ORDER,
    AssistanceItem,
    AssistanceStatus,
    CreditShare,
    FundsEntry,
    Industry,
    Introducer,
    Lead,
    Milestone,
    MonthlyInvestment,
    Project,
    ProjectSettings,
    Visit,
)
from units import access
from units.models import Unit
from units.search import UnitSearchSelect, use_unit_search
from zhaoshang.web.forms import BootstrapMixin, IdMultipleChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FUTURE = "日期不能晚于今天。"


def not_future(day):
    if day and day > services.today():
        raise ValidationError(FUTURE)
    return day


class ProjectForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "name",
            "investor_name",
            "investor_credit_code",
            "origin",
            "origin_place",
            "industry",
            "category",
            "is_key",
            "is_high_tech",
            "head_enterprise",
            "is_new",
            "unit",
            "cooperating_units",
            "sponsor_leader",
            "location",
            "total_investment",
            "contracted_investment",
            "planned_start",
            "planned_completion",
            "stage",
            "description",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_completion": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "cooperating_units": forms.SelectMultiple(attrs={"size": 6}),
        }
        field_classes = {"cooperating_units": IdMultipleChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True)
        self.fields["cooperating_units"].queryset = Unit.objects.filter(is_active=True)
        editable = access.editable_units(user)
        if self.instance.pk:
            editable = editable | Unit.objects.filter(pk=self.instance.unit_id)
        self.fields["unit"].queryset = editable.distinct()
        if access.sees_everything(user):  # the administrator enters for any unit
            use_unit_search(self.fields["unit"])
        if len(self.fields["unit"].queryset) == 1:
            self.fields["unit"].initial = self.fields["unit"].queryset[0].pk
        stages = services.choosable_stages(self.instance if self.instance.pk else None)
        if stages:
            self.fields["stage"].choices = [(s.value, s.label) for s in stages]
        else:
            del self.fields["stage"]
        self.fields["version"].initial = self.instance.version

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and not version:
            raise ValidationError(services.STALE_MESSAGE)
        return version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and locks.has_verified_milestone(self.instance):
            for name in locks.ASSESSMENT_BASIS_FIELDS:
                if name in self.changed_data:
                    self.add_error(name, locks.BASIS_LOCKED_MESSAGE)
        name, unit = cleaned.get("name"), cleaned.get("unit")
        if name and unit:
            twins = Project.objects.filter(unit=unit, name=name).exclude(pk=self.instance.pk)
            if twins.exists():
                self.add_error(
                    "name",
                    f"{unit}已有同名项目“{name}”，请勿重复录入；如是同一项目，请在原项目中修改。",
                )
        return cleaned


class TerminateForm(BootstrapMixin, forms.Form):
    terminated_on = forms.DateField(label="终止日期", widget=DATE, validators=[not_future])
    # The project version the user read: terminating a project someone has just changed is
    # refused like any other stale edit.
    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": services.STALE_MESSAGE}
    )
    reason = forms.CharField(
        label="终止原因",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写终止原因。"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("请填写终止原因。")
        return reason


class CreditShareFormSet(BaseInlineFormSet):
    """Shares of one project: each unit once, the whole summing to exactly 100.00 %."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = Decimal(0)
        units = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            unit = form.cleaned_data.get("unit")
            if unit in units:
                raise ValidationError(f"单位“{unit}”重复出现，每个单位只能有一条分成。")
            units.add(unit)
            total += form.cleaned_data.get("percent") or 0
        if total != Decimal(100):
            raise ValidationError(f"分成比例合计为 {total}%，必须恰好等于 100%。")
        if self.has_changed() and locks.basis_frozen(self.instance):
            raise ValidationError(locks.SHARES_LOCKED_MESSAGE)


class CreditShareForm(forms.ModelForm):
    class Meta:
        model = CreditShare
        fields = ["unit", "percent"]
        widgets = {"unit": UnitSearchSelect(scope="active")}

    def clean_percent(self):
        # Checked here so the model's own 100 % validator, whose message Django would %-format
        # and fail on ("100%。"), never sees a value above 100 (a 500 before).
        percent = self.cleaned_data.get("percent")
        if percent is not None and percent > 100:
            raise ValidationError("分成比例不能超过 100%。")
        return percent


CreditShareFormSetFactory = inlineformset_factory(
    Project,
    CreditShare,
    form=CreditShareForm,
    formset=CreditShareFormSet,
    fields=["unit", "percent"],
    extra=2,
    can_delete=True,
)
IntroducerFormSetFactory = inlineformset_factory(
    Project, Introducer, fields=["name", "organisation", "is_intermediary"], extra=2
)


class ClaimForm(BootstrapMixin, forms.ModelForm):
    """Shared by every claim: an optional evidence file checked by its content."""

    evidence_file = forms.FileField(
        label="佐证材料", required=False, help_text=f"可上传 {ALLOWED_LABEL}。"
    )
    # The version the user read; an edit that finds another version (someone edited, submitted
    # or reviewed it meanwhile) is refused instead of overwriting.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project or self.instance.project
        self.fields["version"].initial = self.instance.version
        self.periods = locks.Periods()

    def clean_evidence_file(self):
        uploaded = self.cleaned_data.get("evidence_file")
        if uploaded:
            self.evidence_content_type = validate_upload(uploaded)
        return uploaded

    def check_locked(self, day, field):
        if day and self.periods.is_locked(day):
            self.add_error(field, locks.LOCKED_DATE_MESSAGE)


class MilestoneForm(ClaimForm):
    class Meta:
        model = Milestone
        fields = ["kind", "date", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        return not_future(self.cleaned_data.get("date"))

    def clean(self):
        cleaned = super().clean()
        kind, day = cleaned.get("kind"), cleaned.get("date")
        if not kind or not day:
            return cleaned
        self.check_locked(day, "date")
        others = {
            m.kind: m.date for m in self.project.milestones.exclude(pk=self.instance.pk or None)
        }
        if kind in others:
            label = dict(self.fields["kind"].choices)[kind]
            self.add_error("kind", f"该项目已有“{label}”节点，请修改原节点。")
            return cleaned
        dates = {**others, kind: day}
        labels = dict(Milestone._meta.get_field("kind").choices)
        for i, earlier in enumerate(MILESTONE_ORDER):
            for later in MILESTONE_ORDER[i + 1 :]:
                if earlier in dates and later in dates and dates[earlier] > dates[later]:
                    self.add_error(
                        "date",
                        f"节点日期顺序不对：{labels[earlier]}日期（{dates[earlier]}）"
                        f"不能晚于{labels[later]}日期（{dates[later]}）。",
                    )
                    return cleaned
        return cleaned


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "请输入月份，格式如 2026-03。"}


class InvestmentForm(ClaimForm):
    month = MonthField(label="月份")

    class Meta:
        model = MonthlyInvestment
        fields = ["month", "amount", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > services.today().replace(day=1):
            raise ValidationError("不能填报未来月份的投资。")
        return month

    def clean(self):
        cleaned = super().clean()
        month = cleaned.get("month")
        if month:
            self.check_locked(month, "month")
            clash = self.project.investments.filter(month=month).exclude(
                pk=self.instance.pk or None
            )
            if clash.exists():
                self.add_error("month", f"{month:%Y年%m月}的投资已填报，请修改原记录。")
        return cleaned


class FundsForm(ClaimForm):
    class Meta:
        model = FundsEntry
        fields = ["date", "source", "is_foreign", "amount", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        return not_future(self.cleaned_data.get("date"))

    def clean(self):
        cleaned = super().clean()
        self.check_locked(cleaned.get("date"), "date")
        return cleaned


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="佐证材料", help_text=f"可上传 {ALLOWED_LABEL}。")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = validate_upload(uploaded)
        return uploaded


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
            "shared_with": forms.SelectMultiple(attrs={"size": 8}),
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
        self.fields["project"].queryset = services.visible_projects(user).order_by("name")
        self.fields["lead"].queryset = services.visible_leads(user).order_by("investor_name")

    def clean_date(self):
        return not_future(self.cleaned_data.get("date"))


class MonthlyReportForm(BootstrapMixin, forms.Form):
    month = MonthField(label="月份")
    is_zero = forms.BooleanField(label="零报告（本月确无投资和到位资金）", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProjectSettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ProjectSettings
        fields = [
            "report_deadline_day",
            "signed_not_started_days",
            "no_progress_months",
            "contract_to_funds_ratio",
        ]

    def clean(self):
        cleaned = super().clean()
        for name in ("signed_not_started_days", "no_progress_months", "contract_to_funds_ratio"):
            if cleaned.get(name) == 0:
                self.add_error(name, "预警阈值必须大于 0。")
        return cleaned
