"""Milestones 签约/开工/竣工: dates ordered and not in the future; the stage follows them."""

import datetime

import pytest
from django.urls import reverse

from projects.models import ClaimStatus, Milestone
from tests.factories import EvidenceFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


def add(client, project, kind, day, **extra):
    url = reverse("projects:claim_add", args=[project.pk, "milestone"])
    return client.post(url, {"kind": kind, "date": day.isoformat(), "note": "", **extra})


def test_signing_is_saved_as_a_draft_claim_that_leaves_the_stage(
    login, staff_a, project_a, days_ago
):
    """The stage follows verified milestones only (issue 15): a draft 签约 moves nothing yet."""
    client = login(staff_a)
    response = add(client, project_a, "signed", days_ago(30))
    assert response.status_code == 302
    milestone = Milestone.objects.get(project=project_a)
    assert milestone.status == ClaimStatus.DRAFT
    assert milestone.created_by == staff_a
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating"
    page = client.get(project_a.get_absolute_url()).content.decode()
    assert days_ago(30).isoformat() in page
    assert "草稿" in page


def test_stage_stays_with_the_verified_milestones_while_drafts_come_and_go(
    login, staff_a, project_a, days_ago
):
    MilestoneFactory(project=project_a, kind="signed", date=days_ago(300))
    MilestoneFactory(project=project_a, kind="started", date=days_ago(200))
    client = login(staff_a)
    add(client, project_a, "completed", days_ago(10))
    project_a.refresh_from_db()
    assert project_a.stage == "started"
    completed = Milestone.objects.get(project=project_a, kind="completed")
    client.post(reverse("projects:claim_delete", args=["milestone", completed.pk]))
    project_a.refresh_from_db()
    assert project_a.stage == "started"


def test_a_future_date_is_refused(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    response = add(client, project_a, "signed", days_ago(-1))
    assert "日期不能晚于今天" in response.content.decode()
    assert not Milestone.objects.exists()


def test_started_before_signed_is_refused(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    add(client, project_a, "signed", days_ago(100))
    response = add(client, project_a, "started", days_ago(120))
    assert "不能晚于开工日期" in response.content.decode()
    assert Milestone.objects.filter(project=project_a).count() == 1


def test_completion_before_start_is_refused_even_when_editing(login, staff_a, project_a, days_ago):
    signed = MilestoneFactory(project=project_a, kind="signed", date=days_ago(100), status="draft")
    MilestoneFactory(project=project_a, kind="started", date=days_ago(50), status="draft")
    client = login(staff_a)
    url = reverse("projects:claim_edit", args=["milestone", signed.pk])
    data = {"kind": "signed", "date": days_ago(40).isoformat(), "version": signed.version}
    response = client.post(url, data)
    assert "签约日期" in response.content.decode()
    signed.refresh_from_db()
    assert signed.date == days_ago(100)


def test_a_second_milestone_of_the_same_kind_is_refused(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    add(client, project_a, "signed", days_ago(30))
    response = add(client, project_a, "signed", days_ago(20))
    assert "该项目已有“签约”节点" in response.content.decode()
    assert Milestone.objects.count() == 1


def test_an_approved_milestone_cannot_be_changed(login, staff_a, project_a, days_ago):
    milestone = MilestoneFactory(project=project_a, date=days_ago(30), status="approved")
    client = login(staff_a)
    url = reverse("projects:claim_edit", args=["milestone", milestone.pk])
    assert client.get(url).status_code == 403
    response = client.post(reverse("projects:claim_delete", args=["milestone", milestone.pk]))
    assert response.status_code == 403
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_rejected_milestone_can_be_fixed(login, staff_a, project_a, days_ago):
    milestone = MilestoneFactory(project=project_a, date=days_ago(30), status="rejected")
    client = login(staff_a)
    url = reverse("projects:claim_edit", args=["milestone", milestone.pk])
    data = {"kind": "signed", "date": days_ago(25).isoformat(), "version": milestone.version}
    response = client.post(url, data)
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.date == days_ago(25)


def test_milestones_in_a_locked_quarter_are_refused(
    login, staff_a, project_a, days_ago, monkeypatch
):
    monkeypatch.setattr("assessment.locks.locked_through", lambda year: datetime.date(year, 12, 31))
    client = login(staff_a)
    response = add(client, project_a, "signed", days_ago(30))
    assert "已发布通报并锁定" in response.content.decode()
    assert not Milestone.objects.exists()


def test_reviewer_cannot_add_milestones(login, reviewer, project_a, days_ago):
    client = login(reviewer)
    response = add(client, project_a, "signed", days_ago(30))
    assert response.status_code == 403
    assert not Milestone.objects.exists()


def test_an_edit_from_a_stale_page_does_not_undo_a_submission(
    login, staff_a, head_a, project_a, days_ago
):
    """Staff opens the edit page; meanwhile the head submits the claim; staff's save is refused."""
    from projects import claims

    milestone = MilestoneFactory(project=project_a, date=days_ago(30), status="draft")
    EvidenceFactory(milestone=milestone)
    url = reverse("projects:claim_edit", args=["milestone", milestone.pk])
    read_version = milestone.version
    claims.transition(head_a, milestone, "submit")
    data = {"kind": "signed", "date": days_ago(10).isoformat(), "version": read_version}
    response = login(staff_a).post(url, data)
    # The page now refuses at the door (no longer editable) or at the save (stale version).
    assert response.status_code in (200, 403)
    milestone.refresh_from_db()
    assert milestone.status == ClaimStatus.SUBMITTED
    assert milestone.date == days_ago(30)


def test_two_edits_of_the_same_draft_the_second_is_refused(login, staff_a, project_a, days_ago):
    milestone = MilestoneFactory(project=project_a, date=days_ago(30), status="draft")
    url = reverse("projects:claim_edit", args=["milestone", milestone.pk])
    client = login(staff_a)
    first = {"kind": "signed", "date": days_ago(20).isoformat(), "version": 1}
    second = {"kind": "signed", "date": days_ago(10).isoformat(), "version": 1}
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert "已被他人修改" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.date == days_ago(20)
