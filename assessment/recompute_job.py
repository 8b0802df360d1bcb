"""测算 of a quarter as a background job (issue 21): the engine and the evidence lines of a large
city take longer than a request should, so the office's 测算 button queues a RECOMPUTE job and
lands on its page; the job ends with the message the page used to flash (已测算，生成… or why
not) and a link back to the ranking, where the draft is checked and published. Publication is
unchanged: it stays a request of its own (`assessment.views.ranking.snapshot_publish`), with its
checks against what the office saw.

The work is `snapshots.compute_snapshot` as before (one transaction, serialised per year), run
as the job's user; who may start it (`visibility.can_run`) is checked when it is queued and
again when it runs.
"""

from assessment import snapshots, visibility
from assessment.formatting import quarter_name
from assessment.models import AssessmentYear
from assessment.snapshots import SnapshotError
from zhaoshang.jobs.models import JobStatus
from zhaoshang.jobs.runner import job_task

PHASE = "正在测算（计算各单位指标并保存佐证明细）"
REFUSED = "您已无权测算（权限在任务排队期间发生了变化）。"
NO_YEAR = "该考核年度已不存在。"


def recompute_title(year, quarter):
    return f"{year}年{quarter_name(quarter)}测算"


@job_task
def recompute_job(job, progress):
    year, quarter = job.params["year"], job.params["quarter"]
    back = {"year": year, "quarter": quarter}
    progress.update(force=True, phase=PHASE)
    if not visibility.can_run(job.user):
        progress.finish(JobStatus.FAILED, result=back, errors=[["", "", "", REFUSED]])
        return
    ay = AssessmentYear.objects.filter(year=year).first()
    if ay is None:
        progress.finish(JobStatus.FAILED, result=back, errors=[["", "", "", NO_YEAR]])
        return
    try:
        snapshot = snapshots.compute_snapshot(ay, quarter, job.user)
    except SnapshotError as exc:
        progress.finish(JobStatus.FAILED, result=back, errors=[["", "", "", str(exc)]])
        return
    message = f"已测算，生成{snapshot}（未发布）。"
    progress.finish(JobStatus.DONE, result=back | {"message": message})
