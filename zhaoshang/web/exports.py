"""`?_export=xlsx` for pages that are not generic lists (alerts, target grids, the review queue):
the same streamed, formula-safe workbook as every list, built from plain rows. Given the request
and the row count, an export over settings.EXPORT_JOB_THRESHOLD rows becomes a background job
(zhaoshang.jobs.exports)."""

from django.utils import timezone
from django_tables2 import RequestConfig

from zhaoshang.jobs import exports as export_jobs
from zhaoshang.web import xlsx
from zhaoshang.web.generic import XlsxExportMixin

EXPORT_PARAM = "_export"


def wants_export(request):
    return request.GET.get(EXPORT_PARAM) == "xlsx"


def export_query(request):
    """The current query string with the export switch on (page dropped: exports take every row)."""
    query = request.GET.copy()
    query.pop("page", None)
    query[EXPORT_PARAM] = "xlsx"
    return query.urlencode()


def describe_filters(form):
    """「单位类型：县区；启用：是」: the filters of a bound filter `form` that narrow the list, each
    as its label and the value shown to the user (a choice's label, an object's name); "" when
    none does. Used in the title row of the export (`zhaoshang.web.paper.title_line`)."""
    if form is None or not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        if isinstance(value, bool):
            shown = "是" if value else "否"
        elif getattr(field, "choices", None) and not hasattr(value, "pk"):
            labels = {str(k): str(v) for k, v in field.choices}
            values = value if isinstance(value, list | tuple) else [value]
            shown = "、".join(labels.get(str(v), str(v)) for v in values)
        elif hasattr(value, "__iter__") and not isinstance(value, str):
            shown = "、".join(map(str, value))
        else:
            shown = str(value)
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts)


def rows_response(title, headers, rows, request=None, count=None, filters=""):
    """An .xlsx attachment named after `title` and today: a title row (`filters` names what
    narrowed the list), one header row, then `rows`; with the `request` and the `count` of rows,
    a background job when there are too many."""
    if request is not None and count is not None and export_jobs.too_large(count):
        return export_jobs.offer_job(request, title, count)

    def write(fileobj):
        rows_out = export_jobs.counted(rows)
        xlsx.write_rows_streaming(title, headers, rows_out, fileobj, subtitle=filters)

    return xlsx.xlsx_file_response(write, f"{title}_{timezone.localdate():%Y%m%d}.xlsx")


def table_response(request, table, title, filters=""):
    """Every row of a django-tables2 table (already filtered and scoped by the view), unpaginated,
    exported exactly as the generic lists export theirs."""
    RequestConfig(request, paginate=False).configure(table)
    columns = XlsxExportMixin.export_columns(table)
    headers = [XlsxExportMixin.export_header(column) for column in columns]
    rows = XlsxExportMixin.export_rows(table, columns)
    count = len(table.rows)
    return rows_response(title, headers, rows, request=request, count=count, filters=filters)
