"""Job pages: my recent jobs, one job's page (polled with htmx while it runs: the same view
answers an htmx request with the job's part alone), cancelling a job that waits, and its error
list as a workbook, and the file it produced (`download`). A job belongs to the user who started
it; anyone else gets 404."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.jobs.outputs import output_path
from zhaoshang.jobs.runner import Progress
from zhaoshang.web import xlsx

RECENT = 50
ERRORS_SHOWN = 500
ERROR_HEADERS = ["工作表", "行号", "列", "错误说明"]


def own_job(request, pk):
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk)


def job_list(request):
    jobs = Job.objects.visible_to(request.user)[:RECENT]
    return render(request, "jobs/list.html", {"title": "我的后台任务", "jobs": jobs})


def job_detail(request, pk):
    job = own_job(request, pk)
    context = {
        "title": f"{job.get_kind_display()} · {job.title}",
        "job": job,
        "errors_shown": job.errors[:ERRORS_SHOWN],
    }
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_job.html", context)
    return render(request, "jobs/detail.html", context)


@require_POST
def job_cancel(request, pk):
    """Drop a job that has not started, or a preview the user does not want to import."""
    job = own_job(request, pk)
    if job.status in (JobStatus.QUEUED, JobStatus.PREVIEW):
        Progress(job).finish(JobStatus.CANCELLED, result=job.result)
    return redirect("jobs:detail", pk=job.pk)


def job_errors(request, pk):
    job = own_job(request, pk)
    if not job.errors:
        raise Http404("该任务没有错误清单。")
    return xlsx.xlsx_file_response(
        lambda f: xlsx.write_rows_streaming("错误清单", ERROR_HEADERS, job.errors, f),
        f"任务{job.pk}错误清单.xlsx",
    )


def job_download(request, pk):
    """The file the job produced, for its owner, while it is kept (zhaoshang.jobs.outputs)."""
    job = own_job(request, pk)
    path = output_path(job) if job.status == JobStatus.DONE else None
    if path is None:
        raise Http404("该任务没有可下载的文件，或文件已超过保留期限被删除。")
    # FileResponse closes the file once it has been sent.
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115
        as_attachment=True,
        filename=job.output_name or path.name,
        content_type=xlsx.XLSX_CONTENT_TYPE,
    )
