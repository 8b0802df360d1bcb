from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from units.models import CollaborationGroup, GroupMembership, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "unit_type", "head_name", "contact_name", "is_active")
    list_filter = ("unit_type", "is_active")
    search_fields = ("name", "short_name", "head_name")
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        # A unit with data is deactivated, never deleted.
        if obj is not None and obj.has_data():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
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


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 1
    autocomplete_fields = ("unit",)


@admin.register(CollaborationGroup)
class CollaborationGroupAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "leader_name", "leader_title", "lead_unit")
    list_filter = ("year",)
    search_fields = ("name", "leader_name")
    inlines = [MembershipInline]


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
