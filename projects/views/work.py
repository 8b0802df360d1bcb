"""Everyday work around projects: assistance items (帮办), leads (线索) with sharing, and investor
visits (客商接待). Every list is scoped by the access policy; every change by `units.access`."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from projects import services
from projects.filtersets import AssistanceFilterSet, LeadFilterSet, VisitFilterSet
from projects.forms import AssistanceForm, LeadForm, VisitForm
from projects.models import AssistanceItem, Lead, Visit
from projects.tables import AssistanceTable, LeadTable, VisitTable
from units import access
from zhaoshang.web.generic import ObjectEditView, ObjectListView


def visible_assistance(user, qs=None):
    """Items of projects the user may read, and items their own unit must act on."""
    qs = qs if qs is not None else AssistanceItem.objects.all()
    q = Q(project__in=services.visible_projects(user).values("pk"))
    if access.is_unit_user(user) and user.unit_id:
        q |= Q(responsible_unit_id=user.unit_id)
    return qs.filter(q)


def can_edit_assistance(user, item):
    """The project's unit records the item; the unit that must act may update it too."""
    return access.can_edit_unit_data(user, item.project.unit_id) or access.can_edit_unit_data(
        user, item.responsible_unit_id
    )


class AssistanceListView(ObjectListView):
    table_class = AssistanceTable
    filterset_class = AssistanceFilterSet
    title = "帮办事项"
    template_name = "projects/assistance_list.html"

    def get_base_queryset(self):
        return visible_assistance(
            self.request.user,
            AssistanceItem.objects.select_related("project", "project__unit", "responsible_unit"),
        )


class OverdueAssistanceListView(AssistanceListView):
    """The city-wide (for leaders and reviewers) list of assistance items past their deadline."""

    title = "逾期帮办事项"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"].copy() if kwargs["data"] else {}
        data["overdue"] = "true"
        kwargs["data"] = data
        return kwargs


class AssistanceEditView(ObjectEditView):
    model = AssistanceItem
    form_class = AssistanceForm
    success_message = "帮办事项已保存。"

    def get_object(self):
        if "pk" in self.kwargs:
            item = get_object_or_404(
                visible_assistance(
                    self.request.user, AssistanceItem.objects.select_related("project")
                ),
                pk=self.kwargs["pk"],
            )
            self.project = item.project
            return item
        self.project = get_object_or_404(
            services.visible_projects(self.request.user), pk=self.kwargs["project_pk"]
        )
        return None

    def check_permission(self, obj):
        user = self.request.user
        if obj is None:
            access.require(services.can_edit_project(user, self.project))
        else:
            access.require(can_edit_assistance(user, obj))

    def get_initial(self):
        return {"responsible_unit": self.project.unit_id}

    def form_valid(self, form):
        form.instance.project = self.project
        if form.instance.pk is None:
            form.instance.created_by = self.request.user
        return super().form_valid(form)

    def get_success_url(self):
        return self.project.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.project
        return context


class LeadListView(ObjectListView):
    table_class = LeadTable
    filterset_class = LeadFilterSet
    title = "招商线索"
    add_url = "projects:lead_add"

    def can_add(self):
        return access.editable_units(self.request.user).exists()

    def get_base_queryset(self):
        return services.visible_leads(
            self.request.user, Lead.objects.select_related("unit", "industry", "project")
        )


class LeadDetailView(DetailView):
    template_name = "projects/lead_detail.html"

    def get_queryset(self):
        return services.visible_leads(
            self.request.user,
            Lead.objects.select_related("unit", "industry", "project").prefetch_related(
                "shared_with", "visits"
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        lead = self.object
        context["can_edit"] = access.can_edit_unit_data(user, lead.unit_id)
        context["can_convert"] = services.can_convert_lead(user, lead)
        return context


class UnitRecordEditView(ObjectEditView):
    """Create or edit a record a unit owns (a lead, a visit): unit users create for their own
    unit; only the owning unit edits; records the user cannot read are 404."""

    def visible(self):
        raise NotImplementedError

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(self.visible(), pk=self.kwargs["pk"])
        return None

    def check_permission(self, obj):
        user = self.request.user
        if obj is None:
            access.require(access.is_unit_user(user) and access.editable_units(user).exists())
        else:
            access.require(access.can_edit_unit_data(user, obj.unit_id))


class LeadEditView(UnitRecordEditView):
    model = Lead
    form_class = LeadForm
    success_message = "线索已保存。"

    def visible(self):
        return services.visible_leads(self.request.user)

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


def visible_visits(user, qs=None):
    qs = qs if qs is not None else Visit.objects.all()
    return qs.filter(access.visible_unit_filter(user, field="unit"))


class VisitListView(ObjectListView):
    table_class = VisitTable
    filterset_class = VisitFilterSet
    title = "客商接待"
    add_url = "projects:visit_add"

    def can_add(self):
        return (
            access.is_unit_user(self.request.user)
            and access.editable_units(self.request.user).exists()
        )

    def get_base_queryset(self):
        return visible_visits(
            self.request.user, Visit.objects.select_related("unit", "project", "lead")
        )


class VisitEditView(UnitRecordEditView):
    model = Visit
    form_class = VisitForm
    success_message = "接待记录已保存。"

    def visible(self):
        return visible_visits(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = {}
        for name in ("project", "lead"):
            value = self.request.GET.get(name)
            if value and value.isdigit():
                initial[name] = int(value)
        return initial

    def form_valid(self, form):
        if form.instance.pk is None:
            form.instance.unit = self.request.user.unit
            form.instance.created_by = self.request.user
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("projects:visit_list")
