"""Running a Job as a background task through Django's tasks framework.

A job's work is a task body `func(job, progress)` decorated with `@job_task`; `start(job, task)`
queues it. Whatever backend runs it (the database worker, RQ, or the immediate backend of the
tests), the body sees the Job, reports through `Progress`, and ends the job with `finish()`; an
unexpected exception ends it as failed with a message the user can act on, and is logged.

The uploaded file a job works on is kept in settings.TEMP_DIR/jobs/ (`store_upload`) until the
job ends.
"""

import functools
import logging
import secrets
import time
from pathlib import Path

from django.utils import timezone

from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.ops.cleanup import JOBS, temp_root

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the django-tasks backport has the same API
    from django_tasks import task

logger = logging.getLogger(__name__)

ERRORS_KEPT = 20000  # the error list a job keeps (and its download holds)
FINISH_FIELDS = ["status", "phase", "result", "errors", "error_count", "finished_at", "updated_at"]
UNEXPECTED = (
    "后台处理时出现意外错误（任务 #{pk}）。请稍后重试；如仍出错，请联系系统管理员查看日志。"
)


def jobs_dir():
    """TEMP_DIR/jobs (owner only); `manage.py cleanup` sweeps files a killed worker left."""
    root = temp_root() / JOBS
    root.mkdir(exist_ok=True, mode=0o700)
    return root


def store_upload(job, upload):
    """Copy an uploaded file into the jobs folder and remember it on the job."""
    suffix = Path(upload.name or "").suffix.lower()[:8] or ".bin"
    name = f"job-{job.pk}-{secrets.token_hex(8)}{suffix}"
    with open(jobs_dir() / name, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job.file_name = name
    Job.objects.filter(pk=job.pk).update(file_name=name)


def job_file(job):
    """The job's stored file, or None when it is gone (ended, or swept by `cleanup`)."""
    if not job.file_name:
        return None
    path = jobs_dir() / Path(job.file_name).name
    return path if path.is_file() else None


def remove_file(job):
    path = job_file(job)
    if path is not None:
        path.unlink(missing_ok=True)


def start(job, step_task, step=""):
    """Queue `step_task(job.pk)`. With the immediate backend the task has already run when this
    returns, so callers re-read the job rather than trust the instance they hold."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED,
        step=step,
        queued_at=now,
        updated_at=now,
        phase="等待后台处理",
        rows_validated=0,
        rows_applied=0,
    )
    result = step_task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


class Progress:
    """Writes a job's phase and counters, at most every `interval` seconds (each write is a
    tiny transaction of its own; call it between the work's transactions, not inside one)."""

    def __init__(self, job, interval=0.5):
        self.job = job
        self.interval = interval
        self._last = 0.0

    def update(self, force=False, **values):
        for name, value in values.items():
            setattr(self.job, name, value)
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self.save()

    def save(self):
        fields = ["phase", "rows_total", "rows_validated", "rows_applied"]
        values = {name: getattr(self.job, name) for name in fields}
        Job.objects.filter(pk=self.job.pk).update(updated_at=timezone.now(), **values)

    def finish(self, status, result=None, errors=(), error_count=None):
        """End the step: PREVIEW waits for the user; DONE, FAILED and CANCELLED end the job and
        remove its file."""
        job = self.job
        errors = list(errors)
        job.status = status
        job.phase = ""
        if result is not None:
            job.result = result
        job.errors = errors[:ERRORS_KEPT]
        job.error_count = len(errors) if error_count is None else error_count
        now = timezone.now()
        if job.is_finished:
            job.finished_at = now
            remove_file(job)
        job.updated_at = now
        job.save(update_fields=[*FINISH_FIELDS, "rows_total", "rows_validated", "rows_applied"])


def job_task(func):
    """Make `func(job, progress)` a task run for one Job by primary key."""

    @functools.wraps(func)
    def run(job_id):
        job = Job.objects.filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return  # cancelled while queued, or already taken
        now = timezone.now()
        Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now)
        job.status, job.started_at = JobStatus.RUNNING, now
        progress = Progress(job)
        try:
            func(job, progress)
        except Exception:
            logger.exception("Background job %s (%s) failed", job.pk, job.kind)
            message = UNEXPECTED.format(pk=job.pk)
            progress.finish(
                JobStatus.FAILED, result={"crashed": True}, errors=[["", "", "", message]]
            )
            return
        if job.status == JobStatus.RUNNING:  # a body that forgot to finish
            progress.finish(JobStatus.DONE)

    return task(run)
