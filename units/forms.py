from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessment import locks
from units.models import CollaborationGroup, GroupMembership, Unit
from zhaoshang.web.forms import (
    CheckboxList,
    GuardedModelForm,
    IdMultipleChoiceField,
    validate_year,
)


class UnitForm(GuardedModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "unit_type",
            "parent",
            "head_name",
            "head_title",
            "contact_name",
            "contact_phone",
            "sort_order",
            "is_active",
        ]
        help_texts = {
            "parent": _("县区下的乡镇（街道）、园区，部门下的科室；留空为市级考核单位。"),
        }


class UnitContactForm(GuardedModelForm):
    """What a unit head may change on their own unit."""

    class Meta:
        model = Unit
        fields = ["head_name", "head_title", "contact_name", "contact_phone"]


class GroupForm(GuardedModelForm):
    """A collaboration group of one year and its member units.

    A year with a published quarter (`assessment.locks.year_is_published`) keeps its groups as
    they were counted: the year, the name, the lead unit and the members are refused there, and
    no group may be created in or moved into such a year. The leader's name and title and the
    sort order stay editable: they label the group and decide no figure (the group's figures are
    the sum of its members'), so correcting a misspelt leader must not need an unlock.
    """

    FROZEN_FIELDS = ("year", "name", "lead_unit")

    members = IdMultipleChoiceField(
        label=_("成员单位"),
        queryset=Unit.objects.filter(is_active=True),
        widget=CheckboxList,
        help_text=_("勾选成员单位；牵头单位会自动成为成员。"),
    )

    class Meta:
        model = CollaborationGroup
        fields = ["year", "name", "leader_name", "leader_title", "lead_unit", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = [m.unit_id for m in self.instance.memberships.all()]
            self.fields["members"].initial = current
            # A member deactivated since stays selectable, so saving the group keeps it.
            self.fields["members"].queryset = Unit.objects.filter(
                Q(is_active=True) | Q(pk__in=current)
            )
            if locks.year_is_published(self.instance.year):
                for name in (*self.FROZEN_FIELDS, "members"):
                    self.fields[name].help_text = _("该年度已有发布的季度，此项不能修改。")
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
        self._refuse_published_changes(cleaned, members)
        return cleaned

    def _refuse_published_changes(self, cleaned, members):
        message = _("%(year)s 年已有发布的季度，协作组的年度、名称、牵头单位和成员不能修改。")
        old_year = self.instance.year if self.instance.pk else None
        if old_year is not None and locks.year_is_published(old_year):
            for name in self.FROZEN_FIELDS:
                if name in self.changed_data:
                    self.add_error(name, message % {"year": old_year})
            current = {m.unit_id for m in self.instance.memberships.all()}
            if "members" in cleaned and {u.pk for u in members} != current:
                self.add_error("members", message % {"year": old_year})
            return
        year = cleaned.get("year")
        if year and year != old_year and locks.year_is_published(year):
            self.add_error(
                "year",
                _("%(year)s 年已有发布的季度，不能在该年度新建或移入协作组。") % {"year": year},
            )

    @transaction.atomic
    def save(self, commit=True):
        group = super().save(commit=True)
        members = self.cleaned_data["member_set"]
        group.memberships.exclude(unit__in=members).delete()
        # The year may have changed: keep the denormalised copy in step.
        for membership in group.memberships.exclude(year=group.year):
            membership.save()  # through the write guard; save() copies the group's year
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
