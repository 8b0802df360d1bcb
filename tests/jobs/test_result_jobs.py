"""Jobs that produce a file or a result (issue 21): the ranking workbook, large list exports and
测算 run as background jobs with progress; the file is the workbook the request wrote before,
downloaded by the job's owner only, and removed after JOB_RESULT_DAYS."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.defaults import create_default_year
from assessment.models import Snapshot
from assessment.snapshots import compute_snapshot, publish
from assessment.workbooks.ranking import evidence_rows, snapshot_rows, write_ranking_workbook
from assessment.workbooks.ranking_job import build_ranking, ranking_result
from tests.factories import (
    MilestoneFactory,
    ProjectFactory,
    TargetFactory,
    UnitFactory,
    UserFactory,
)
from tests.workbooks.downloads import job_download, job_message, job_of
from units.models import Role
from zhaoshang.jobs.models import Job, JobKind, JobStatus
from zhaoshang.jobs.outputs import output_path, results_dir

pytestmark = pytest.mark.django_db
RANKING = reverse("workbook:ranking", args=[2026, 1])

CONFIRM = {"confirm": "yes"}  # 测算 is posted with its confirmation (issue 18)


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TEMP_DIR = tmp_path / "tmp"


@pytest.fixture
def year(unit_a):
    year = create_default_year(2026)
    TargetFactory(indicator=year.indicators.get(code="signed_100m"), unit=unit_a, value=2)
    MilestoneFactory(project=ProjectFactory(unit=unit_a, name="=甲县电机"), kind="signed")
    return year


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def values(content):
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def content_of(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


# --- the ranking workbook -------------------------------------------------------------------


def test_ranking_download_is_a_job_with_progress_and_the_old_workbook(year, reviewer):
    client = client_of(reviewer)
    response = client.post(RANKING)
    job = job_of(response)
    assert (job.kind, job.status, job.user) == (JobKind.RANKING_WORKBOOK, JobStatus.DONE, reviewer)
    assert job.rows_total == job.rows_applied > 0  # one ranked unit, its group and a claim
    page = client.get(response["Location"]).content.decode()
    assert "文件已生成" in page and "下载" in page
    downloaded = values(content_of(job_download(client, response)))
    shown = ranking_result(reviewer, 2026, 1)
    old = io.BytesIO()
    rows = snapshot_rows(shown.snapshot)
    rows = evidence_rows(shown.result) if rows is None else rows
    # The job's file is the workbook the writer makes directly (that the streamed writer keeps
    # the old openpyxl workbook's cells is test_ranking_stream's).
    write_ranking_workbook(shown.result, old, claim_rows=rows, draft=True)
    assert downloaded == values(old.getvalue())
    assert downloaded["单位排名"][5][2] == "甲县"  # title, draft line, note, header, section


def test_only_the_owner_downloads_the_file(year, reviewer, leader):
    response = client_of(reviewer).post(RANKING)
    url = reverse("jobs:download", args=[job_of(response).pk])
    other_reviewer = UserFactory(username="reviewer2", role=Role.REVIEWER, unit=None)
    assert client_of(other_reviewer).get(url).status_code == 404
    assert client_of(leader).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert client_of(reviewer).get(url).status_code == 200


def test_who_may_not_download_gets_403_no_job_and_no_button(year, staff_a, reviewer):
    client = client_of(staff_a)
    assert client.post(RANKING).status_code == 403
    assert not Job.objects.exists()
    page = client.get(reverse("assessment:ranking", args=[2026, 1])).content.decode()
    assert RANKING not in page
    assert (
        RANKING
        in client_of(reviewer).get(reverse("assessment:ranking", args=[2026, 1])).content.decode()
    )


def test_files_expire_and_cleanup_removes_them(year, reviewer, settings):
    client = client_of(reviewer)
    response = client.post(RANKING)
    job = job_of(response)
    path = output_path(job)
    assert path is not None and path.is_file()
    Job.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=settings.JOB_RESULT_DAYS, hours=1)
    )
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert "已超过保留期限" in client.get(response["Location"]).content.decode()
    orphan = results_dir() / "job-999-left.xlsx"
    orphan.write_bytes(b"x")
    old = (timezone.now() - datetime.timedelta(days=settings.JOB_RESULT_DAYS + 1)).timestamp()
    os.utime(orphan, (old, old))
    call_command("cleanup", stdout=io.StringIO())
    assert not path.exists() and not orphan.exists()
    job.refresh_from_db()
    assert job.output_file == ""


def test_ranking_build_runs_a_fixed_number_of_queries(year, reviewer, unit_a):
    """Live computation (no snapshot) and a stored draft, each with 1 and with 12 units."""

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            build_ranking(ranking_result(reviewer, 2026, 1), io.BytesIO())
        return len(ctx)

    def grow():
        indicator = year.indicators.get(code="signed_100m")
        for n in range(11):
            unit = UnitFactory(name=f"第{n}县")
            TargetFactory(indicator=indicator, unit=unit, value=3)
            for m in range(3):
                MilestoneFactory(
                    project=ProjectFactory(unit=unit, name=f"项目{n}-{m}"), kind="signed"
                )

    small = queries()
    grow()
    assert queries() == small
    compute_snapshot(year, 1, reviewer)
    stored = queries()
    for n in range(5):
        MilestoneFactory(project=ProjectFactory(unit=unit_a, name=f"再签{n}"), kind="signed")
    compute_snapshot(year, 1, reviewer)
    assert queries() == stored


# --- large list exports ---------------------------------------------------------------------


def pending_claims(unit, count):
    for n in range(count):
        MilestoneFactory(
            project=ProjectFactory(unit=unit, name=f"待审项目{n}"),
            kind="signed",
            status="submitted",
        )


EXPORTS = [
    ("projects:project_list", {}),
    ("review:queue", {}),
    ("projects:alert_list", {}),
]


@pytest.mark.parametrize(("name", "query"), EXPORTS)
def test_exports_over_the_threshold_are_jobs_with_the_same_workbook(
    name, query, settings, reviewer, unit_a
):
    pending_claims(unit_a, 4)
    for n in range(3):  # signed 400 days ago, not started: alerts
        MilestoneFactory(
            project=ProjectFactory(unit=unit_a, name=f"久签项目{n}", stage="signed"),
            kind="signed",
            date=datetime.date.today() - datetime.timedelta(days=400),
        )
    client = client_of(reviewer)
    url = reverse(name)
    params = query | {"_export": "xlsx"}
    settings.EXPORT_JOB_THRESHOLD = 1000
    direct = client.get(url, params)
    assert direct.status_code == 200 and not Job.objects.exists()
    direct_values = values(content_of(direct))
    rows = len(next(iter(direct_values.values()))) - 2  # the title row and the header row
    assert rows >= 3

    settings.EXPORT_JOB_THRESHOLD = rows - 1
    response = client.get(url, params)
    job = job_of(response)
    assert (job.kind, job.status) == (JobKind.LIST_EXPORT, JobStatus.DONE)
    assert job.rows_total == job.rows_applied == rows
    download = job_download(client, response)
    assert download["Content-Disposition"] == direct["Content-Disposition"]
    assert values(content_of(download)) == direct_values

    settings.EXPORT_JOB_THRESHOLD = rows  # exactly at the threshold: still streamed at once
    assert client.get(url, params).status_code == 200
    assert Job.objects.count() == 1


def test_export_jobs_keep_the_filters_and_the_scope(settings, reviewer, staff_a, unit_a, unit_b):
    pending_claims(unit_a, 3)
    pending_claims(unit_b, 2)
    settings.EXPORT_JOB_THRESHOLD = 0
    client = client_of(reviewer)
    response = client.get(reverse("projects:project_list"), {"_export": "xlsx", "unit": unit_b.pk})
    sheet = values(content_of(job_download(client, response)))
    assert len(next(iter(sheet.values()))) == 2 + 2  # title, header, rows
    # The review queue is the office's and leaders': a unit user gets 403 and no job.
    assert client_of(staff_a).get(reverse("review:queue"), {"_export": "xlsx"}).status_code == 403
    assert Job.objects.count() == 1
    # A unit user's project export is scoped to what the unit user sees.
    own = client_of(staff_a)
    response = own.get(reverse("projects:project_list"), {"_export": "xlsx"})
    sheet = values(content_of(job_download(own, response)))
    assert len(next(iter(sheet.values()))) == 2 + 3


# --- 测算 -------------------------------------------------------------------------------------


def test_recompute_is_a_job_that_ends_with_the_message(year, reviewer):
    client = client_of(reviewer)
    response = client.post(reverse("assessment:compute", args=[2026, 1]), CONFIRM)
    job = job_of(response)
    assert (job.kind, job.status) == (JobKind.RECOMPUTE, JobStatus.DONE)
    assert "已测算" in job_message(response) and Snapshot.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "已测算" in page and reverse("assessment:ranking", args=[2026, 1]) in page


def test_recompute_of_a_published_quarter_fails_with_the_reason(year, reviewer):
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    response = client_of(reviewer).post(reverse("assessment:compute", args=[2026, 1]), CONFIRM)
    assert job_of(response).status == JobStatus.FAILED
    assert "须先解锁" in job_message(response)
    assert Snapshot.objects.count() == 1


def test_recompute_is_the_office_s(year, leader, staff_a):
    for user in (leader, staff_a):
        assert (
            client_of(user).post(reverse("assessment:compute", args=[2026, 1])).status_code == 403
        )
    assert not Job.objects.exists()


def test_a_running_workbook_job_shows_rows_written(reviewer):
    job = Job.objects.create(
        user=reviewer,
        kind=JobKind.RANKING_WORKBOOK,
        title="2026年第一季度招商引资考核排名.xlsx",
        status=JobStatus.RUNNING,
        phase="正在生成排名表",
        rows_total=200,
        rows_applied=50,
    )
    client = client_of(reviewer)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "正在生成排名表" in page
    assert '已写出 <span data-testid="rows-applied">50</span> / 200 行' in page
    assert 'style="width: 25%"' in page and "已校验" not in page
    assert reverse("jobs:download", args=[job.pk]) not in page  # nothing to download yet
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert "25%" in client.get(reverse("jobs:list")).content.decode()
