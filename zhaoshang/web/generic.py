"""Generic list/detail/edit views in the NetBox manner: a queryset scoped by the access policy,
a django-tables2 table, a django-filter filterset and a form make a model's pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from zhaoshang.jobs import exports as export_jobs
from zhaoshang.web import xlsx
from zhaoshang.web.export_cells import export_getter
from zhaoshang.web.forms import bootstrapify, guard_text
from zhaoshang.web.pagination import paginate_table

EXPORT_PARAM = "_export"
EXPORT_CHUNK = 2000


class ScopedQuerysetMixin:
    """Subclasses implement `get_base_queryset()`, already limited to what the user may read."""

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.get_base_queryset()


class XlsxExportMixin:
    """`?_export=xlsx` streams the filtered list (every page, current sort) as an .xlsx file.

    Columns and values come from the table itself (headers, `value_<column>` methods, choice
    labels), so a list exports exactly what it shows. Rows are read with
    `queryset.iterator(chunk_size=2000)` and written in openpyxl's write-only mode: memory stays
    flat however long the list is. The queryset is the view's own, already scoped by the access
    policy; set `exportable = False` on a view that must not export. More rows than
    settings.EXPORT_JOB_THRESHOLD: a background job writes it (zhaoshang.jobs.exports).
    """

    exportable = True
    export_filename = None  # defaults to the title

    def wants_export(self):
        return self.exportable and self.request.GET.get(EXPORT_PARAM) == "xlsx"

    def get(self, request, *args, **kwargs):
        if self.wants_export():
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def export_queryset(self):
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_bound or filterset.is_valid() or not self.get_strict():
            return filterset.qs
        return filterset.queryset.none()

    def export_table(self, queryset):
        table = self.get_table_class()(queryset, **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        return table

    @staticmethod
    def export_columns(table):
        return [
            column
            for column in table.columns
            if not column.column.exclude_from_export and str(column.header).strip()
        ]

    @staticmethod
    def export_header(column):
        """The column's header, with the unit its figures are in when the column declares one
        (`export_unit`, e.g. an amount column's 万元): 总投资（万元）."""
        header = str(column.header)
        unit = getattr(column.column, "export_unit", None)
        if unit and f"（{unit}）" not in header:
            header = f"{header}（{unit}）"
        return header

    @classmethod
    def export_rows(cls, table, columns):
        """One list of cell values per record. How to read each column is decided once, before
        the loop (`export_getter`), not per cell."""
        getters = [export_getter(table, column) for column in columns]
        data = table.data.data
        records = data.iterator(chunk_size=EXPORT_CHUNK) if hasattr(data, "iterator") else data
        for record in records:
            yield [get(record) for get in getters]

    def export_xlsx(self):
        queryset = self.export_queryset()
        title = str(self.export_filename or self.title or "导出")
        if not export_jobs.exporting() and export_jobs.too_large(count := queryset.count()):
            return export_jobs.offer_job(self.request, title, count)
        table = self.export_table(queryset)
        columns = self.export_columns(table)
        headers = [self.export_header(column) for column in columns]
        from zhaoshang.web.exports import describe_filters

        filterset = self.get_filterset(self.get_filterset_class())
        filters = describe_filters(filterset.form)

        def write(fileobj):
            rows = export_jobs.counted(self.export_rows(table, columns))
            xlsx.write_rows_streaming(title, headers, rows, fileobj, subtitle=filters)

        filename = f"{title}_{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx.xlsx_file_response(write, filename)


class ObjectListView(XlsxExportMixin, ScopedQuerysetMixin, SingleTableMixin, FilterView):
    template_name = "generic/object_list.html"
    paginate_by = 25
    title = ""
    add_url = None  # a URL name; shown as a button when `can_add()` is true

    def can_add(self):
        return False

    def get_paginate_by(self, queryset):
        # The table paginates (django-tables2); ListView paginating as well would COUNT twice.
        return None

    def get_table(self, **kwargs):
        """The table, sorted and paged by `paginate_table` (the one reader of `page` and
        `per_page`, which clamps bad values instead of failing)."""
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        return paginate_table(self.request, table, self.paginate_by)

    def get_filterset(self, filterset_class):
        # Guarded before the filter form validates (styling comes later, in the context).
        filterset = super().get_filterset(filterset_class)
        guard_text(filterset.form)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if context.get("filter") is not None:
            bootstrapify(context["filter"].form, small=True)
        context["add_url"] = self.add_url if self.can_add() else None
        if self.exportable:
            query = self.request.GET.copy()
            query.pop("page", None)
            query[EXPORT_PARAM] = "xlsx"
            context["export_query"] = query.urlencode()
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
