from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import (
    AssistanceItem,
    ClaimEvent,
    CreditShare,
    DuplicateFlag,
    Evidence,
    FundsEntry,
    Industry,
    Introducer,
    Lead,
    Milestone,
    MonthlyInvestment,
    MonthlyReport,
    Project,
    ProjectSettings,
    Visit,
)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")


class CreditShareInline(admin.TabularInline):
    model = CreditShare
    extra = 0


class IntroducerInline(admin.TabularInline):
    model = Introducer
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "industry", "stage", "total_investment", "is_key")
    list_filter = ("stage", "industry", "category", "is_key", "unit")
    search_fields = ("name", "investor_name", "investor_credit_code")
    inlines = [CreditShareInline, IntroducerInline]
    raw_id_fields = ("created_by",)


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by")
    readonly_fields = fields


class ClaimAdmin(SimpleHistoryAdmin):
    list_filter = ("status",)
    search_fields = ("project__name",)
    raw_id_fields = ("project", "created_by")
    inlines = [EvidenceInline]


@admin.register(Milestone)
class MilestoneAdmin(ClaimAdmin):
    list_display = ("project", "kind", "date", "status")
    list_filter = ("kind", "status")


@admin.register(MonthlyInvestment)
class MonthlyInvestmentAdmin(ClaimAdmin):
    list_display = ("project", "month", "amount", "status")


@admin.register(FundsEntry)
class FundsEntryAdmin(ClaimAdmin):
    list_display = ("project", "date", "source", "amount", "status")
    list_filter = ("source", "status")


@admin.register(ClaimEvent)
class ClaimEventAdmin(admin.ModelAdmin):
    list_display = ("created", "actor", "from_status", "to_status", "comment")
    raw_id_fields = ("milestone", "investment", "funds", "actor")


@admin.register(AssistanceItem)
class AssistanceItemAdmin(SimpleHistoryAdmin):
    list_display = ("project", "category", "responsible_unit", "deadline", "status")
    list_filter = ("status", "category")
    raw_id_fields = ("project",)


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("investor_name", "unit", "industry", "intended_investment", "status")
    list_filter = ("status", "industry")
    search_fields = ("investor_name",)
    raw_id_fields = ("project",)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("date", "investor_name", "unit", "project")
    raw_id_fields = ("project", "lead")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("unit", "month", "is_zero", "submitted_at")
    list_filter = ("is_zero", "unit")


@admin.register(ProjectSettings)
class ProjectSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "report_deadline_day", "signed_not_started_days")


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "project_a", "project_b", "status")
    list_filter = ("kind", "status")
    raw_id_fields = ("project_a", "project_b")
