"""The admin of the ledger and heads in post (imported by `assessment.admin`).

A confirmed or withdrawn decision is read-only here and its form refuses a change with the
guard's Chinese message (the guard refuses it anyway, whatever path writes)."""

from django import forms
from django.contrib import admin

from assessment.ledger.rules import frozen_message
from assessment.models import DecisionStatus, LedgerDecision, UnitHead
from zhaoshang.web.forms import GuardedModelForm


class LedgerDecisionForm(GuardedModelForm):
    class Meta:
        model = LedgerDecision
        fields = [
            "year",
            "campaign",
            "kind",
            "unit",
            "person",
            "decided_on",
            "reason",
            "doc_number",
            "status",
            "source",
            "basis",
            "head",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            stored = LedgerDecision.objects.filter(pk=self.instance.pk).first()
            if stored is not None and stored.status != DecisionStatus.PROPOSED:
                raise forms.ValidationError(frozen_message(stored))
        return cleaned


@admin.register(LedgerDecision)
class LedgerDecisionAdmin(admin.ModelAdmin):
    form = LedgerDecisionForm
    list_display = ["year", "unit", "kind", "status", "decided_on", "doc_number"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["unit__name", "doc_number", "reason"]
    list_select_related = ["year", "unit"]
    raw_id_fields = ["head", "person", "confirmed_by", "withdrawn_by"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != DecisionStatus.PROPOSED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(UnitHead)
class UnitHeadAdmin(admin.ModelAdmin):
    list_display = ["unit", "display_name", "title", "start", "end"]
    list_select_related = ["unit", "person"]
    search_fields = ["unit__name", "name", "person__name"]
    raw_id_fields = ["person"]
