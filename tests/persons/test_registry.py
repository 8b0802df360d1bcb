"""The registry pages: who reads whom, who registers whom."""

import pytest
from django.urls import reverse

from projects.models import Person, PersonKind
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
LIST = reverse("persons:person_list")


@pytest.fixture
def registry(unit_a, unit_b):
    return {
        "a": PersonFactory(name="孙强", unit=unit_a),
        "b": PersonFactory(name="赵六", unit=unit_b),
        "mid": PersonFactory(name="王经理", kind=PersonKind.INTERMEDIARY, organisation="苏州商会"),
        "leader": PersonFactory(name="李卫东", kind=PersonKind.LEADER),
    }


def test_unit_staff_see_their_units_staff_and_the_others_they_may_choose(
    login, staff_a, leader, registry
):
    page = login(staff_a).get(LIST).content.decode()
    assert "孙强" in page and "王经理" in page and "李卫东" in page
    assert "赵六" not in page
    assert login(staff_a).get(registry["b"].get_absolute_url()).status_code == 404
    assert "赵六" in login(leader).get(LIST).content.decode()
    # Leaders read; they register no one.
    assert login(leader).get(reverse("persons:person_add")).status_code == 403


def test_unit_staff_register_a_colleague_of_their_own_unit_only(login, staff_a, unit_a, registry):
    client = login(staff_a)
    response = client.post(reverse("persons:person_add"), {"name": "钱七", "status": "active"})
    assert response.status_code == 302
    person = Person.objects.get(name="钱七")
    assert (person.kind, person.unit) == (PersonKind.STAFF, unit_a)
    assert client.get(reverse("persons:person_edit", args=[registry["mid"].pk])).status_code == 403


def test_the_office_registers_an_intermediary_and_duplicates_are_refused(
    login, reviewer, unit_a, registry
):
    client = login(reviewer)
    data = {
        "name": "周中介",
        "kind": "intermediary",
        "organisation": "深圳某咨询公司",
        "contact": "13800000000",
        "registered_on": "2026-03-01",
        "status": "active",
    }
    assert client.post(reverse("persons:person_add"), data).status_code == 302
    again = client.post(reverse("persons:person_add"), data).content.decode()
    assert "人员库中已有同名的中介人“周中介”" in again
    with_unit = client.post(
        reverse("persons:person_add"), {**data, "name": "吴中介", "unit": unit_a.pk}
    )
    assert "中介人不属于任何单位" in with_unit.content.decode()
    assert Person.objects.filter(name__endswith="中介").count() == 1
