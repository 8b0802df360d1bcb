"""Unit pages: deactivation keeps history, lists filter and sort, queries stay constant."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import GroupFactory, ProjectFactory, UnitFactory, add_member
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_deactivated_unit_keeps_its_history(login, reviewer, unit_a):
    ProjectFactory(unit=unit_a, name="保留的项目")
    client = login(reviewer)
    response = client.post(reverse("units:unit_toggle_active", args=[unit_a.pk]), follow=True)
    assert "历史数据全部保留" in response.content.decode()
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    assert unit_a.projects.filter(name="保留的项目").exists()
    assert client.get(reverse("units:unit_detail", args=[unit_a.pk])).status_code == 200


def test_unit_with_data_cannot_be_deleted_in_admin(admin_user, unit_a, unit_b):
    ProjectFactory(unit=unit_a)
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[Unit]
    assert not model_admin.has_delete_permission(request, unit_a)
    assert model_admin.has_delete_permission(request, unit_b)


def test_unit_list_filters_by_type_and_search(login, reviewer):
    UnitFactory(name="东湖区", unit_type="county")
    UnitFactory(name="高新区", unit_type="park")
    client = login(reviewer)
    body = client.get(reverse("units:unit_list"), {"unit_type": "park"}).content.decode()
    assert "高新区" in body and "东湖区" not in body
    body = client.get(reverse("units:unit_list"), {"q": "东湖"}).content.decode()
    assert "东湖区" in body and "高新区" not in body


def test_unit_list_sorts_by_name(login, reviewer):
    UnitFactory(name="B单位")
    UnitFactory(name="A单位")
    body = login(reviewer).get(reverse("units:unit_list"), {"sort": "-name"}).content.decode()
    assert body.index("B单位") < body.index("A单位")
    body = login(reviewer).get(reverse("units:unit_list"), {"sort": "name"}).content.decode()
    assert body.index("A单位") < body.index("B单位")


def test_unit_list_paginates(login, reviewer):
    UnitFactory.create_batch(30)
    response = login(reviewer).get(reverse("units:unit_list"))
    assert len(response.context["table"].page.object_list) == 25


def test_group_list_filters_by_year(login, reviewer):
    GroupFactory(year=2025, name="旧协作组")
    GroupFactory(year=2026, name="新协作组")
    body = login(reviewer).get(reverse("units:group_list"), {"year": 2025}).content.decode()
    assert "旧协作组" in body and "新协作组" not in body


def _make_units(n):
    group = GroupFactory(year=2026)
    for unit in UnitFactory.create_batch(n):
        add_member(group, unit)


@pytest.mark.parametrize("url_name", ["units:unit_list", "units:group_list"])
def test_list_query_count_does_not_grow(login, reviewer, django_assert_num_queries, url_name):
    client = login(reviewer)
    _make_units(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse(url_name))
    _make_units(60)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse(url_name))


def test_group_detail_query_count_does_not_grow(login, reviewer, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(reviewer)
    group = GroupFactory(year=2026)
    for unit in UnitFactory.create_batch(3):
        add_member(group, unit)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("units:group_detail", args=[group.pk]))
    for unit in UnitFactory.create_batch(40):
        add_member(group, unit)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("units:group_detail", args=[group.pk]))
