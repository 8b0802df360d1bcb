from django.contrib import admin

from assessment.models import (
    AssessmentLog,
    AssessmentYear,
    Indicator,
    ScoreAdjustment,
    Snapshot,
    Target,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(AssessmentYear)
class AssessmentYearAdmin(admin.ModelAdmin):
    list_display = ["year", "score_cap", "echelon_first", "echelon_second", "site_assessment"]
    inlines = [IndicatorInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "unit", "group", "value"]
    list_filter = ["indicator__year"]
    list_select_related = ["indicator", "unit", "group"]


@admin.register(ScoreAdjustment)
class ScoreAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["year", "unit", "points", "reason", "created_by", "created"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    # Figures are frozen: the admin shows snapshots but never edits their data.
    list_display = ["year", "quarter", "version", "status", "computed_at", "published_at"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AssessmentLog)
class AssessmentLogAdmin(admin.ModelAdmin):
    list_display = ["created", "year", "quarter", "action", "actor", "reason"]

    def has_change_permission(self, request, obj=None):
        return False
