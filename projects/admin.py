"""The Django admin for projects and claims. It is a superuser's tool, not a way round the
workflow: what `projects.locks` calls frozen is read-only here (issue 15)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from projects import locks, services
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
    NewnessOverride,
    Person,
    Project,
    ProjectSettings,
    Supervision,
    Visit,
)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")


PROJECT_DELETE_REFUSED = (
    "项目“%s”已有审定的申报，不能删除；如项目不再推进，请将其终止（填写终止原因）。"
)
BASIS_FROZEN_NOTE = (
    "该项目已有审定的申报，考核口径（金额、类别、新引进/结转、责任单位、分成、引资人）只读。"
)


class BasisInline(admin.TabularInline):
    """Credit shares and introducers are part of a project's assessment basis."""

    extra = 0

    def _frozen(self, obj):
        return obj is not None and locks.basis_frozen(obj)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class CreditShareInline(BasisInline):
    model = CreditShare


class IntroducerInline(BasisInline):
    model = Introducer
    raw_id_fields = ("person",)
    readonly_fields = ("name",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    """The office's tool for the registry: persons are deactivated (停用), never deleted once
    credited (an introduction or a sponsorship PROTECTs them)."""

    list_display = ("name", "kind", "unit", "organisation", "contact", "registered_on", "status")
    list_filter = ("kind", "status", "unit")
    search_fields = ("name", "organisation", "contact")
    raw_id_fields = ("unit", "user")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "industry", "stage", "total_investment", "is_key")
    list_filter = ("stage", "industry", "category", "is_key", "unit")
    search_fields = ("name", "investor_name", "investor_credit_code")
    inlines = [CreditShareInline, IntroducerInline]
    raw_id_fields = ("created_by", "sponsor_leader", "deputy_leader")
    readonly_fields = ("sponsor_leader_text",)
    actions = ["delete_selected"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and locks.basis_frozen(obj):
            # 新引进/结转 is per year (NewnessOverride), not a field of the project here.
            own = {f.name for f in Project._meta.get_fields()}
            fields += [f for f in locks.ASSESSMENT_BASIS_FIELDS if f not in fields and f in own]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and obj is not None and locks.basis_frozen(obj):
            messages.info(request, BASIS_FROZEN_NOTE)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and not locks.project_deletable(obj):
            messages.error(request, PROJECT_DELETE_REFUSED % obj.name)
            return redirect("admin:projects_project_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not locks.project_deletable(obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="删除所选项目（无审定申报的）", permissions=["delete"])
    def delete_selected(self, request, queryset):
        refused = [p.name for p in queryset if not locks.project_deletable(p)]
        if refused:
            for name in refused:
                self.message_user(request, PROJECT_DELETE_REFUSED % name, messages.ERROR)
            return None
        # Django's own action, under its own name (its confirmation page posts that name back).
        return delete_selected(self, request, queryset)


CLAIM_FROZEN_NOTE = (
    "该申报已审定或所在季度已发布，只读；如需更正，请在审核流程中退回（须填写理由）。"
)
CLAIM_DELETE_REFUSED = "申报“%s”已审定或所在季度已发布，不能删除。"
DATE_LOCKED_MESSAGE = "该日期所在季度已发布，不能录入或改到该季度。"


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by")
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and locks.claim_is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)


class ClaimAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        day = cleaned.get(self._meta.model.claim_date_field)
        if day is not None and locks.is_date_locked(day):
            self.add_error(self._meta.model.claim_date_field, DATE_LOCKED_MESSAGE)
        return cleaned


class ClaimAdmin(SimpleHistoryAdmin):
    """A frozen claim (`locks.claim_is_frozen`) is view-only: no field, no evidence, no delete.
    The status is never edited here: it changes only through the workflow, which records who
    moved it and why."""

    form = ClaimAdminForm
    list_filter = ("status",)
    search_fields = ("project__name",)
    raw_id_fields = ("project", "created_by")
    inlines = [EvidenceInline]
    readonly_fields = ("status",)
    actions = ["delete_selected"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and locks.claim_is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and locks.claim_is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and obj is not None and locks.claim_is_frozen(obj):
            messages.info(request, CLAIM_FROZEN_NOTE)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="删除所选申报（未审定且不在已发布季度的）", permissions=["delete"])
    def delete_selected(self, request, queryset):
        periods = locks.Periods()  # each year's lock read once for the whole selection
        refused = [str(c) for c in queryset if locks.claim_is_frozen(c, periods)]
        if refused:
            for name in refused:
                self.message_user(request, CLAIM_DELETE_REFUSED % name, messages.ERROR)
            return None
        # Django's own action, under its own name (its confirmation page posts that name back).
        return delete_selected(self, request, queryset)


@admin.register(Milestone)
class MilestoneAdmin(ClaimAdmin):
    list_display = ("project", "kind", "date", "status")
    list_filter = ("kind", "status")

    # The project's stage and verified dates follow its milestones on this path too (issue 21).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.sync_stages({obj.project_id}, request.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.sync_stages({obj.project_id}, request.user)

    def delete_queryset(self, request, queryset):
        project_ids = set(queryset.values_list("project_id", flat=True))
        super().delete_queryset(request, queryset)
        services.sync_stages(project_ids, request.user)


@admin.register(MonthlyInvestment)
class MonthlyInvestmentAdmin(ClaimAdmin):
    list_display = ("project", "month", "amount", "status")


@admin.register(FundsEntry)
class FundsEntryAdmin(ClaimAdmin):
    list_display = ("project", "date", "source", "amount", "status")
    list_filter = ("source", "status")


class ShownOnly:
    """An admin that shows rows and never adds, changes or deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppendOnlyAdmin(ShownOnly, admin.ModelAdmin):
    """An append-only record (zhaoshang.append_only): shown, never added, changed or deleted."""


@admin.register(ClaimEvent)
class ClaimEventAdmin(AppendOnlyAdmin):
    list_display = ("created", "actor", "from_status", "to_status", "comment")


@admin.register(AssistanceItem)
class AssistanceItemAdmin(SimpleHistoryAdmin):
    list_display = ("project", "category", "responsible_unit", "deadline", "status")
    list_filter = ("status", "category")
    raw_id_fields = ("project",)


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "unit", "reply_by", "status", "issued_by")
    list_filter = ("status",)
    raw_id_fields = ("project", "assistance_item")
    readonly_fields = ("unit",)


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


@admin.register(NewnessOverride)
class NewnessOverrideAdmin(ShownOnly, SimpleHistoryAdmin):
    """A year's 新引进/结转 override, with its history: shown only. It is recorded through the
    project form and the workbook import (`projects.newness.record`), which keep the default and
    the reason straight."""

    list_display = ("project", "year", "is_new", "reason", "recorded_by", "updated")
    list_filter = ("year", "is_new")
    search_fields = ("project__name",)


# Intermediary rewards keep their admin beside their pages; importing it registers it.
from projects.rewards import admin as rewards_admin  # noqa: E402, F401
