from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from assessment import locks
from units.models import CollaborationGroup, GroupMembership, Unit, User

# Where admin actions are shown (Django 6.1); None on Django 5.2.
CHANGE_LIST = getattr(getattr(admin, "ActionLocation", None), "CHANGE_LIST", None)

PUBLISHED_GROUP_YEAR = "%s 年已有发布的季度，不能在该年度新建或移入协作组。"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "unit_type", "parent", "head_name", "contact_name", "is_active")
    list_filter = ("unit_type", "is_active")
    search_fields = ("name", "short_name", "head_name")
    autocomplete_fields = ("parent",)
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        # A unit with data is deactivated, never deleted.
        if obj is not None and obj.has_data():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=CHANGE_LIST):
        # Django 6.1 passes where the actions are shown; Django 5.2 (Python 3.11) has no such
        # argument, so it is passed on only when Django knows it.
        args = () if action_location is None else (action_location,)
        actions = super().get_actions(request, *args)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("停用所选单位（保留历史数据）"))
    def deactivate(self, request, queryset):
        # Through the value history, so the unit's page shows who deactivated it.
        units = list(queryset)
        for unit in units:
            unit.is_active = False
        count = bulk_update_with_history(units, Unit, ["is_active"], default_user=request.user)
        self.message_user(request, _("已停用 %d 个单位。") % count, messages.SUCCESS)


def _published(group):
    return group is not None and locks.year_is_published(group.year)


class MembershipInline(admin.TabularInline):
    """Memberships of a published year decide published group figures: view-only."""

    model = GroupMembership
    extra = 1
    autocomplete_fields = ("unit",)

    def has_add_permission(self, request, obj=None):
        return not _published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _published(obj) and super().has_delete_permission(request, obj)


@admin.register(CollaborationGroup)
class CollaborationGroupAdmin(admin.ModelAdmin):
    """A group of a published year is view-only here (`assessment.locks.year_is_published`); the
    group form (units.forms.GroupForm) still lets its leader's name and title be corrected."""

    list_display = ("year", "name", "leader_name", "leader_title", "lead_unit")
    list_filter = ("year",)
    search_fields = ("name", "leader_name")
    inlines = [MembershipInline]

    def has_change_permission(self, request, obj=None):
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _published(obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class PublishedYearGuard(form):
            def clean(self):
                cleaned = super().clean()
                year = cleaned.get("year")
                if year and locks.year_is_published(year):
                    raise forms.ValidationError(PUBLISHED_GROUP_YEAR % year)
                return cleaned

        return PublishedYearGuard


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("角色与单位"), {"fields": ("role", "unit", "display_name", "title")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("角色与单位"), {"fields": ("role", "unit", "display_name", "title")}),
    )
