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


def rows_response(title, headers, rows, request=None, count=None):
    """An .xlsx attachment named after `title` and today, one header row then `rows`; with the
    `request` and the `count` of rows, a background job when there are too many."""
    if request is not None and count is not None and export_jobs.too_large(count):
        return export_jobs.offer_job(request, title, count)

    def write(fileobj):
        xlsx.write_rows_streaming(title, headers, export_jobs.counted(rows), fileobj)

    return xlsx.xlsx_file_response(write, f"{title}_{timezone.localdate():%Y%m%d}.xlsx")


def table_response(request, table, title):
    """Every row of a django-tables2 table (already filtered and scoped by the view), unpaginated,
    exported exactly as the generic lists export theirs."""
    RequestConfig(request, paginate=False).configure(table)
    columns = XlsxExportMixin.export_columns(table)
    headers = [str(column.header) for column in columns]
    rows = XlsxExportMixin.export_rows(table, columns)
    return rows_response(title, headers, rows, request=request, count=len(table.rows))
