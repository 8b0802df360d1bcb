"""Issue 20 item 3, through the test client: a parent unit's users read their sub-units'
projects and submitted claims, never their drafts, and edit only their own unit's data; the
sub-unit does not read its parent; the coordinator reads member units, not their sub-units
(credit shares roll up in tests/units/test_hierarchy_rollup.py; the full grid is
tests/security/test_access_matrix.py)."""

import datetime

import pytest

from projects.models import ClaimStatus, MilestoneKind
from tests.assessment.factories import milestone
from tests.factories import ProjectFactory, UnitFactory, UserFactory
from units import access
from units.models import Role, UnitType


@pytest.fixture
def town(unit_a):
    return UnitFactory(name="甲县城关镇", unit_type=UnitType.TOWN, parent=unit_a)


@pytest.fixture
def town_staff(town):
    return UserFactory(username="town_staff", role=Role.UNIT_STAFF, unit=town)


def test_parent_reads_sub_unit_project_but_cannot_edit_it(town, staff_a, client, login):
    project = ProjectFactory(unit=town, name="城关镇食品项目")
    login(staff_a)
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    assert "城关镇食品项目" in client.get("/projects/").content.decode()
    assert client.get(f"/projects/{project.pk}/edit/").status_code in (403, 404)
    assert not access.can_edit_unit_data(staff_a, town.pk)


def test_sub_unit_does_not_read_its_parent(unit_a, town_staff, client, login):
    project = ProjectFactory(unit=unit_a, name="甲县本级项目")
    login(town_staff)
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    assert "甲县本级项目" not in client.get("/projects/").content.decode()


def test_parent_never_sees_the_sub_units_drafts(town, staff_a):
    project = ProjectFactory(unit=town)
    draft = milestone(project, MilestoneKind.SIGNED, datetime.date(2026, 3, 1), ClaimStatus.DRAFT)
    submitted = milestone(
        project, MilestoneKind.STARTED, datetime.date(2026, 4, 1), ClaimStatus.SUBMITTED
    )
    visible = set(type(draft).objects.visible_to(staff_a).values_list("pk", flat=True))
    assert submitted.pk in visible and draft.pk not in visible


def test_the_coordinator_reads_member_units_not_their_sub_units(town, coordinator, unit_a):
    assert access.can_view_unit(coordinator, unit_a)
    assert not access.can_view_unit(coordinator, town)
    assert not access.can_read_subunits(coordinator, unit_a)
