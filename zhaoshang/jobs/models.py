"""The user-facing record of a background job: who started what, how far it has got, and how it
ended. The task backend's own result (django-tasks-db's table, or Redis with RQ) says whether
code ran; this says what a person waits for — progress counters, a preview to confirm, the
result or the error list — and is the same whichever backend runs the task.

Decisions:
- A job is seen only by the user who started it (its page answers 404 to anyone else): an import
  preview is that reviewer's work in progress, and its confirmation is theirs to give.
- The uploaded file lives in settings.TEMP_DIR/jobs/ while the job needs it and is removed when
  the job ends (done, failed or cancelled); `manage.py cleanup` sweeps what a killed worker left.
- A file the job produced (`output_file`: a ranking workbook, a large export) lives in
  MEDIA_ROOT/job-results/, is downloaded only by the job's owner (`zhaoshang.jobs.outputs`) and
  is removed JOB_RESULT_DAYS after the job ended (`manage.py cleanup`; a download after that is
  refused even before the sweep ran).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

# A running job whose counters have not moved for this long has lost its worker (killed, or the
# machine restarted): its page says so instead of showing a bar that never moves.
STALLED_AFTER = datetime.timedelta(minutes=10)


class JobKind(models.TextChoices):
    WORKBOOK_IMPORT = "workbook_import", "Excel 导入"
    RANKING_WORKBOOK = "ranking_workbook", "排名表下载"
    LIST_EXPORT = "list_export", "列表导出"
    RECOMPUTE = "recompute", "考核测算"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    PREVIEW = "preview", "待确认"
    DONE = "done", "已完成"
    FAILED = "failed", "未完成"
    CANCELLED = "cancelled", "已取消"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own jobs (see the module docstring)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def waiting_for_worker(self):
        """Jobs queued longer than JOB_WORKER_GRACE_SECONDS: no worker is taking tasks."""
        limit = timezone.now() - datetime.timedelta(seconds=settings.JOB_WORKER_GRACE_SECONDS)
        return self.filter(status=JobStatus.QUEUED, queued_at__lt=limit)


class Job(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name="发起人",
    )
    kind = models.CharField("类型", max_length=40, choices=JobKind.choices)
    title = models.CharField("名称", max_length=255)
    # What the job was asked to do (e.g. an import's `verified`), and its current step.
    params = models.JSONField("参数", default=dict, blank=True)
    step = models.CharField("步骤", max_length=40, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    phase = models.CharField("进度说明", max_length=100, blank=True)
    # Progress: rows in the file, rows checked cell by cell, rows written (or trial-written).
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_validated = models.PositiveIntegerField("已校验行数", default=0)
    rows_applied = models.PositiveIntegerField("已写入行数", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    # [[sheet, row, column, message], …], bounded; error_count is the full number.
    errors = models.JSONField("错误清单", default=list, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    file_name = models.CharField("文件", max_length=255, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    # The produced file's name in MEDIA_ROOT/job-results/, and the name it is downloaded as.
    output_file = models.CharField("结果文件", max_length=255, blank=True)
    output_name = models.CharField("下载文件名", max_length=255, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    queued_at = models.DateTimeField("排队时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.title}"

    @property
    def is_active(self):
        return self.status in ACTIVE

    @property
    def is_finished(self):
        return self.status in FINISHED

    @property
    def stalled(self):
        """Running, but nothing has moved for STALLED_AFTER: the worker is gone."""
        return self.status == JobStatus.RUNNING and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def waiting_for_worker(self):
        wait = datetime.timedelta(seconds=settings.JOB_WORKER_GRACE_SECONDS)
        return self.status == JobStatus.QUEUED and timezone.now() - self.queued_at > wait

    def percent(self, done):
        if not self.rows_total:
            return 0
        return min(100, round(100 * done / self.rows_total))

    @property
    def validated_percent(self):
        return self.percent(self.rows_validated)

    @property
    def applied_percent(self):
        return self.percent(self.rows_applied)

    @property
    def output_expires_at(self):
        if not self.output_file or self.finished_at is None:
            return None
        return self.finished_at + datetime.timedelta(days=settings.JOB_RESULT_DAYS)

    @property
    def output_available(self):
        """A produced file that may still be downloaded (see the module docstring)."""
        expires = self.output_expires_at
        return expires is not None and timezone.now() < expires

    @property
    def progress_percent(self):
        """The step's progress in one number: for an import checking counts for half, writing
        for the rest; other kinds count the rows written."""
        if not self.rows_total:
            return 0
        if self.kind != JobKind.WORKBOOK_IMPORT:
            return self.applied_percent
        return min(100, round(50 * (self.rows_validated + self.rows_applied) / self.rows_total))

    @property
    def template_name(self):
        """The kind's own part of the job page (preview, result)."""
        return f"jobs/kinds/{self.kind}.html"
