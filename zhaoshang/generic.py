"""Generic list/detail/edit views in the NetBox manner: a queryset scoped by the access policy,
a django-tables2 table, a django-filter filterset and a form make a model's pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .forms import bootstrapify


class ScopedQuerysetMixin:
    """Subclasses implement `get_base_queryset()`, already limited to what the user may read."""

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.get_base_queryset()


class ObjectListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    template_name = "generic/object_list.html"
    paginate_by = 25
    title = ""
    add_url = None  # a URL name; shown as a button when `can_add()` is true

    def can_add(self):
        return False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if context.get("filter") is not None:
            bootstrapify(context["filter"].form, small=True)
        context["add_url"] = self.add_url if self.can_add() else None
        return context


class ObjectDetailView(ScopedQuerysetMixin, DetailView):
    """Objects outside the user's scope are 404, so ids cannot be probed."""


class ObjectEditView(FormView):
    """Create or edit one object.

    `check_permission(obj)` must raise PermissionDenied when the user may not.
    """

    model = None
    template_name = "generic/object_edit.html"
    success_message = "已保存。"
    object = None

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(self.model, pk=pk) if pk else None

    def check_permission(self, obj):
        raise PermissionDenied

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.check_permission(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return bootstrapify(super().get_form(form_class))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        self.object = form.save()
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        verbose = self.model._meta.verbose_name
        context["title"] = f"编辑{verbose}：{self.object}" if self.object else f"新建{verbose}"
        return context
