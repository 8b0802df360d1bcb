"""Collaboration groups: one group per unit per year, enforced with a clear message."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import GroupFactory, UnitFactory, add_member
from units.models import CollaborationGroup, GroupMembership

pytestmark = pytest.mark.django_db


def _post_group(client, **overrides):
    data = {
        "year": 2026,
        "name": "第二招商协作组",
        "leader_name": "李市长",
        "leader_title": "副市长",
        "sort_order": 2,
    }
    data.update(overrides)
    return client.post(reverse("units:group_add"), data)


def test_reviewer_creates_group_with_members(login, reviewer, unit_b):
    lead = UnitFactory(name="市商务局")
    response = _post_group(login(reviewer), lead_unit=lead.pk, members=[unit_b.pk])
    assert response.status_code == 302
    group = CollaborationGroup.objects.get(name="第二招商协作组")
    # The lead unit is a member as well.
    assert set(group.memberships.values_list("unit__name", flat=True)) == {"市商务局", "乙县"}


def test_unit_in_two_groups_same_year_is_refused_with_message(login, reviewer, group, unit_a):
    lead = UnitFactory(name="市商务局")
    response = _post_group(login(reviewer), lead_unit=lead.pk, members=[unit_a.pk])
    assert response.status_code == 200
    assert "甲县 在 2026 年已属于第一招商协作组" in response.content.decode()
    assert not CollaborationGroup.objects.filter(name="第二招商协作组").exists()


def test_same_unit_may_change_group_in_another_year(login, reviewer, group, unit_a):
    lead = UnitFactory(name="市商务局")
    response = _post_group(login(reviewer), year=2027, lead_unit=lead.pk, members=[unit_a.pk])
    assert response.status_code == 302
    years = dict(GroupMembership.objects.filter(unit=unit_a).values_list("year", "group__name"))
    assert years == {2026: "第一招商协作组", 2027: "第二招商协作组"}


def test_database_enforces_one_group_per_year(group, unit_a):
    other = GroupFactory(year=2026, name="第三招商协作组")
    with pytest.raises(IntegrityError), transaction.atomic():
        add_member(other, unit_a)


def test_editing_group_keeps_other_years_intact(login, reviewer, group, unit_a, lead_unit):
    old = GroupFactory(year=2025, name="第一招商协作组", lead_unit=lead_unit)
    add_member(old, unit_a)
    response = login(reviewer).post(
        reverse("units:group_edit", args=[group.pk]),
        {
            "year": 2026,
            "name": "第一招商协作组",
            "leader_name": "新组长",
            "leader_title": "副市长",
            "lead_unit": lead_unit.pk,
            "sort_order": 1,
            "members": [lead_unit.pk],
        },
    )
    assert response.status_code == 302
    assert not GroupMembership.objects.filter(unit=unit_a, year=2026).exists()
    assert GroupMembership.objects.filter(unit=unit_a, year=2025, group=old).exists()


def test_group_detail_lists_members_and_leader(login, leader, group):
    body = login(leader).get(reverse("units:group_detail", args=[group.pk])).content.decode()
    assert "张市长" in body and "甲县" in body and "牵头" in body
