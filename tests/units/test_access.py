"""Each role sees exactly what SPEC §1 allows for units and groups."""

import pytest
from django.urls import reverse

from tests.factories import GroupFactory, UnitFactory, add_member
from units import access

pytestmark = pytest.mark.django_db


def test_unit_staff_sees_only_own_unit(login, staff_a, unit_a, unit_b):
    client = login(staff_a)
    assert client.get(reverse("units:unit_detail", args=[unit_a.pk])).status_code == 200
    assert client.get(reverse("units:unit_detail", args=[unit_b.pk])).status_code == 404
    body = client.get(reverse("units:unit_list")).content.decode()
    assert "甲县" in body and "乙县" not in body


def test_unit_user_cannot_reach_another_units_edit_page(login, staff_a, head_a, unit_b):
    for user in (staff_a, head_a):
        response = login(user).get(reverse("units:unit_edit", args=[unit_b.pk]))
        assert response.status_code in (403, 404)


def test_staff_cannot_edit_even_own_unit_profile(login, staff_a, unit_a):
    response = login(staff_a).get(reverse("units:unit_edit", args=[unit_a.pk]))
    assert response.status_code == 403


def test_unit_head_updates_own_contacts_but_not_name(login, head_a, unit_a):
    client = login(head_a)
    response = client.post(
        reverse("units:unit_edit", args=[unit_a.pk]),
        {"head_name": "新主任", "head_title": "县长", "contact_name": "李四", "contact_phone": "1"},
    )
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.head_name == "新主任"
    assert unit_a.name == "甲县"


def test_reviewer_and_leader_see_everything_but_only_reviewer_manages(
    login, reviewer, leader, unit_a, unit_b
):
    for user in (reviewer, leader):
        client = login(user)
        body = client.get(reverse("units:unit_list")).content.decode()
        assert "甲县" in body and "乙县" in body
        assert client.get(reverse("units:unit_detail", args=[unit_b.pk])).status_code == 200
    assert login(leader).get(reverse("units:unit_add")).status_code == 403
    assert login(reviewer).get(reverse("units:unit_add")).status_code == 200


def test_unit_user_cannot_deactivate_or_create(login, staff_a, head_a, unit_a):
    for user in (staff_a, head_a):
        client = login(user)
        response = client.post(reverse("units:unit_toggle_active", args=[unit_a.pk]))
        assert response.status_code == 403
        assert client.post(reverse("units:unit_add"), {"name": "x"}).status_code == 403
    unit_a.refresh_from_db()
    assert unit_a.is_active


def test_coordinator_reads_member_units_only_for_years_of_membership(
    login, coordinator, group, unit_a, unit_b, lead_unit
):
    # unit_b joins the coordinator's group only in 2025 under an older group of the same lead unit.
    old = GroupFactory(year=2025, name="第一招商协作组", lead_unit=lead_unit)
    add_member(old, unit_b)
    assert set(access.visible_units(coordinator, year=2026)) == {lead_unit, unit_a}
    assert unit_b in access.visible_units(coordinator, year=2025)
    client = login(coordinator)
    assert client.get(reverse("units:unit_detail", args=[unit_a.pk])).status_code == 200
    assert client.get(reverse("units:group_detail", args=[group.pk])).status_code == 200
    outsider = UnitFactory(name="丙县")
    assert client.get(reverse("units:unit_detail", args=[outsider.pk])).status_code == 404


def test_unit_user_sees_only_own_groups(login, staff_b, group, unit_b):
    other = GroupFactory(year=2026, name="第二招商协作组")
    add_member(other, unit_b)
    client = login(staff_b)
    assert client.get(reverse("units:group_detail", args=[group.pk])).status_code == 404
    assert client.get(reverse("units:group_detail", args=[other.pk])).status_code == 200


def test_group_edit_is_reviewer_only(login, staff_a, leader, coordinator, group):
    for user in (staff_a, leader, coordinator):
        assert login(user).get(reverse("units:group_edit", args=[group.pk])).status_code == 403


def test_group_page_links_only_units_the_user_may_open(login, staff_a, leader, group, lead_unit):
    lead_link = reverse("units:unit_detail", args=[lead_unit.pk])
    body = login(staff_a).get(reverse("units:group_detail", args=[group.pk])).content.decode()
    assert "市发改委" in body and lead_link not in body
    body = login(leader).get(reverse("units:group_detail", args=[group.pk])).content.decode()
    assert lead_link in body
