"""Assistance items (帮办事项): the list, the overdue list and the form. Lists are scoped by
`AssistanceItem.objects.visible_to`; every change by `units.access`."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from projects import services
from projects.filtersets import AssistanceFilterSet
from projects.forms import AssistanceForm
from projects.models import AssistanceItem, Project
from projects.tables import AssistanceTable
from units import access
from zhaoshang.web.generic import ObjectEditView, ObjectListView


def may_edit_assistance(user, project_unit_id, responsible_unit_id):
    """The project's unit records the item; the unit that must act may update it too. Pages
    link to an item's edit page only when this holds (no link that would be a 403)."""
    units = (project_unit_id, responsible_unit_id)
    return any(access.can_edit_unit_data(user, unit_id) for unit_id in units)


def can_edit_assistance(user, item):
    return may_edit_assistance(user, item.project.unit_id, item.responsible_unit_id)


class AssistanceListView(ObjectListView):
    table_class = AssistanceTable
    filterset_class = AssistanceFilterSet
    title = "帮办事项"
    template_name = "projects/assistance_list.html"

    def get_base_queryset(self):
        return AssistanceItem.objects.select_related(
            "project", "project__unit", "responsible_unit"
        ).visible_to(self.request.user)


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
        user = self.request.user
        if "pk" in self.kwargs:
            item = get_object_or_404(
                AssistanceItem.objects.select_related("project").visible_to(user),
                pk=self.kwargs["pk"],
            )
            self.project = item.project
            return item
        self.project = get_object_or_404(
            Project.objects.visible_to(user), pk=self.kwargs["project_pk"]
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
        self.object = services.save_assistance(form, self.request.user, self.project)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.project.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.project
        return context
