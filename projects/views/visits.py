"""Investor visits (客商接待): the list and the form, scoped by `Visit.objects.visible_to`."""

from django.urls import reverse

from projects.filtersets import VisitFilterSet
from projects.forms import VisitForm
from projects.models import Visit
from projects.tables import VisitTable
from projects.views.records import UnitRecordEditView
from units import access
from zhaoshang.web.generic import ObjectListView


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
        return Visit.objects.select_related("unit", "project", "lead").visible_to(self.request.user)


class VisitEditView(UnitRecordEditView):
    model = Visit
    form_class = VisitForm
    success_message = "接待记录已保存。"

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
