"""Workbook pages: the import upload (reviewers), the template, the year export (reviewers) and
the ranking workbook download. Views stay thin: checks in zhaoshang.web.xlsx, work in the
assessment.workbooks modules.

The import runs as a background job (issue 16): the upload is checked and stored, a preview
job is queued and the reviewer lands on its page (zhaoshang.jobs), which shows the progress,
then the preview; confirming queues the import itself (`import_confirm`). The ranking workbook
is a job as well (`assessment.workbooks.ranking_job`).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessment.models import AssessmentYear
from assessment.workbooks.jobs import STEP_APPLY, STEP_CHECK, apply_import, check_import
from assessment.workbooks.ranking_job import ranking_filename, ranking_result, ranking_workbook_job
from assessment.workbooks.template import write_template
from assessment.workbooks.year_export import export_year_workbook
from units import access
from zhaoshang.jobs import runner
from zhaoshang.jobs.models import Job, JobKind, JobStatus
from zhaoshang.web import xlsx
from zhaoshang.web.forms import BootstrapMixin

RECENT_IMPORTS = 5
NO_WORKER = (
    "后台任务处理程序没有运行（已有任务排队超过 {seconds} 秒仍未开始），现在上传的工作簿无法处理。"
    "请联系系统管理员启动后台任务（worker）后再上传。"
)
REMOVALS_REFUSED = (
    "待删除或清空的数据中有 {n} 项不能删除（见预览中“不能删除”的说明）。"
    "请不勾选“同时删除”后确认，或先处理这些数据再重新上传。"
)
BUSY = "另一项 Excel 导入（任务 #{pk}）正在进行，两项导入不能同时写入。请等它完成后再上传。"


def import_in_progress(exclude=None):
    """The import job now running or queued, if any: imports run one at a time."""
    jobs = Job.objects.filter(kind=JobKind.WORKBOOK_IMPORT).active()
    if exclude is not None:
        jobs = jobs.exclude(pk=exclude.pk)
    return jobs.order_by("pk").first()


def refusal(exclude=None):
    """Why a new import could not be finished now, or None."""
    if Job.objects.waiting_for_worker().exists():
        return NO_WORKER.format(seconds=settings.JOB_WORKER_GRACE_SECONDS)
    if (busy := import_in_progress(exclude)) is not None:
        return BUSY.format(pk=busy.pk)
    return None


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Excel 工作簿（.xlsx）",
        error_messages={"required": "请选择要导入的 Excel 工作簿。"},
    )
    verified = forms.BooleanField(
        label="作为已审定的历史数据导入（用于迁移往年数据，导入的申报直接记为“已审定”）",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            xlsx.check_upload(upload.file)
        except xlsx.WorkbookRejected as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and (reason := refusal()):
            raise forms.ValidationError(reason)
        return cleaned


def import_page(request):
    """GET: the upload form and my recent imports. POST: store the workbook and queue its
    preview; the reviewer follows it on the job page."""
    access.require(access.is_reviewer(request.user))
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = Job.objects.create(
                user=request.user,
                kind=JobKind.WORKBOOK_IMPORT,
                title=(upload.name or "工作簿.xlsx")[:255],
                params={"verified": form.cleaned_data["verified"]},
                step=STEP_CHECK,
            )
            upload.file.seek(0)
            runner.store_upload(job, upload)
            runner.start(job, check_import, step=STEP_CHECK)
            return redirect("jobs:detail", pk=job.pk)
    else:
        form = ImportForm()
    recent = Job.objects.visible_to(request.user).filter(kind=JobKind.WORKBOOK_IMPORT)
    context = {
        "title": "Excel 导入",
        "form": form,
        "recent_imports": recent[:RECENT_IMPORTS],
        "export_years": AssessmentYear.objects.order_by("-year").values_list("year", flat=True),
    }
    return render(request, "workbook/import.html", context)


@require_POST
def import_confirm(request, pk):
    """Import a previewed workbook (its own reviewer only). What the file no longer has is
    deleted only when the reviewer ticks 同时删除 (issue 16); the job carries that choice."""
    access.require(access.is_reviewer(request.user))
    job = get_object_or_404(
        Job.objects.visible_to(request.user), pk=pk, kind=JobKind.WORKBOOK_IMPORT
    )
    if job.status != JobStatus.PREVIEW:
        messages.error(request, "该导入不在待确认状态，无法确认。")
    elif reason := refusal(exclude=job):
        messages.error(request, reason)
    elif (removals := bool(request.POST.get("apply_removals"))) and (
        refused := job.result.get("removal_refusals", 0)
    ):
        messages.error(request, REMOVALS_REFUSED.format(n=refused))
    else:
        job.params = {**job.params, "apply_removals": removals}
        job.save(update_fields=["params"])
        runner.start(job, apply_import, step=STEP_APPLY)
    return redirect("jobs:detail", pk=job.pk)


def template_download(request):
    access.require(access.is_reviewer(request.user))
    return xlsx.xlsx_file_response(write_template, "招商引资年度数据导入模板.xlsx")


def year_download(request, year):
    """A whole year in the import format (SPEC §6), to archive it or move it to another system;
    importing it back changes nothing."""
    access.require(access.is_reviewer(request.user))
    ay = get_object_or_404(AssessmentYear, year=year)
    return xlsx.xlsx_file_response(
        lambda f: export_year_workbook(ay.year, f), f"{ay.year}年度招商引资考核数据.xlsx"
    )


@require_POST
def ranking_download(request, year, quarter):
    """下载排名表: queue the workbook as a job for whoever may download it (403/404 otherwise)
    and follow it on the job page, which ends with the download link."""
    shown = ranking_result(request.user, year, quarter)
    job = Job.objects.create(
        user=request.user,
        kind=JobKind.RANKING_WORKBOOK,
        title=ranking_filename(shown, year, quarter),
        params={"year": year, "quarter": quarter},
    )
    runner.start(job, ranking_workbook_job)
    return redirect("jobs:detail", pk=job.pk)
