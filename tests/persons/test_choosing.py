"""引资人 and 包扶领导 are chosen from the registry, with a search box; the server refuses a
person the project's unit may not credit."""

import pytest
from django.urls import reverse

from projects.models import PersonKind, PersonStatus
from tests.factories import IntroducerFactory, PersonFactory, ProjectFactory
from tests.projects.test_project_form import project_data, shares_data

pytestmark = pytest.mark.django_db
SEARCH = reverse("persons:person_search")


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(unit=unit_a, name="甲县光伏组件项目", stage="negotiating")


def _shares(project, person):
    data = shares_data([(project.unit, "100")], list(project.credit_shares.all()))
    data["intro-0-person"] = person.pk
    return data


def test_unit_staff_credit_their_own_staff(login, staff_a, project_a):
    colleague = PersonFactory(name="孙强", unit=project_a.unit)
    url = reverse("projects:project_shares", args=[project_a.pk])
    assert login(staff_a).post(url, _shares(project_a, colleague)).status_code == 302
    assert project_a.introducers.get().person == colleague
    page = login(staff_a).get(project_a.get_absolute_url()).content.decode()
    assert "孙强（甲县）" in page


def test_another_units_staff_is_refused(login, staff_a, project_a, unit_b):
    stranger = PersonFactory(name="赵六", unit=unit_b)
    url = reverse("projects:project_shares", args=[project_a.pk])
    response = login(staff_a).post(url, _shares(project_a, stranger))
    assert response.status_code == 200
    assert "所选人员不在可选范围内" in response.content.decode()
    assert not project_a.introducers.exists()


def test_a_deactivated_intermediary_is_refused_for_new_credits(login, staff_a, project_a):
    retired = PersonFactory(kind=PersonKind.INTERMEDIARY, status=PersonStatus.INACTIVE)
    url = reverse("projects:project_shares", args=[project_a.pk])
    response = login(staff_a).post(url, _shares(project_a, retired))
    assert "所选人员不在可选范围内" in response.content.decode()
    assert not project_a.introducers.exists()


def test_the_same_person_twice_is_refused(login, staff_a, project_a):
    colleague = PersonFactory(name="孙强", unit=project_a.unit)
    data = _shares(project_a, colleague)
    data.update({"intro-TOTAL_FORMS": "2", "intro-1-person": colleague.pk})
    url = reverse("projects:project_shares", args=[project_a.pk])
    response = login(staff_a).post(url, data)
    assert "引资人“孙强”重复出现" in response.content.decode()
    assert not project_a.introducers.exists()


def test_the_sponsor_leader_is_a_registry_leader(login, staff_a, unit_a):
    leader = PersonFactory(name="李卫东", kind=PersonKind.LEADER, title="副市长")
    staff = PersonFactory(name="孙强", unit=unit_a)
    client = login(staff_a)
    refused = client.post(
        reverse("projects:project_add"), project_data(unit_a, sponsor_leader=staff.pk)
    )
    assert "包扶领导须从人员库的市县领导中选择" in refused.content.decode()
    client.post(reverse("projects:project_add"), project_data(unit_a, sponsor_leader=leader.pk))
    project = leader.sponsored_projects.get()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "李卫东（副市长）" in page


def test_the_search_offers_own_staff_intermediaries_and_leaders(
    login, staff_a, unit_a, unit_b, reviewer
):
    PersonFactory(name="孙强", unit=unit_a)
    PersonFactory(name="孙立", unit=unit_b)
    PersonFactory(name="孙经理", kind=PersonKind.INTERMEDIARY)
    PersonFactory(name="孙书记", kind=PersonKind.LEADER)
    PersonFactory(name="孙停", kind=PersonKind.INTERMEDIARY, status=PersonStatus.INACTIVE)

    def names(client, **params):
        results = client.get(SEARCH, {"q": "孙", **params}).json()["results"]
        return sorted(r["text"].split("（")[0] for r in results)

    mine = login(staff_a)
    assert names(mine) == ["孙书记", "孙强", "孙经理"]
    # Asking for another unit's staff gives one's own unit's: the search widens nothing.
    assert names(mine, unit=unit_b.pk) == ["孙书记", "孙强", "孙经理"]
    assert names(mine, scope="leader") == ["孙书记"]
    office = login(reviewer)
    assert names(office, unit=unit_b.pk) == ["孙书记", "孙立", "孙经理"]
    assert names(office, scope="registry") == ["孙书记", "孙停", "孙强", "孙立", "孙经理"]


def test_the_form_keeps_a_credit_to_a_since_deactivated_person(login, staff_a, project_a):
    introducer = IntroducerFactory(project=project_a, person__name="孙强")
    introducer.person.status = PersonStatus.INACTIVE
    introducer.person.save()
    data = _shares(project_a, introducer.person)
    data.update({"intro-INITIAL_FORMS": "1", "intro-0-id": introducer.pk})
    url = reverse("projects:project_shares", args=[project_a.pk])
    assert login(staff_a).post(url, data).status_code == 302
    assert project_a.introducers.get().person == introducer.person
