"""A coordinator reads a member unit only for the years it was in their group (SPEC §1): after
甲县 leaves the coordinator's 2026 group (it stays a 2025 member), its 2026 projects vanish from the
coordinator's lists, project pages and structure analysis; its 2025 projects stay readable."""

import datetime

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import GroupFactory, MilestoneFactory, ProjectFactory, add_member
from tests.factories.base import unguarded
from units.models import GroupMembership

pytestmark = pytest.mark.django_db


def _registered(project, year):
    # `created` is auto_now_add: set the registration year afterwards.
    with unguarded():
        Project.objects.filter(pk=project.pk).update(
            created=datetime.datetime(year, 2, 1, tzinfo=datetime.UTC)
        )
    return project


@pytest.fixture
def left_in_2026(group, lead_unit, unit_a):
    """甲县 was in the coordinator's groups in 2025 and 2026, then left the 2026 group."""
    old = GroupFactory(year=2025, name="第一招商协作组", lead_unit=lead_unit)
    add_member(old, unit_a)
    GroupMembership.objects.filter(group=group, unit=unit_a).delete()
    signed_2025 = _registered(ProjectFactory(unit=unit_a, name="甲县2025签约项目"), 2025)
    MilestoneFactory(project=signed_2025, date=datetime.date(2025, 5, 10))
    signed_2026 = _registered(ProjectFactory(unit=unit_a, name="甲县2026签约项目"), 2025)
    MilestoneFactory(project=signed_2026, date=datetime.date(2026, 3, 10))
    new_2026 = _registered(
        ProjectFactory(unit=unit_a, name="甲县2026新登记项目", stage="negotiating"), 2026
    )
    return signed_2025, signed_2026, new_2026


def _listed(client, **params):
    table = client.get(reverse("projects:project_list"), params).context["table"]
    return sorted(r.record.name for r in table.page.object_list)


def test_former_member_projects_of_later_years_are_not_listed(
    login, coordinator, unit_a, left_in_2026
):
    client = login(coordinator)
    assert _listed(client, unit=unit_a.pk) == ["甲县2025签约项目"]


def test_former_member_project_pages_of_later_years_are_404(login, coordinator, left_in_2026):
    signed_2025, signed_2026, new_2026 = left_in_2026
    client = login(coordinator)
    assert client.get(signed_2025.get_absolute_url()).status_code == 200
    assert client.get(signed_2026.get_absolute_url()).status_code == 404
    assert client.get(new_2026.get_absolute_url()).status_code == 404


def test_structure_of_a_year_after_leaving_counts_nothing_of_the_unit(
    login, coordinator, reviewer, unit_a, left_in_2026
):
    url = reverse("dashboard:structure")
    params = {"unit": unit_a.pk, "year": 2026}
    assert login(reviewer).get(url, params).context["d"]["count"] == 2
    assert login(coordinator).get(url, params).context["d"]["count"] == 0
    assert login(coordinator).get(url, {"unit": unit_a.pk, "year": 2025}).context["d"]["count"] == 1


def test_the_unit_itself_and_current_members_are_unaffected(
    login, staff_a, coordinator, lead_unit, unit_b, group, left_in_2026
):
    assert len(_listed(login(staff_a))) == 3
    add_member(group, unit_b)
    ProjectFactory(unit=unit_b, name="乙县2026项目")
    assert "乙县2026项目" in _listed(login(coordinator))


def test_a_project_terminated_before_the_membership_year_is_not_read(
    login, coordinator, unit_a, left_in_2026
):
    signed_2025 = left_in_2026[0]
    with unguarded():
        Project.objects.filter(pk=signed_2025.pk).update(
            stage="terminated", termination_reason="撤资", terminated_on=datetime.date(2024, 12, 1)
        )
    assert _listed(login(coordinator), unit=unit_a.pk) == []
