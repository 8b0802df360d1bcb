"""The dashboard costs the same number of queries for 10 units as for 60.

60 units are enough: a query per unit would already pass the bound of 40 (200 units made the two
tests cost 4 s)."""

import datetime

import pytest
from django.urls import reverse

from projects.models import MilestoneKind
from tests.assessment.factories import default_year, funds, milestone, set_targets, signed_project
from tests.factories import GroupFactory, UnitFactory, add_member

pytestmark = pytest.mark.django_db
# 41: the 预警 card counts overdue 督办 (issue 18 item 4); still constant in data size.
MAX_QUERIES = 41


def build_city(n_units):
    year = default_year(2026)
    group = GroupFactory(year=2026)
    set_targets(year, group, signed_100m=n_units, funds=1000 * n_units)
    for n in range(n_units):
        unit = UnitFactory()
        add_member(group, unit)
        set_targets(year, unit, signed_100m=2, funds=1000)
        project = signed_project(unit, datetime.date(2026, 2, 1 + n % 28))
        milestone(project, MilestoneKind.STARTED, datetime.date(2026, 5, 1))
        funds(project, datetime.date(2026, 4, 1), 100 + n)


@pytest.mark.parametrize("n_units", [10, 60])
def test_leader_dashboard_query_count_does_not_grow(
    n_units, login, leader, django_assert_max_num_queries
):
    build_city(n_units)
    client = login(leader)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("dashboard:index"), {"year": 2026, "quarter": 2})
    assert len(response.context["d"]["units"]) == n_units


@pytest.mark.parametrize("n_units", [10, 60])
def test_unit_dashboard_query_count_does_not_grow(
    n_units, login, reviewer, django_assert_max_num_queries
):
    from assessment.snapshots import compute_snapshot, publish
    from tests.factories import UserFactory
    from units.models import Role, Unit

    build_city(n_units)
    publish(compute_snapshot(2026, 2, reviewer), reviewer)
    staff = UserFactory(role=Role.UNIT_STAFF, unit=Unit.objects.first())
    client = login(staff)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("dashboard:index"), {"year": 2026, "quarter": 2})
    assert len(response.context["d"]["units"]) == n_units
