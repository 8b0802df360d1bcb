"""The real path: the upload queues its job in the database (django-tasks-db) and nothing runs
until the worker command takes it; the worker previews, the confirmation queues the import, and
the worker imports. The rest of the suite runs tasks immediately (tests/conftest.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from projects.models import Project
from tests.factories import IndustryFactory, UnitFactory
from tests.workbooks.conftest import build_workbook, project_row
from zhaoshang.jobs.models import Job, JobStatus

# The worker closes connections it finds inside a transaction (as between requests), so this
# test commits for real instead of running inside the usual test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings, tmp_path):
    settings.TEMP_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_worker_runs_the_preview_and_the_confirmed_import(login, reviewer):
    UnitFactory(name="东湖区")
    IndustryFactory(name="装备制造")
    client = login(reviewer)
    workbook = build_workbook({"项目": [project_row()]}).getvalue()
    response = client.post(
        reverse("workbook:import"), {"file": SimpleUploadedFile("年度数据.xlsx", workbook)}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id and task.task_path.endswith("check_import")
    assert "排队中" in client.get(response["Location"]).content.decode()

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEW and not Project.objects.exists()
    assert job.rows_total == 1 and job.rows_validated == 1 and job.rows_applied == 1

    client.post(reverse("workbook:import_confirm", args=[job.pk]))
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Project.objects.get().name == "新能源电机项目"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert "导入成功" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
