"""The project form, termination, and a project's credit shares (分成) and introducers (引资人)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory

from projects import locks, newness, services
from projects.forms.fields import DATE, not_future
from projects.forms.persons import IntroducerForm, use_leader_search
from projects.models import (
    CARRIED_LABEL,
    NEW_LABEL,
    CreditShare,
    Industry,
    Introducer,
    NewnessOverride,
    Project,
)
from units import access
from units.models import Unit
from units.search import UnitSearchSelect, use_unit_search
from zhaoshang.web.forms import (
    BootstrapMixin,
    CheckboxList,
    IdMultipleChoiceField,
)

NEWNESS_MESSAGE = "请选择新引进或结转。"


class ProjectForm(BootstrapMixin, forms.ModelForm):
    """A project. 新引进/结转 is asked for the current assessment year only (`projects.newness`):
    the form shows the year's value and its default, and records an override — with a reason —
    only where the choice differs from the default (saving the default again removes it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    is_new = forms.TypedChoiceField(
        choices=[("1", NEW_LABEL), ("0", CARRIED_LABEL)],
        coerce=lambda value: value == "1",
        error_messages={"required": NEWNESS_MESSAGE, "invalid_choice": NEWNESS_MESSAGE},
    )
    new_reason = forms.CharField(
        label="新引进/结转认定理由",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

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
            "unit",
            "cooperating_units",
            "sponsor_leader",
            "deputy_leader",
            "location",
            "total_investment",
            "contracted_investment",
            "planned_start",
            "planned_completion",
            "stage",
            "filing_date",
            "filing_number",
            "description",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_completion": DATE,
            "filing_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "cooperating_units": CheckboxList,
        }
        field_classes = {"cooperating_units": IdMultipleChoiceField}

    field_order = [*Meta.fields[: Meta.fields.index("unit")], "is_new", "new_reason"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._newness_fields()
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True)
        self.fields["cooperating_units"].queryset = Unit.objects.filter(is_active=True)
        editable = access.editable_units(user)
        if self.instance.pk:
            editable = editable | Unit.objects.filter(pk=self.instance.unit_id)
        self.fields["unit"].queryset = editable.distinct()
        if access.sees_everything(user):  # the administrator enters for any unit
            use_unit_search(self.fields["unit"])
        use_leader_search(self)
        use_leader_search(self, "deputy_leader")
        if len(self.fields["unit"].queryset) == 1:
            self.fields["unit"].initial = self.fields["unit"].queryset[0].pk
        stages = services.choosable_stages(self.instance if self.instance.pk else None)
        if stages:
            self.fields["stage"].choices = [(s.value, s.label) for s in stages]
        else:
            del self.fields["stage"]
        self.fields["version"].initial = self.instance.version

    def _newness_fields(self):
        year = self.newness_year = newness.current_year()
        self.newness_override = None
        self.newness_default = True  # a project entered now starts this year
        if self.instance.pk:
            self.newness_default = newness.derived_new_in(self.instance, year)
            self.newness_override = NewnessOverride.objects.filter(
                project=self.instance, year=year
            ).first()
        override = self.newness_override
        current = override.is_new if override else self.newness_default
        field = self.fields["is_new"]
        field.label = f"新引进/结转（{year} 年度）"
        field.initial = "1" if current else "0"
        field.help_text = (
            f"默认：{newness.label(self.newness_default)}（签约当年为新引进，以后各年为结转；"
            f"尚未签约的按录入年度）。选择与默认不同时须填写认定理由，只记为 {year} 年度的认定。"
        )
        if override:
            self.fields["new_reason"].initial = override.reason

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and not version:
            raise ValidationError(services.STALE_MESSAGE)
        return version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and locks.basis_frozen(self.instance):
            for name in locks.ASSESSMENT_BASIS_FIELDS:
                if name in self.changed_data:
                    self.add_error(name, locks.BASIS_LOCKED_MESSAGE)
        is_new, override = cleaned.get("is_new"), self.newness_override
        reason = (cleaned.get("new_reason") or "").strip()
        cleaned["new_reason"] = reason
        recording = is_new is not None and is_new != self.newness_default
        if recording and not reason and (override is None or override.is_new != is_new):
            self.add_error(
                "new_reason",
                f"{self.newness_year} 年度默认为{newness.label(self.newness_default)}，"
                f"改为{newness.label(is_new)}须填写认定理由。",
            )
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


# Rows a project's shares or introducers may have. Also the most forms a POST can make the server
# build: a tampered TOTAL_FORMS of 10**30 is refused after 20 forms, not 2,000.
MAX_ROWS = 20


class FrozenBasisFormSet(BaseInlineFormSet):
    """Rows that are part of a project's assessment basis: once one of its claims is verified they
    change only after a reviewer sends the claims back (`projects.locks.basis_frozen`)."""

    locked_message = ""
    default_error_messages = {"too_many_forms": "最多只能填写 %(num)d 行，请勿篡改表单。"}

    def refuse_if_frozen(self):
        if self.has_changed() and locks.basis_frozen(self.instance):
            raise ValidationError(self.locked_message)


class CreditShareFormSet(FrozenBasisFormSet):
    """Shares of one project: each unit once, the whole summing to exactly 100.00 %."""

    locked_message = locks.SHARES_LOCKED_MESSAGE

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
        self.refuse_if_frozen()


class IntroducerFormSet(FrozenBasisFormSet):
    """引资人 of one project, chosen from the persons registry among those its responsible unit
    may credit: they are recognised for it (十佳引资功臣), so they freeze with the shares. A
    person is credited once per project (twice would count their figures twice)."""

    locked_message = locks.INTRODUCERS_LOCKED_MESSAGE

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "unit_id": self.instance.unit_id}

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            person = (form.cleaned_data or {}).get("person")
            if person is None or form.cleaned_data.get("DELETE"):
                continue
            if person.pk in seen:
                raise ValidationError(f"引资人“{person.name}”重复出现，每人只能登记一次。")
            seen.add(person.pk)
        super().clean()
        self.refuse_if_frozen()


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
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)
IntroducerFormSetFactory = inlineformset_factory(
    Project,
    Introducer,
    form=IntroducerForm,
    formset=IntroducerFormSet,
    fields=["person"],
    extra=2,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)
