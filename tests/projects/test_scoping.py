"""Scoping: a unit can neither see nor change another unit's project; coordinators read their
group; reviewers and leaders read everything but change no unit data."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def listed(client):
    table = client.get(reverse("projects:project_list")).context["table"]
    return sorted(r.record.name for r in table.page.object_list)


def test_unit_staff_see_only_their_own_projects(login, staff_a, project_a, project_b):
    client = login(staff_a)
    assert listed(client) == ["甲县光伏组件项目"]
    assert client.get(project_b.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url_name", ["project_edit", "project_terminate", "project_shares"])
def test_guessing_another_units_project_url_is_404(login, staff_a, project_b, url_name):
    client = login(staff_a)
    url = reverse(f"projects:{url_name}", args=[project_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "篡改", "reason": "篡改"}).status_code == 404
    project_b.refresh_from_db()
    assert project_b.name == "乙县食品加工项目" and project_b.stage == "negotiating"


def test_another_units_claims_cannot_be_changed(login, staff_a, project_b):
    milestone = MilestoneFactory(project=project_b, status="draft")
    client = login(staff_a)
    url = reverse("projects:claim_edit", args=["milestone", milestone.pk])
    assert client.post(url, {"kind": "signed", "date": "2026-01-01"}).status_code == 404
    delete = reverse("projects:claim_delete", args=["milestone", milestone.pk])
    assert client.post(delete).status_code == 404
    assert project_b.milestones.get().date == milestone.date


def test_unknown_claim_kind_is_404(login, staff_a, project_a):
    client = login(staff_a)
    assert client.get(f"/projects/{project_a.pk}/bogus/add/").status_code == 404


def test_coordinator_reads_group_members_but_cannot_edit(login, coordinator, project_a, project_b):
    client = login(coordinator)
    assert listed(client) == ["甲县光伏组件项目"]
    assert client.get(project_a.get_absolute_url()).status_code == 200
    assert client.get(reverse("projects:project_edit", args=[project_a.pk])).status_code == 403
    assert client.get(project_b.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "leader"])
def test_reviewers_and_leaders_read_all_and_edit_nothing(
    request, login, role, project_a, project_b
):
    client = login(request.getfixturevalue(role))
    assert listed(client) == ["乙县食品加工项目", "甲县光伏组件项目"]
    page = client.get(project_a.get_absolute_url()).content.decode()
    assert "编辑项目" not in page
    url = reverse("projects:project_edit", args=[project_a.pk])
    assert client.post(url, {"name": "改名", "version": 1}).status_code == 403
    url = reverse("projects:claim_add", args=[project_a.pk, "funds"])
    assert client.get(url).status_code == 403
    assert Project.objects.get(pk=project_a.pk).name == "甲县光伏组件项目"


def test_unit_head_edits_own_project(login, head_a, project_a):
    client = login(head_a)
    assert client.get(reverse("projects:project_edit", args=[project_a.pk])).status_code == 200
