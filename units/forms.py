from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from units.models import CollaborationGroup, GroupMembership, Unit
from zhaoshang.web.forms import GuardedModelForm, IdMultipleChoiceField, validate_year


class UnitForm(GuardedModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "unit_type",
            "head_name",
            "head_title",
            "contact_name",
            "contact_phone",
            "sort_order",
            "is_active",
        ]


class UnitContactForm(GuardedModelForm):
    """What a unit head may change on their own unit."""

    class Meta:
        model = Unit
        fields = ["head_name", "head_title", "contact_name", "contact_phone"]


class GroupForm(GuardedModelForm):
    members = IdMultipleChoiceField(
        label=_("成员单位"),
        queryset=Unit.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("按住 Ctrl 多选；牵头单位会自动成为成员。"),
    )

    class Meta:
        model = CollaborationGroup
        fields = ["year", "name", "leader_name", "leader_title", "lead_unit", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["members"].initial = [m.unit_id for m in self.instance.memberships.all()]
        self.fields["year"].validators.append(validate_year)

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        members = set(cleaned.get("members") or [])
        lead = cleaned.get("lead_unit")
        if lead:
            members.add(lead)
        if year and members:
            clashes = (
                GroupMembership.objects.filter(year=year, unit__in=members)
                .exclude(group=self.instance.pk)
                .select_related("unit", "group")
            )
            errors = [
                _("%(unit)s 在 %(year)s 年已属于%(group)s，一个单位每年只能属于一个协作组。")
                % {"unit": m.unit, "year": year, "group": m.group.name}
                for m in clashes
            ]
            if errors:
                raise forms.ValidationError(errors)
        cleaned["member_set"] = members
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        group = super().save(commit=True)
        members = self.cleaned_data["member_set"]
        group.memberships.exclude(unit__in=members).delete()
        # The year may have changed: keep the denormalised copy in step.
        group.memberships.update(year=group.year)
        existing = set(group.memberships.values_list("unit_id", flat=True))
        # With their history rows (who added which member), in one query each.
        bulk_create_with_history(
            [
                GroupMembership(group=group, unit=u, year=group.year)
                for u in members
                if u.pk not in existing
            ],
            GroupMembership,
        )
        return group
