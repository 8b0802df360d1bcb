"""Files background jobs produce (a ranking workbook, a large list export).

Decisions:
- Stored in MEDIA_ROOT/job-results/ (owner-only folder, never served as a URL: MEDIA_URL is not
  routed), under a random name, and handed out only by `jobs:download`, which answers 404 to
  anyone but the job's owner — the same rule as the job page (zhaoshang.jobs.models).
- Kept JOB_RESULT_DAYS days after the job ended. `manage.py cleanup` removes older files (and
  files no job points at any more); a download after the limit is refused even if the sweep has
  not run yet, so the limit holds without cron.
- Written to a temporary name and renamed when complete, so a crash never leaves a half file
  a user could download.
"""

import contextlib
import datetime
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from zhaoshang.jobs.models import Job

RESULTS = "job-results"


def results_dir():
    root = Path(settings.MEDIA_ROOT) / RESULTS
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def write_output(job, write, filename):
    """Call `write(fileobj)` into a new file of `job` and record it (and its download name)."""
    suffix = Path(filename).suffix.lower()[:8] or ".bin"
    name = f"job-{job.pk}-{secrets.token_hex(8)}{suffix}"
    final = results_dir() / name
    partial = final.with_name(f"{name}.part")
    try:
        with open(partial, "wb") as out:
            write(out)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    remove_output(job)  # a job run again replaces its file
    job.output_file, job.output_name = name, filename[:255]
    Job.objects.filter(pk=job.pk).update(output_file=name, output_name=job.output_name)


def output_path(job):
    """The job's file while it may be downloaded, else None (expired, swept or never made)."""
    if not job.output_available:
        return None
    path = results_dir() / Path(job.output_file).name
    return path if path.is_file() else None


def remove_output(job):
    if job.output_file:
        (results_dir() / Path(job.output_file).name).unlink(missing_ok=True)


def sweep_outputs(days=None, now=None):
    """Remove job files older than `days` (default JOB_RESULT_DAYS) after their job ended, and
    files no job points at that are as old; returns the paths removed."""
    days = settings.JOB_RESULT_DAYS if days is None else days
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    root = results_dir()
    removed = []
    old = Job.objects.exclude(output_file="").filter(finished_at__lt=cutoff)
    for job in old.only("pk", "output_file"):
        path = root / Path(job.output_file).name
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
        Job.objects.filter(pk=job.pk).update(output_file="")
    known = set(Job.objects.exclude(output_file="").values_list("output_file", flat=True))
    for path in root.iterdir():
        with contextlib.suppress(OSError):
            stale = path.stat().st_mtime < cutoff.timestamp()
            if path.is_file() and path.name not in known and stale:
                path.unlink()
                removed.append(path)
    return sorted(removed)
