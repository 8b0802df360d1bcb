"""The chunked import is all or nothing, and imports run one at a time (issue 16, case 6).

The chunked import commits chunk by chunk so that other users keep working. It once left the
earlier chunks written when a later one was refused (an approval or a publication between two
chunks). Now, while it writes, the years it touches are marked on the import lease: publishing,
computing and approving in them are refused until it ends; and should a later chunk still fail,
what the earlier ones wrote is taken back. A second import meanwhile is refused, never doubled.

Other users are simulated in the same thread with an empty context (`contextvars.Context().run`):
they do not hold the import's lease, exactly as another request would not.
"""

import contextvars
import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assessment import snapshots
from assessment.models import AssessmentYear, ImportLease, Indicator, Target
from assessment.workbooks import serial, staged
from assessment.workbooks.importer import import_workbook
from projects import claims
from projects.models import (
    ClaimStatus,
    CreditShare,
    FundsEntry,
    Industry,
    Milestone,
    MonthlyInvestment,
    NewnessOverride,
    Project,
)
from tests.factories import ProjectFactory, UserFactory, default_year, investment
from tests.workbooks.conftest import build_workbook, project_row
from tests.workbooks.test_import import year_workbook
from units.models import CollaborationGroup, GroupMembership, Role, Unit

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(staged, "CHUNK_ROWS", 2)


def as_someone_else(function, *args):
    """Run `function` as another user would: outside the import's context (its lease)."""
    try:
        return contextvars.Context().run(function, *args)
    except (snapshots.SnapshotError, claims.ClaimError) as exc:
        return getattr(exc, "message", str(exc))


def state():
    """What a user can see of everything an import writes."""

    def rows(queryset, *fields):
        return sorted(tuple(str(v) for v in row) for row in queryset.values_list(*fields))

    return {
        "units": rows(Unit.objects, "name", "unit_type", "head_name"),
        "groups": rows(
            CollaborationGroup.objects, "year", "name", "leader_name", "lead_unit__name"
        ),
        "members": rows(GroupMembership.objects, "year", "group__name", "unit__name"),
        "years": rows(AssessmentYear.objects, "year"),
        "indicators": rows(Indicator.objects, "year__year", "code", "threshold", "weight"),
        "targets": rows(Target.objects, "indicator__code", "unit__name", "group__name", "value"),
        "projects": rows(
            Project.objects,
            "name",
            "unit__name",
            "industry__name",
            "category",
            "stage",
            "total_investment",
            "contracted_investment",
            "investor_name",
            "investor_credit_code",
        ),  # fmt: skip
        "shares": rows(CreditShare.objects, "project__name", "unit__name", "percent"),
        "milestones": rows(Milestone.objects, "project__name", "kind", "date", "status"),
        "investments": rows(
            MonthlyInvestment.objects, "project__name", "month", "amount", "status"
        ),
        "funds": rows(FundsEntry.objects, "project__name", "date", "source", "amount", "status"),
        "newness": rows(NewnessOverride.objects, "project__name", "year", "is_new"),
        "industries": rows(Industry.objects, "name"),
    }


@pytest.fixture
def existing(city):
    """东湖区 and one of the workbook's projects already there, with a figure the workbook
    changes and the default 100 % share the workbook replaces by 60/40."""
    unit = city["a"]
    unit.head_name = "张明华"
    unit.save()
    project = ProjectFactory(
        name="新能源电机项目", unit=unit, industry=Industry.objects.get(), stage="negotiating"
    )
    investment(project, MARCH, 100, status=ClaimStatus.SUBMITTED)
    return project


def test_a_failure_in_a_later_chunk_leaves_the_database_as_before(
    existing, small_chunks, monkeypatch
):
    before = state()
    real, calls = staged.apply_plan, []

    def failing(plan, report, **kwargs):
        calls.append(plan)
        if len(calls) == 3:  # the rules and the first project are written; the second fails
            raise RuntimeError("disk full")
        return real(plan, report, **kwargs)

    monkeypatch.setattr(staged, "apply_plan", failing)
    with pytest.raises(RuntimeError):
        staged.apply_workbook(year_workbook())
    assert len(calls) == 3
    assert state() == before
    # The lease is free again: the same workbook imports completely.
    monkeypatch.setattr(staged, "apply_plan", real)
    report = staged.apply_workbook(year_workbook())
    assert report.ok, report.errors
    assert Unit.objects.get(name="东湖区").head_name == "王建华"
    assert MonthlyInvestment.objects.get(project=existing).amount == Decimal("3200.5")
    assert not ImportLease.objects.exists()


def test_a_refusal_in_a_later_chunk_leaves_the_database_as_before(
    existing, small_chunks, monkeypatch
):
    """A zero report filed between two chunks refuses a later one: nothing stays."""
    before = state()
    real, calls = staged.apply_plan, []

    def refusing(plan, report, **kwargs):
        calls.append(plan)
        real(plan, report, **kwargs)
        if len(calls) == 3:
            report.errors.append(staged.RowError("项目", 3, "", "该月已报告零投资"))

    monkeypatch.setattr(staged, "apply_plan", refusing)
    report = staged.apply_workbook(year_workbook())
    assert report.reverted and "该月已报告零投资" in report.errors[0].message
    assert state() == before


def test_publishing_computing_and_approving_wait_for_the_import(city, small_chunks):
    year = default_year(2025)
    other = ProjectFactory(name="别的项目", unit=city["b"])
    confirmed = investment(other, MARCH, 300, status=ClaimStatus.CONFIRMED)
    leader = UserFactory(role=Role.LEADER, unit=None)
    names = ["项目甲", "项目乙", "项目丙"]
    workbook = build_workbook(
        {
            "项目": [project_row(name=n) for n in names],
            "固定资产投资": [[n, "2025-03", 100] for n in names],
        }
    )
    seen = []

    def progress(stage, done, total):
        if stage == "apply" and not seen:
            seen.append(as_someone_else(snapshots.compute_snapshot, 2025, 1))
            result = as_someone_else(claims.act_many, leader, [confirmed], claims.Action.APPROVE)
            seen.append(result.failed[0][1] if result.failed else "approved")

    report = staged.apply_workbook(workbook, progress=progress)
    assert report.ok, report.errors
    assert all(m.startswith("2025 年度正在导入数据（命令行导入）") for m in seen), seen
    assert set(Project.objects.values_list("name", flat=True)) == {*names, "别的项目"}
    assert MonthlyInvestment.objects.filter(project__name__in=names).count() == 3
    confirmed.refresh_from_db()
    assert confirmed.status == ClaimStatus.CONFIRMED
    # Once the import has ended, the year is the office's again.
    assert snapshots.compute_snapshot(2025, 1).year == year
    assert claims.act_many(leader, [confirmed], claims.Action.APPROVE).done == [confirmed]


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="one connection holds PostgreSQL's advisory lock twice; test_import_races uses two",
)
def test_a_second_import_while_one_writes_is_refused(city, small_chunks, tmp_path, capsys):
    """The command and the chunked import, started while another import writes (another
    process: its lease taken in an empty context)."""
    other = contextvars.Context()
    token = other.run(serial.acquire, "Excel 导入任务 #7")
    try:
        report = staged.apply_workbook(year_workbook())
        assert report.busy and "另一个导入正在进行（Excel 导入任务 #7" in report.errors[0].message
        path = tmp_path / "same.xlsx"
        path.write_bytes(year_workbook().getvalue())
        with pytest.raises(CommandError, match="未导入任何数据"):
            call_command("import_workbook", str(path))
        assert "另一个导入正在进行" in capsys.readouterr().err
        assert not Project.objects.exists()
    finally:
        other.run(serial.release, token)
    assert import_workbook(year_workbook()).ok
    assert Project.objects.count() == 2


def test_a_lease_whose_holder_stopped_writing_long_ago_is_taken_over(city):
    token = contextvars.Context().run(serial.acquire, "Excel 导入任务 #7")
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    ImportLease.objects.filter(token=token).update(heartbeat_at=long_ago)
    if serial._postgres():  # there the advisory lock says the holder is alive: let it go
        serial._unlock_advisory()
    assert import_workbook(year_workbook()).ok


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="one connection holds PostgreSQL's advisory lock twice; test_import_races uses two",
)
def test_confirming_while_a_command_import_writes_keeps_the_preview(
    city, login, reviewer, settings, tmp_path
):
    from django.urls import reverse

    from tests.workbooks.conftest import import_through_page
    from zhaoshang.jobs.models import JobStatus

    settings.TEMP_DIR = tmp_path
    client = login(reviewer)
    job = import_through_page(client, year_workbook(), confirm=False).context["job"]
    other = contextvars.Context()
    token = other.run(serial.acquire, serial.COMMAND_HOLDER)
    try:
        response = client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
        assert "另一个导入正在进行（命令行导入" in response.content.decode()
        job.refresh_from_db()
        assert job.status == JobStatus.PREVIEW and not Project.objects.exists()
    finally:
        other.run(serial.release, token)
    response = client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
    assert "导入成功" in response.content.decode() and Project.objects.count() == 2


def test_a_failed_verified_import_takes_back_its_approved_figures(
    existing, small_chunks, monkeypatch
):
    """Historical data arrives approved; a failure in a later chunk still leaves nothing."""
    before = state()
    real, calls = staged.apply_plan, []

    def failing(plan, report, **kwargs):
        calls.append(plan)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(plan, report, **kwargs)

    monkeypatch.setattr(staged, "apply_plan", failing)
    with pytest.raises(RuntimeError):
        staged.apply_workbook(year_workbook(), verified=True)
    assert state() == before
