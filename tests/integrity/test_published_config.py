"""A published year's configuration stays as it was counted (issue 15 item 4).

As the assessment office after 2025 Q4 was published: a score adjustment for 2025 Q4 is refused
(and its button hidden); the 2025 group's edit form shows 2025, not the current year, and refuses
a membership or year change while still accepting a corrected leader name. After each attempt
the published record (ranking page, 通报, ranking workbook) reads as before.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessment.models import ScoreAdjustment
from tests.integrity.published_2025 import city2025, client_for, form_data, sealed_record
from units.models import GroupMembership

pytestmark = pytest.mark.django_db
__all__ = ["city2025"]  # the fixture, imported for pytest


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_no_score_adjustment_for_a_published_quarter(city2025, reviewer, unit_b):
    before = sealed_record(reviewer)
    office = client_for(reviewer)
    url = reverse("assessment:adjustment_add", args=[2025, 4, unit_b.pk])
    response = office.post(url, {"points": "50", "reason": "招商突出"})
    assert any("已发布" in m and "加减分" in m for m in messages_of(response))
    assert not ScoreAdjustment.objects.filter(unit=unit_b).exists()
    page = office.get(reverse("assessment:unit_assessment", args=[2025, 4, unit_b.pk]))
    assert url not in page.content.decode()
    assert sealed_record(reviewer) == before


def test_score_adjustment_still_works_for_an_open_quarter(city2025, reviewer, unit_b):
    """Only the sealed quarters are refused: 2025 Q4 sealed Q1–Q4, 2026 is open."""
    from tests.assessment.factories import default_year

    default_year(2026)
    office = client_for(reviewer)
    url = reverse("assessment:adjustment_add", args=[2026, 1, unit_b.pk])
    office.post(url, {"points": "5", "reason": "招商突出"})
    assert ScoreAdjustment.objects.filter(unit=unit_b, year__year=2026).count() == 1


def test_group_form_shows_the_groups_own_year(city2025, reviewer):
    group = city2025["group"]
    office = client_for(reviewer)
    data = form_data(office, reverse("units:group_edit", args=[group.pk]))
    assert data["year"] == "2025"


def test_leader_name_fix_keeps_the_published_group_in_its_year(city2025, reviewer):
    before = sealed_record(reviewer)
    group = city2025["group"]
    # A member deactivated since 2025 stays a 2025 member when the group is saved.
    group.lead_unit.is_active = False
    group.lead_unit.save()
    members = set(group.memberships.values_list("unit_id", flat=True))
    office = client_for(reviewer)
    url = reverse("units:group_edit", args=[group.pk])
    data = form_data(office, url)
    data["leader_name"] = "李市长"
    office.post(url, data)
    group.refresh_from_db()
    assert (group.year, group.leader_name) == (2025, "李市长")
    assert set(group.memberships.values_list("unit_id", flat=True)) == members
    assert set(GroupMembership.objects.filter(group=group).values_list("year", flat=True)) == {2025}
    assert sealed_record(reviewer) == before


def test_membership_and_year_of_a_published_group_cannot_change(city2025, reviewer, unit_b):
    before = sealed_record(reviewer)
    group = city2025["group"]
    members = set(group.memberships.values_list("unit_id", flat=True))
    office = client_for(reviewer)
    url = reverse("units:group_edit", args=[group.pk])
    data = form_data(office, url)
    moved = {**data, "members": [*members, unit_b.pk]}
    response = office.post(url, moved)
    assert "协作组的年度、名称、牵头单位和成员不能修改" in response.content.decode()
    response = office.post(url, {**data, "year": "2026"})
    assert "协作组的年度、名称、牵头单位和成员不能修改" in response.content.decode()
    group.refresh_from_db()
    assert group.year == 2025
    assert set(group.memberships.values_list("unit_id", flat=True)) == members
    assert sealed_record(reviewer) == before


def test_no_new_group_in_a_published_year(city2025, reviewer, unit_b):
    office = client_for(reviewer)
    url = reverse("units:group_add")
    response = office.post(
        url, {"year": "2025", "name": "新协作组", "leader_name": "王市长", "members": [unit_b.pk]}
    )
    assert "不能在该年度新建或移入协作组" in response.content.decode()
    assert not GroupMembership.objects.filter(unit=unit_b, year=2025).exists()
