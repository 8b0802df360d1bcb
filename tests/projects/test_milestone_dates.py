"""The project's verified milestone dates (`Project.signed_on` …, issue 21) follow the workflow:
an approval sets them, a rejection, a reopening or a withdrawal never leaves a date a reviewer has
not approved, and a unit's draft signing shows neither on the project list nor on the structure
tab to anyone else (drafts are private, SPEC §1)."""

import datetime

import pytest
from django.urls import reverse

from assessment.dashboard.structure import year_projects
from projects import claims
from projects.models import ClaimStatus, Project
from tests.factories import EvidenceFactory, MilestoneFactory, ProjectFactory
from tests.factories.base import unguarded

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 5)


def signed_on(project):
    return Project.objects.get(pk=project.pk).signed_on


def signing(project, status):
    milestone = MilestoneFactory(project=project, date=DAY, status=status)
    EvidenceFactory(milestone=milestone)
    return milestone


def test_approval_sets_the_date_and_reopening_clears_it(project_a, leader, reviewer):
    milestone = signing(project_a, ClaimStatus.CONFIRMED)
    assert signed_on(project_a) is None
    claims.transition(leader, milestone, claims.Action.APPROVE)
    assert signed_on(project_a) == DAY
    milestone.refresh_from_db()
    claims.transition(reviewer, milestone, claims.Action.REOPEN, comment="金额有误")
    assert signed_on(project_a) is None


def test_a_rejected_or_withdrawn_signing_gives_no_date(project_a, unit_b, reviewer, admin_user):
    rejected = signing(project_a, ClaimStatus.SUBMITTED)
    claims.transition(reviewer, rejected, claims.Action.REJECT, comment="合同不全")
    assert signed_on(project_a) is None
    other = ProjectFactory(unit=unit_b)
    withdrawn = signing(other, ClaimStatus.SUBMITTED)
    claims.transition(admin_user, withdrawn, claims.Action.WITHDRAW)
    assert signed_on(other) is None


def test_the_factory_and_a_bulk_loader_keep_the_dates(project_a):
    """Approved milestones written past the workflow (factories, demo, bench) fill the dates."""
    from projects import services

    MilestoneFactory(project=project_a, kind="started", date=DAY)
    assert Project.objects.get(pk=project_a.pk).started_on == DAY
    Project.objects.filter(pk=project_a.pk).update(started_on=None)
    services.fill_milestone_dates()
    assert Project.objects.get(pk=project_a.pk).started_on == DAY


def test_a_draft_signing_shows_nowhere_to_others(login, project_a, reviewer, leader):
    MilestoneFactory(project=project_a, date=DAY, status=ClaimStatus.DRAFT)
    # The structure tab's cohort: the draft's year must not place the project (it was counted).
    with unguarded():
        Project.objects.filter(pk=project_a.pk).update(created=project_a.created.replace(year=2025))
    assert project_a.pk not in set(year_projects(leader, 2026).values_list("pk", flat=True))
    table = login(reviewer).get(reverse("projects:project_list")).context["table"]
    rows = {r.record.pk: r.record for r in table.page.object_list}
    assert rows[project_a.pk].signed_on is None


def test_a_verified_import_dates_the_project_and_an_unverified_one_does_not(db, reviewer):
    from assessment.workbooks.importer import import_workbook
    from tests.factories import IndustryFactory, UnitFactory
    from tests.workbooks.conftest import build_workbook, project_row

    IndustryFactory(name="装备制造")
    UnitFactory(name="东湖区")
    import_workbook(build_workbook({"项目": [project_row(name="待审项目")]}), user=reviewer)
    assert Project.objects.get(name="待审项目").signed_on is None
    book = build_workbook({"项目": [project_row(name="已审项目")]})
    import_workbook(book, verified=True, user=reviewer)
    project = Project.objects.get(name="已审项目")
    assert project.signed_on == datetime.date(2025, 1, 15)
    assert project.started_on == datetime.date(2025, 3, 20)
    assert project.completed_on is None
