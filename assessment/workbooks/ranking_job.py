"""The ranking workbook download as a background job (issues 16 and 21).

At M the workbook took 11–33 s in the request, so 下载排名表 always queues a job: the user
lands on the job page (progress: rows written), may leave and come back under 我的后台任务,
and downloads the finished file there (zhaoshang.jobs.outputs: owner only, kept
JOB_RESULT_DAYS). There is no separate small-case path: with a worker the job of a small city
ends within a second, and one path means one set of permissions and one workbook.

Permissions are those of the download before: `ranking_result` is checked when the job is
queued (403/404 in the request) and again when it runs, as the job's user (a user who lost the
right meanwhile gets a failed job, not the file).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment.bulletin import is_draft, signature
from assessment.formatting import DRAFT_MARK, quarter_name
from assessment.models import AssessmentYear
from assessment.visibility import shown_result
from assessment.workbooks.ranking import snapshot_rows, write_ranking_workbook
from units import access
from zhaoshang.jobs.models import JobStatus
from zhaoshang.jobs.outputs import write_output
from zhaoshang.jobs.runner import job_task

PHASE = "正在生成排名表"
REFUSED = "您已无权下载该季度的排名表（权限或考核数据在任务排队期间发生了变化）。"


def ranking_result(user, year, quarter):
    """The figures the user sees on the ranking page, so the workbook matches the screen: the
    announced snapshot for unit users; for reviewers and leaders the latest version (published or
    draft), or a live computation before any. Returns the `visibility.Shown`."""
    ay = AssessmentYear.objects.filter(year=year).first()
    if quarter not in (1, 2, 3, 4) or ay is None:
        raise Http404("没有该年度或季度的考核。")
    shown = shown_result(user, ay, quarter)
    access.require(shown.result is not None)
    return shown


def ranking_filename(shown, year, quarter):
    suffix = f"（{DRAFT_MARK}）" if is_draft(shown.snapshot) else ""
    return f"{year}年{quarter_name(quarter)}招商引资考核排名{suffix}.xlsx"


def build_ranking(shown, fileobj, progress=None):
    """Write the workbook of `shown` (a computed quarter's 佐证明细 is the evidence stored with
    it, never today's data). A fixed number of queries, whatever the number of units or lines."""
    rows = snapshot_rows(shown.snapshot)
    write_ranking_workbook(
        shown.result,
        fileobj,
        claim_rows=rows,
        progress=progress,
        draft=is_draft(shown.snapshot),
        signature=signature_of(shown.result, shown.snapshot),
    )


def signature_of(result, snapshot):
    """The 落款 lines (`assessment.bulletin.signature`) of the year of `result`."""
    return signature(AssessmentYear.objects.filter(year=result.year).first(), snapshot)


@job_task
def ranking_workbook_job(job, progress):
    year, quarter = job.params["year"], job.params["quarter"]
    progress.update(force=True, phase=PHASE)
    try:
        shown = ranking_result(job.user, year, quarter)
    except (PermissionDenied, Http404):
        progress.finish(JobStatus.FAILED, errors=[["", "", "", REFUSED]])
        return

    def report(done, total):
        progress.update(phase=PHASE, rows_total=total, rows_applied=done)

    filename = ranking_filename(shown, year, quarter)
    write_output(job, lambda f: build_ranking(shown, f, report), filename)
    progress.update(force=True, rows_applied=progress.job.rows_total)
    progress.finish(JobStatus.DONE, result={"filename": filename})
