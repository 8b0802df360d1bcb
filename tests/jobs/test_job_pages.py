"""The job page: only its owner sees it, it polls while the job runs and stops when it ends, it
can be left and found again in the list, a waiting job can be cancelled, and a job whose code
fails ends with a message instead of a bar that never moves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import JobFactory, UserFactory
from units.models import Role
from zhaoshang.jobs import runner
from zhaoshang.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.TEMP_DIR = tmp_path


@pytest.fixture
def running(reviewer):
    return JobFactory(
        user=reviewer,
        status=JobStatus.RUNNING,
        phase="正在逐行校验",
        rows_total=2000,
        rows_validated=500,
    )


def test_the_owner_sees_progress_and_the_page_polls(login, reviewer, running):
    page = login(reviewer).get(reverse("jobs:detail", args=[running.pk])).content.decode()
    assert "正在逐行校验" in page
    assert '已校验 <span data-testid="rows-validated">500</span> / 2000 行' in page
    assert 'style="width: 25%"' in page
    assert f'hx-get="/jobs/{running.pk}/"' in page and 'hx-trigger="every 1s"' in page
    assert "可以离开本页" in page


def test_htmx_gets_the_job_part_alone(login, reviewer, running):
    response = login(reviewer).get(
        reverse("jobs:detail", args=[running.pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'id="job"' in body and "<html" not in body


def test_a_finished_job_stops_polling(login, reviewer):
    job = JobFactory(user=reviewer, status=JobStatus.DONE, result={"counts": [["项目", 3, 0, 0]]})
    page = login(reviewer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page
    assert "导入成功" in page
    assert '<td>项目</td><td class="num">3</td>' in page


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN, Role.LEADER])
def test_nobody_else_sees_a_job(login, running, role):
    other = UserFactory(role=role, unit=None, is_superuser=role == Role.ADMIN)
    client = login(other)
    for name in ("jobs:detail", "jobs:errors"):
        assert client.get(reverse(name, args=[running.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[running.pk])).status_code == 404
    assert running.title not in client.get(reverse("jobs:list")).content.decode()


def test_my_jobs_list_only_mine_newest_first(login, reviewer):
    old = JobFactory(user=reviewer, title="一月数据.xlsx", status=JobStatus.DONE)
    new = JobFactory(user=reviewer, title="二月数据.xlsx", status=JobStatus.RUNNING)
    JobFactory(title="别人的数据.xlsx")
    page = login(reviewer).get(reverse("jobs:list")).content.decode()
    assert "别人的数据.xlsx" not in page
    assert page.index(new.title) < page.index(old.title)
    assert f'href="/jobs/{new.pk}/"' in page


def test_a_waiting_job_can_be_cancelled_and_its_file_is_removed(login, reviewer):
    job = JobFactory(user=reviewer, status=JobStatus.PREVIEW)
    path = runner.jobs_dir() / f"job-{job.pk}-x.xlsx"
    path.write_bytes(b"PK")
    Job.objects.filter(pk=job.pk).update(file_name=path.name)
    response = login(reviewer).post(reverse("jobs:cancel", args=[job.pk]), follow=True)
    assert "任务已取消，未保存任何数据" in response.content.decode()
    assert Job.objects.get(pk=job.pk).status == JobStatus.CANCELLED
    assert not path.exists()


def test_a_running_job_cannot_be_cancelled(login, reviewer, running):
    login(reviewer).post(reverse("jobs:cancel", args=[running.pk]))
    assert Job.objects.get(pk=running.pk).status == JobStatus.RUNNING


def test_a_queued_job_without_a_worker_says_so(login, reviewer, settings):
    job = JobFactory(user=reviewer, status=JobStatus.QUEUED)
    Job.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - datetime.timedelta(seconds=settings.JOB_WORKER_GRACE_SECONDS + 1)
    )
    page = login(reviewer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "后台任务处理程序似乎没有运行" in page


def test_a_job_whose_worker_died_says_so(login, reviewer, running):
    Job.objects.filter(pk=running.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    page = login(reviewer).get(reverse("jobs:detail", args=[running.pk])).content.decode()
    assert "超过 10 分钟没有进展" in page


@runner.job_task
def failing_body(job, progress):
    progress.update(force=True, phase="正在逐行校验", rows_total=10, rows_validated=3)
    raise RuntimeError("boom")


def test_a_job_whose_code_fails_ends_with_a_message(login, reviewer, caplog):
    job = JobFactory(user=reviewer, status=JobStatus.QUEUED)
    path = runner.jobs_dir() / f"job-{job.pk}-y.xlsx"
    path.write_bytes(b"PK")
    Job.objects.filter(pk=job.pk).update(file_name=path.name)
    runner.start(job, failing_body)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert not path.exists()
    assert "Background job" in caplog.text and "boom" in caplog.text
    page = login(reviewer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f"后台处理时出现意外错误（任务 #{job.pk}）" in page
    assert "boom" not in page
