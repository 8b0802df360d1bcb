"""The workbook import as a background job (issue 16): the preview writes nothing and counts
exactly what the import does, both run in short transactions with nothing held between chunks,
progress is counted, a change by someone else after the preview is caught, and the upload is
refused when the import could not be finished."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessment.workbooks import staged
from assessment.workbooks.importer import import_workbook
from projects.models import ClaimStatus, MonthlyInvestment, Project
from tests.factories import JobFactory, ProjectFactory, investment
from tests.workbooks.conftest import build_workbook, import_through_page, project_row
from tests.workbooks.test_import import year_workbook
from units.models import Unit
from zhaoshang.guarded import trusted
from zhaoshang.jobs import runner
from zhaoshang.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)
INDICATOR_ROW = [2025, "signed_100m", "新引进亿元合同项目", "节点项目个数", "签约", "合同投资"]


def year_workbook_sheets():
    return {"考核指标": [INDICATOR_ROW + [10000, "是", "", 25]]}


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.TEMP_DIR = tmp_path


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(staged, "CHUNK_ROWS", 2)


def approve(figure):
    """审定 by someone else, as the workflow records it (its last step)."""
    with trusted("审定"):
        figure.status = ClaimStatus.APPROVED
        figure.save()


def three_projects(amount_c=200):
    """Three projects of 东湖区, one March figure each: with CHUNK_ROWS 2, a chunk apiece."""
    names = ["项目甲", "项目乙", "项目丙"]
    return build_workbook(
        {
            "项目": [project_row(name=n) for n in names],
            "固定资产投资": [[n, "2025-03", amount_c if n == "项目丙" else 100] for n in names],
        }
    )


def test_the_preview_counts_what_one_transaction_would_and_keeps_nothing(city, small_chunks):
    expected = import_workbook(year_workbook(), dry_run=True)
    report = staged.preview_workbook(year_workbook())
    assert report.ok and sorted(report.count_rows()) == sorted(expected.count_rows())
    assert report.new_industries == expected.new_industries == ["高端装备"]
    assert not Project.objects.exists()


def test_splitting_a_plan_keeps_every_row_and_the_workbook_year(city, small_chunks):
    plan = staged.validate(staged.read_workbook(year_workbook(), [], []), [])
    rules, chunks = staged.split_plan(plan)
    assert len(chunks) > 1
    for name in staged.RULE_FIELDS:
        assert getattr(rules, name) == getattr(plan, name)
    assert [p for c in chunks for p in c.projects] == plan.projects
    assert [r for c in chunks for r in c.investments] == plan.investments
    assert [r for c in chunks for r in c.funds] == plan.funds
    assert {n: r for c in chunks for n, r in c.shares.items()} == plan.shares
    assert plan.year is not None and {c.year for c in [rules, *chunks]} == {plan.year}


def test_the_import_writes_what_the_preview_showed(city, small_chunks):
    preview = staged.preview_workbook(year_workbook())
    report = staged.apply_workbook(year_workbook())
    assert report.ok and not report.reverted
    assert sorted(report.count_rows()) == sorted(preview.count_rows())
    assert Project.objects.count() == 2
    assert staged.apply_workbook(year_workbook()).count_rows() == [
        (sheet, 0, 0, sum(c)) for sheet, *c in report.count_rows() if sheet != "产业"
    ]


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_held_between_chunks(city, small_chunks):
    """Other users write between two chunks: the import holds no lock there, and what it has
    written so far is committed."""
    seen = []

    def progress(stage, done, total):
        if stage == "apply":
            seen.append((connection.in_atomic_block, Project.objects.count()))

    staged.apply_workbook(three_projects(), progress=progress)
    assert [held for held, _ in seen] == [False] * 4  # the rules, then three chunks
    assert [count for _, count in seen] == [0, 1, 2, 3]


def test_progress_reaches_every_row(city):
    calls = []
    staged.preview_workbook(three_projects(), progress=lambda *c: calls.append(c))
    stages = [stage for stage, _, _ in calls]
    assert stages.index("validate") < stages.index("apply")
    assert calls[-1] == ("apply", 6, 6)
    assert ("validate", 6, 6) in calls


def test_a_page_upload_shows_the_counters_and_removes_the_file_at_the_end(login, reviewer, city):
    client = login(reviewer)
    job = import_through_page(client, three_projects(), confirm=False).context["job"]
    assert (job.rows_total, job.rows_validated, job.rows_applied) == (6, 6, 6)
    assert runner.job_file(job) is not None
    response = client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    assert "导入成功" in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and runner.job_file(job) is None
    assert Project.objects.count() == 3


def test_a_claim_approved_after_the_preview_stops_the_import(login, reviewer, city):
    project = ProjectFactory(name="项目丙", unit=city["a"])
    figure = investment(project, MARCH, 150, status=ClaimStatus.SUBMITTED)
    client = login(reviewer)
    job = import_through_page(client, three_projects(), confirm=False).context["job"]
    assert job.status == JobStatus.PREVIEW

    approve(figure)
    response = client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    page = response.content.decode()
    assert "该申报已审定，不能直接修改" in page and "未导入任何数据" in page
    assert Project.objects.count() == 1
    assert MonthlyInvestment.objects.get().amount == Decimal(150)


def test_a_harmless_change_after_the_preview_asks_again(login, reviewer, city):
    client = login(reviewer)
    job = import_through_page(client, three_projects(), confirm=False).context["job"]
    ProjectFactory(name="别的项目", unit=city["b"])
    response = client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    page = response.content.decode()
    assert "预览之后，其他用户修改了相关数据" in page and "确认导入" in page
    assert Project.objects.count() == 1
    response = client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    assert "导入成功" in response.content.decode() and Project.objects.count() == 4


def test_a_refusal_in_a_later_chunk_takes_back_the_earlier_chunks(city, small_chunks):
    """Someone approves a figure while the import is writing (bypassing the workflow, which
    refuses it then): the chunk holding it is refused, and what the earlier chunks wrote is
    taken back — the import is all or nothing (issue 16)."""
    project = ProjectFactory(name="项目丙", unit=city["a"])
    figure = investment(project, MARCH, 150, status=ClaimStatus.SUBMITTED)

    def progress(stage, done, total):
        if stage == "apply" and figure.status != ClaimStatus.APPROVED:
            approve(figure)

    report = staged.apply_workbook(three_projects(), progress=progress)
    assert report.reverted and not report.counts
    assert any("该申报已审定" in e.message for e in report.errors)
    assert all("项目丙" in e.message for e in report.errors)
    assert list(Project.objects.values_list("name", flat=True)) == ["项目丙"]
    assert MonthlyInvestment.objects.get(project=project).amount == Decimal(150)


def test_a_refusal_among_the_rules_writes_nothing(city, small_chunks, monkeypatch):
    """The rules go first: refused there (a locked year), not even the new unit is kept."""
    monkeypatch.setattr("assessment.models.AssessmentYear.rules_locked", lambda self: True)
    indicator = year_workbook_sheets()["考核指标"][:1]
    workbook = build_workbook(
        {"单位": [["南河县", "县区", "赵县长"]], "考核指标": indicator, "项目": [project_row()]}
    )
    report = staged.apply_workbook(workbook)
    assert "年度考核规则已锁定" in report.errors[0].message
    assert not Unit.objects.filter(name="南河县").exists() and not Project.objects.exists()


def test_only_one_import_runs_at_a_time(login, reviewer, city):
    busy = JobFactory(status=JobStatus.RUNNING)
    response = import_through_page(login(reviewer), three_projects())
    assert f"另一项 Excel 导入（任务 #{busy.pk}）正在进行" in response.content.decode()
    assert Job.objects.count() == 1


def test_an_upload_is_refused_when_no_worker_takes_jobs(login, reviewer, city, settings):
    stuck = JobFactory(status=JobStatus.QUEUED)
    late = timezone.now() - datetime.timedelta(seconds=settings.JOB_WORKER_GRACE_SECONDS + 5)
    Job.objects.filter(pk=stuck.pk).update(queued_at=late)
    response = import_through_page(login(reviewer), three_projects())
    assert "后台任务处理程序没有运行" in response.content.decode()
    assert Job.objects.count() == 1 and not Project.objects.exists()


def test_a_finished_import_cannot_be_confirmed_again(login, reviewer, city):
    client = login(reviewer)
    job = import_through_page(client, three_projects()).context["job"]
    response = client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    assert "该导入不在待确认状态" in response.content.decode()
    assert Project.objects.count() == 3


def test_the_reading_progress_is_reported_for_a_big_file(city):
    content = build_workbook({"项目": [project_row(name=f"项目{n}") for n in range(400)]})
    calls = []
    staged.preview_workbook(io.BytesIO(content.getvalue()), progress=lambda *c: calls.append(c))
    reads = [done for stage, done, _ in calls if stage == "read"]
    assert reads and reads == sorted(reads)
