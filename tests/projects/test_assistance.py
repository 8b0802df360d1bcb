"""Assistance items (帮办): entry, resolution, overdue rows and the leaders' overdue list."""

import pytest
from django.urls import reverse

from projects.models import AssistanceItem
from tests.factories import AssistanceItemFactory

pytestmark = pytest.mark.django_db


def item_data(unit, deadline, **extra):
    return {
        "category": "power",
        "problem": "双回路供电尚未接入",
        "responsible_unit": unit.pk,
        "responsible_leader": "周副区长",
        "deadline": deadline.isoformat(),
        "status": "open",
        "resolution": "",
        "resolved_on": "",
        **extra,
    }


@pytest.fixture
def overdue_item(project_a, unit_b, days_ago):
    return AssistanceItemFactory(
        project=project_a,
        category="land",
        problem="用地指标未落实",
        responsible_unit=unit_b,
        deadline=days_ago(3),
    )


def test_unit_raises_an_assistance_item_for_its_project(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    url = reverse("projects:assistance_add", args=[project_a.pk])
    response = client.post(url, item_data(project_a.unit, days_ago(-20)))
    assert response.status_code == 302
    item = AssistanceItem.objects.get()
    assert (item.project, item.responsible_leader, item.created_by) == (
        project_a,
        "周副区长",
        staff_a,
    )
    assert "双回路供电尚未接入" in client.get(project_a.get_absolute_url()).content.decode()


def test_resolving_needs_a_resolution_and_no_future_date(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    url = reverse("projects:assistance_add", args=[project_a.pk])
    response = client.post(url, item_data(project_a.unit, days_ago(1), status="resolved"))
    assert "办结的事项必须填写办理结果" in response.content.decode()
    data = item_data(
        project_a.unit,
        days_ago(1),
        status="resolved",
        resolution="已协调供电公司接入",
        resolved_on=days_ago(-1).isoformat(),
    )
    assert "日期不能晚于今天" in client.post(url, data).content.decode()
    assert not AssistanceItem.objects.exists()
    data["resolved_on"] = ""
    assert client.post(url, data).status_code == 302
    assert AssistanceItem.objects.get().resolved_on is not None


def test_overdue_items_stand_out_in_the_list(login, staff_a, overdue_item):
    page = login(staff_a).get(reverse("projects:assistance_list")).content.decode()
    assert "table-danger" in page
    assert "逾期 3 天" in page


def test_leaders_see_the_city_wide_overdue_list(login, leader, overdue_item, project_b, days_ago):
    AssistanceItemFactory(
        project=project_b,
        category="permit",
        problem="环评批复未下达",
        responsible_unit=project_b.unit,
        deadline=days_ago(-30),
    )
    page = login(leader).get(reverse("projects:assistance_overdue")).content.decode()
    assert "用地指标未落实" in page
    assert "环评批复未下达" not in page


def test_the_unit_that_must_act_sees_and_updates_the_item(login, staff_b, overdue_item, days_ago):
    client = login(staff_b)
    assert "用地指标未落实" in client.get(reverse("projects:assistance_list")).content.decode()
    url = reverse("projects:assistance_edit", args=[overdue_item.pk])
    data = item_data(
        overdue_item.responsible_unit,
        days_ago(3),
        category="land",
        problem="用地指标未落实",
        status="resolved",
        resolution="已调剂用地指标",
    )
    assert client.post(url, data).status_code == 302
    overdue_item.refresh_from_db()
    assert overdue_item.status == "resolved"


def test_an_unrelated_unit_cannot_see_the_item(login, overdue_item, unit_a):
    from tests.factories import UnitFactory, UserFactory

    outsider = UserFactory(username="outsider", unit=UnitFactory(name="丙县"))
    client = login(outsider)
    assert "用地指标未落实" not in client.get(reverse("projects:assistance_list")).content.decode()
    url = reverse("projects:assistance_edit", args=[overdue_item.pk])
    assert client.get(url).status_code == 404
