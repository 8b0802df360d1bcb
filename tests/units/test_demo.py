"""`load_demo` builds a believable city, idempotently, with a login per role."""

import pytest
from django.utils import timezone

from units.models import CollaborationGroup, GroupMembership, Role, Unit, User
from zhaoshang.ops.demo.city import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _load():
    from zhaoshang.ops.demo import city as demo

    demo.load(stdout=type("Out", (), {"write": lambda self, s: None})())


def test_demo_city_has_about_forty_units_in_five_groups_per_year():
    _load()
    year = timezone.localdate().year
    assert 38 <= Unit.objects.count() <= 45
    for y in (year - 1, year):
        groups = CollaborationGroup.objects.filter(year=y)
        assert groups.count() == 5
        assert all(g.leader_title for g in groups)
        # Every unit is in exactly one group each year.
        assert GroupMembership.objects.filter(year=y).count() == Unit.objects.count()


def test_one_unit_changes_group_between_years():
    _load()
    year = timezone.localdate().year
    before = dict(
        GroupMembership.objects.filter(year=year - 1).values_list("unit__name", "group__name")
    )
    after = dict(GroupMembership.objects.filter(year=year).values_list("unit__name", "group__name"))
    moved = [name for name in before if before[name] != after[name]]
    assert moved == ["西山区"]


def test_running_twice_duplicates_nothing():
    _load()

    def counts():
        return Unit.objects.count(), CollaborationGroup.objects.count(), User.objects.count()

    before = counts()
    _load()
    assert counts() == before


def test_one_login_per_role(client):
    _load()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert client.login(username="leader", password=DEMO_PASSWORD)
