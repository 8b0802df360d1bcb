"""Choosing a unit by searching (issue 8: no select of a thousand units): the lookup is scoped by
the access policy, the widget renders only the chosen unit, and the server still validates."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory, UnitFactory

URL = reverse("units:unit_search")


def names(response):
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_search_finds_units_by_part_of_their_name(login, reviewer, unit_a, unit_b):
    UnitFactory(name="甲县经济开发区")
    client = login(reviewer)
    assert names(client.get(URL, {"q": "甲县"})) == ["甲县", "甲县经济开发区"]
    assert names(client.get(URL, {"q": "不存在"})) == []


def test_visible_scope_follows_the_access_policy(login, staff_b, unit_a, unit_b):
    client = login(staff_b)
    assert names(client.get(URL, {"q": "县"})) == ["乙县"]
    # Every active unit may be named as a partner (credit shares, responsible unit) …
    assert set(names(client.get(URL, {"q": "县", "scope": "active"}))) == {"甲县", "乙县"}
    # … but an unknown scope falls back to what the user may read.
    assert names(client.get(URL, {"q": "县", "scope": "everything"})) == ["乙县"]


def test_inactive_units_are_not_offered_as_partners(login, staff_b, unit_a):
    unit_a.is_active = False
    unit_a.save()
    assert names(login(staff_b).get(URL, {"q": "甲", "scope": "active"})) == []


def test_results_are_capped(login, reviewer):
    for n in range(30):
        UnitFactory(name=f"测试单位{n:02d}")
    assert len(names(login(reviewer).get(URL, {"q": "测试单位"}))) == 20


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL, {"q": "县"})
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.django_db
def test_the_filter_renders_only_the_chosen_unit_for_the_office(login, reviewer, unit_a, unit_b):
    for n in range(50):
        UnitFactory(name=f"区县{n:02d}")
    client = login(reviewer)
    page = client.get(reverse("projects:project_list"), {"unit": unit_b.pk}).content.decode()
    select = page.split('name="unit"', 1)[1].split("</select>", 1)[0]
    assert "data-search-url" in select
    assert "乙县" in select and "甲县" not in select and "区县07" not in select


def test_unit_staff_keep_a_plain_select_of_their_own_units(login, staff_a, unit_a, unit_b):
    page = login(staff_a).get(reverse("projects:project_list")).content.decode()
    select = page.split('name="unit"', 1)[1].split("</select>", 1)[0]
    assert "data-search-url" not in select and "甲县" in select and "乙县" not in select


def test_a_share_unit_is_still_validated_on_the_server(login, staff_a, unit_a, unit_b):
    project = ProjectFactory(unit=unit_a)
    url = reverse("projects:project_shares", args=[project.pk])
    page = login(staff_a).get(url).content.decode()
    assert "data-search-url" in page and "scope=active" in page
    share = project.credit_shares.get()
    data = {
        "shares-TOTAL_FORMS": "2",
        "shares-INITIAL_FORMS": "1",
        "shares-0-id": share.pk,
        "shares-0-unit": unit_a.pk,
        "shares-0-percent": "60",
        "shares-1-unit": "999999",  # no such unit: a crafted value the search never offers
        "shares-1-percent": "40",
        "intro-TOTAL_FORMS": "0",
        "intro-INITIAL_FORMS": "0",
    }
    response = login(staff_a).post(url, data)
    assert response.status_code == 200
    assert "不在可选范围内" in response.content.decode()
    assert Project.objects.get(pk=project.pk).credit_shares.count() == 1
