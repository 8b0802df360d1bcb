"""Large list exports as background jobs (issue 21).

A list export (`?_export=xlsx` on the project list, the review queue, the alerts and every list
built on zhaoshang.web.exports / generic) of more than settings.EXPORT_JOB_THRESHOLD rows is
not written in the request: `offer_job` queues a LIST_EXPORT job and the user follows it on the
job page, which ends with the download link (zhaoshang.jobs.outputs). Smaller lists stream at
once, as before.

The job runs the same view again, in the worker, as the job's user, with the same path and
query string (`run_list_export`), and keeps the file that view writes: one code path for both
cases, so the workbook is the same (scope, filters, sort, columns) and the permissions are
checked again when the job runs. While it runs, `exporting()` is true, so the view streams
instead of queueing another job, and `counted()` reports the rows written as progress.
"""

import contextvars
import shutil

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import resolve

from zhaoshang.jobs.models import Job, JobKind, JobStatus
from zhaoshang.jobs.outputs import write_output
from zhaoshang.jobs.runner import job_task, start

PHASE = "正在导出"
REFUSED = "您已无权导出该列表（权限在任务排队期间发生了变化）。"
FAILED = "导出未完成：该列表现在无法导出。"
PROGRESS_EVERY = 500

# The running export job's Progress (and its row total), while the worker re-runs the view.
_current = contextvars.ContextVar("list_export_job", default=None)


def exporting():
    return _current.get() is not None


def counted(rows):
    """`rows`, reporting how many were written to the running export job (if any)."""
    current = _current.get()
    if current is None:
        yield from rows
        return
    progress, total = current
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress.update(phase=PHASE, rows_total=max(total, done), rows_applied=done)
    progress.update(force=True, rows_total=done, rows_applied=done)  # the rows it holds


def too_large(count):
    return count > settings.EXPORT_JOB_THRESHOLD and not exporting()


def offer_job(request, title, count):
    """Queue the export of this request as a job for `request.user` and go to its page."""
    query = request.GET.copy()
    query.pop("page", None)
    job = Job.objects.create(
        user=request.user,
        kind=JobKind.LIST_EXPORT,
        title=f"{title}（{count} 行）"[:255],
        params={"path": request.path, "query": query.urlencode(), "rows": count},
        rows_total=count,
    )
    start(job, run_list_export)
    return redirect("jobs:detail", pk=job.pk)


def _request_for(job):
    path, query = job.params["path"], job.params.get("query", "")
    request = RequestFactory().get(f"{path}?{query}" if query else path)
    request.user = job.user
    return request


@job_task
def run_list_export(job, progress):
    progress.update(force=True, phase=PHASE, rows_total=job.params.get("rows", 0))
    request = _request_for(job)
    token = _current.set((progress, job.params.get("rows", 0)))
    try:
        match = resolve(job.params["path"])
        response = match.func(request, *match.args, **match.kwargs)
    except (PermissionDenied, Http404):
        progress.finish(JobStatus.FAILED, errors=[["", "", "", REFUSED]])
        return
    finally:
        _current.reset(token)
    if not isinstance(response, FileResponse) or response.status_code != 200:
        progress.finish(JobStatus.FAILED, errors=[["", "", "", FAILED]])
        return
    # The file is closed directly: response.close() would fire request_finished, which closes
    # the database connection under the job's feet.
    source = response.file_to_stream
    try:
        source.seek(0)
        write_output(job, lambda out: shutil.copyfileobj(source, out), response.filename)
    finally:
        source.close()
    progress.finish(JobStatus.DONE, result={"filename": response.filename})
