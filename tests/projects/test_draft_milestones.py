"""Drafts do not drive what others see (issue 15 item 8): the project's stage and the alerts follow
verified (approved) milestones only, and 开工 must precede 竣工 on drafts too — in the form, and
again when the draft is submitted."""

import importlib

import pytest
from django.urls import reverse

from projects import claims
from projects.models import ClaimStatus, Milestone, Project
from tests.factories import EvidenceFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


def add(client, project, kind, day):
    url = reverse("projects:claim_add", args=[project.pk, "milestone"])
    return client.post(url, {"kind": kind, "date": day.isoformat(), "note": ""})


def stage_counts(client, unit):
    """竣工投产 etc. as the unit's page counts them."""
    response = client.get(reverse("units:unit_detail", args=[unit.pk]))
    return {value: n for value, _label, n in response.context["stages"]}


def listed(client, **params):
    table = client.get(reverse("projects:project_list"), params).context["table"]
    return [r.record.pk for r in table.page.object_list]


def test_a_draft_completion_without_a_start_is_refused_in_the_form(
    login, staff_a, project_a, days_ago
):
    MilestoneFactory(project=project_a, kind="signed", date=days_ago(300))
    response = add(login(staff_a), project_a, "completed", days_ago(10))
    assert response.status_code == 200
    assert "请先填报开工节点" in response.content.decode()
    assert not Milestone.objects.filter(kind="completed").exists()


def test_a_draft_completion_does_not_make_the_project_completed_anywhere(
    login, staff_a, reviewer, project_a, days_ago
):
    MilestoneFactory(project=project_a, kind="signed", date=days_ago(300))
    MilestoneFactory(project=project_a, kind="started", date=days_ago(200))
    client = login(staff_a)
    assert add(client, project_a, "completed", days_ago(10)).status_code == 302
    project_a.refresh_from_db()
    assert project_a.stage == "started"
    client = login(reviewer)
    assert stage_counts(client, project_a.unit)["completed"] == 0
    assert listed(client, stage="completed") == []


def test_submitting_a_completion_without_a_start_is_refused(login, staff_a, project_a, days_ago):
    """A draft saved before the rule (or by a path that skipped the form) is stopped on submit."""
    MilestoneFactory(project=project_a, kind="signed", date=days_ago(300))
    draft = MilestoneFactory(
        project=project_a, kind="completed", date=days_ago(10), status=ClaimStatus.DRAFT
    )
    EvidenceFactory(milestone=draft)  # its 竣工验收材料: only the order is wrong
    client = login(staff_a)
    url = reverse("review:claim_act", args=["milestone", draft.pk])
    response = client.post(url, {"action": "submit", "version": draft.version}, follow=True)
    assert "请先填报开工节点" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.DRAFT
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating"


def test_stage_moves_on_approval_and_back_on_reopen(leader, reviewer, project_a, days_ago):
    MilestoneFactory(project=project_a, kind="signed", date=days_ago(300))
    started = MilestoneFactory(
        project=project_a, kind="started", date=days_ago(200), status=ClaimStatus.CONFIRMED
    )
    EvidenceFactory(milestone=started)
    claims.transition(leader, started, claims.Action.APPROVE)
    project_a.refresh_from_db()
    assert project_a.stage == "started"
    claims.transition(reviewer, started, claims.Action.REOPEN, "开工日期有误")
    project_a.refresh_from_db()
    assert project_a.stage == "signed"


def alert_projects(client, kind):
    response = client.get(reverse("projects:alert_list"), {"kind": kind})
    return [a.project_id for a in response.context["alerts"]]


def test_a_draft_start_does_not_silence_signed_not_started(
    login, staff_a, reviewer, project_a, days_ago
):
    MilestoneFactory(project=project_a, kind="signed", date=days_ago(400))
    assert add(login(staff_a), project_a, "started", days_ago(5)).status_code == 302
    assert alert_projects(login(reviewer), "signed_not_started") == [project_a.pk]


def test_a_draft_signing_raises_no_alert(login, reviewer, project_a, days_ago):
    MilestoneFactory(project=project_a, kind="signed", date=days_ago(400), status=ClaimStatus.DRAFT)
    assert alert_projects(login(reviewer), "signed_not_started") == []


def test_an_unrelated_edit_is_not_blocked_by_an_old_inconsistency(
    login, staff_a, project_a, days_ago
):
    """Only rules involving the milestone being saved are checked."""
    signed = MilestoneFactory(
        project=project_a, kind="signed", date=days_ago(300), status=ClaimStatus.DRAFT
    )
    MilestoneFactory(project=project_a, kind="completed", date=days_ago(10))
    url = reverse("projects:claim_edit", args=["milestone", signed.pk])
    data = {"kind": "signed", "date": days_ago(290).isoformat(), "version": signed.version}
    assert login(staff_a).post(url, data).status_code == 302


def test_stages_stored_from_drafts_are_brought_in_line_once(project_a, project_b, days_ago):
    """Data migration 0005: stages saved while they still followed drafts are recomputed."""
    from django.apps import apps

    migration = importlib.import_module("projects.migrations.0005_stage_from_verified_milestones")
    MilestoneFactory(project=project_a, kind="started", date=days_ago(200))
    MilestoneFactory(project=project_a, kind="completed", date=days_ago(10), status="draft")
    Project.objects.filter(pk=project_a.pk).update(stage="completed")
    Project.objects.filter(pk=project_b.pk).update(stage="lead")
    migration.forwards(apps, None)
    project_a.refresh_from_db()
    project_b.refresh_from_db()
    assert (project_a.stage, project_b.stage) == ("started", "lead")
