"""Leads (招商线索): the list, the lead page and the form. A lead is shared with other units; the
lists are scoped by `Lead.objects.visible_to`, every change by `units.access`. Converting a lead
into a project is `projects.views.projects.LeadConvertView`."""

from django.db.models import Prefetch
from django.urls import reverse
from django.views.generic import DetailView

from projects import services
from projects.filtersets import LeadFilterSet
from projects.forms import LeadForm
from projects.models import Lead, Visit
from projects.tables import LeadTable
from projects.views.records import UnitRecordEditView
from units import access
from zhaoshang.web.generic import ObjectListView


class LeadListView(ObjectListView):
    table_class = LeadTable
    filterset_class = LeadFilterSet
    title = "招商线索"
    add_url = "projects:lead_add"

    def can_add(self):
        return access.editable_units(self.request.user).exists()

    def get_base_queryset(self):
        return Lead.objects.select_related("unit", "industry", "project").visible_to(
            self.request.user
        )


class LeadDetailView(DetailView):
    template_name = "projects/lead_detail.html"

    def get_queryset(self):
        user = self.request.user
        # The lead's visits as far as the reader may see them (a coordinator: the years the
        # unit was in their group), like the visit list.
        visits = Prefetch("visits", queryset=Visit.objects.visible_to(user))
        return (
            Lead.objects.select_related("unit", "industry", "project")
            .prefetch_related("shared_with", visits)
            .visible_to(user)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        lead = self.object
        context["can_edit"] = access.can_edit_unit_data(user, lead.unit_id)
        context["can_convert"] = services.can_convert_lead(user, lead)
        return context


class LeadEditView(UnitRecordEditView):
    model = Lead
    form_class = LeadForm
    success_message = "线索已保存。"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["unit"] = self.object.unit if self.object else self.request.user.unit
        return kwargs

    def form_valid(self, form):
        if form.instance.pk is None:
            form.instance.unit = self.request.user.unit
            form.instance.created_by = self.request.user
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("projects:lead_detail", args=[self.object.pk])
