"""The workbook import as a background job (issue 16): upload → preview → confirm → import.

`check_import` previews the stored workbook (assessment.workbooks.staged: validates everything,
trial-writes it, keeps nothing) and leaves the job waiting for confirmation, or failed with the
error list. `apply_import` runs once the user confirms: when the data the preview depended on
changed in between, it previews again and asks again instead of writing; otherwise it imports.
"""

from assessment.workbooks.staged import apply_workbook, preview_workbook, state_stamp
from zhaoshang.jobs.models import JobStatus
from zhaoshang.jobs.runner import job_file, job_task

STEP_CHECK = "check"
STEP_APPLY = "apply"
PHASES = {"read": "正在读取工作簿", "validate": "正在逐行校验", "apply": "正在写入数据库"}
TRIAL_PHASE = "正在试导入（预览，不保存）"
NOTES_KEPT = 500
HOLDER = "Excel 导入任务 #{pk}"
FILE_GONE = "上传的工作簿已不在服务器上（超过保留时间已被清理），请重新上传。"


def _reporter(progress, trial):
    def report(stage, done, total):
        if stage == "read":
            percent = min(100, round(100 * done / total)) if total else 0
            progress.update(phase=f"{PHASES['read']}（{percent}%）")
        elif stage == "validate":
            progress.update(phase=PHASES["validate"], rows_total=total, rows_validated=done)
        else:
            phase = TRIAL_PHASE if trial else PHASES["apply"]
            progress.update(phase=phase, rows_applied=min(done, total), rows_validated=total)

    return report


def _result(report, stamp=None, changed=False):
    result = {
        "counts": [list(row) for row in report.count_rows()],
        "new_industries": report.new_industries,
        # What the reader skipped or read generously (title rows, 合计 rows, 说明 sheets).
        "notes": [note.as_list() for note in report.notes[:NOTES_KEPT]],
        "note_count": len(report.notes),
        "verified": report.verified,
        "reverted": getattr(report, "reverted", False),
        "changed_since_preview": changed,
        # What changes (issue 16): per sheet the first changes, cell by cell, and how many more;
        # what the file no longer has, to be removed or cleared only when confirmed.
        "changes": [[sheet, e["lines"], e["more"]] for sheet, e in report.changes.items()],
        "removed": [list(row) for row in report.removed_rows()],
        "removed_total": sum(n for _sheet, n in report.removed_rows()),
        "removal_refusals": report.removal_refusals,
        "removals_applied": report.apply_removals,
    }
    if stamp is not None:
        result["stamp"] = stamp
    return result


def _preview(job, progress, changed=False):
    path = job_file(job)
    if path is None:
        progress.finish(JobStatus.FAILED, errors=[["", "", "", FILE_GONE]])
        return
    progress.update(force=True, phase=PHASES["read"], rows_applied=0, rows_validated=0)
    stamp = state_stamp()
    with open(path, "rb") as f:
        report = preview_workbook(
            f, verified=job.params.get("verified", False), user=job.user,
            progress=_reporter(progress, trial=True),
        )  # fmt: skip
    errors = [e.as_list() for e in report.errors]
    if errors:
        progress.finish(JobStatus.FAILED, result=_result(report), errors=errors)
    else:
        progress.finish(JobStatus.PREVIEW, result=_result(report, stamp, changed))


@job_task
def check_import(job, progress):
    _preview(job, progress)


@job_task
def apply_import(job, progress):
    if job.result.get("stamp") != state_stamp():
        _preview(job, progress, changed=True)
        return
    path = job_file(job)
    if path is None:
        progress.finish(JobStatus.FAILED, errors=[["", "", "", FILE_GONE]])
        return
    progress.update(force=True, phase=PHASES["read"], rows_applied=0, rows_validated=0)
    with open(path, "rb") as f:
        report = apply_workbook(
            f, verified=job.params.get("verified", False), user=job.user,
            progress=_reporter(progress, trial=False), holder=HOLDER.format(pk=job.pk),
            apply_removals=job.params.get("apply_removals", False),
        )  # fmt: skip
    if report.busy:  # another import is writing: the preview stands, confirm again later
        progress.finish(JobStatus.PREVIEW, result={**job.result, "busy": report.errors[0].message})
        return
    errors = [e.as_list() for e in report.errors]
    status = JobStatus.FAILED if errors else JobStatus.DONE
    progress.finish(status, result=_result(report), errors=errors)
