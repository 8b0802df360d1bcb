from django.contrib import admin

from zhaoshang.notify.models import Notification, Robot


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin):
    list_display = ["name", "robot_kind", "unit", "group", "is_active"]
    list_filter = ["robot_kind", "is_active"]
    search_fields = ["name", "unit__name", "group__name"]
    autocomplete_fields = []
    raw_id_fields = ["unit", "group"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "user", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]
