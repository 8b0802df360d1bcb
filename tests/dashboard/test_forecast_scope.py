"""What the forecast page reads for what it shows (issue 21): a unit's staff gets its own unit's
pipeline, the gap is worked out for the cards on the page only, and the queries do not grow
with the city."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.dashboard import forecast as forecast_module
from assessment.dashboard import views as dashboard_views
from assessment.dashboard.forecast import pipeline_additions
from projects.models import MilestoneKind
from tests.assessment.factories import (
    default_year,
    investment,
    milestone,
    set_targets,
    signed_project,
    split_credit,
)
from tests.dashboard.test_index_queries import build_city
from tests.factories import UnitFactory, UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2026, 6, 30)


@pytest.fixture
def shared_pipeline(unit_a, unit_b):
    """A project to start in September and one to complete in October (800 万元 invested so
    far, 100 of it after the as-of date), each credited 60 % to 甲县 and 40 % to 乙县."""
    year = default_year(2026)
    to_start = signed_project(unit_a, D(2026, 2, 1), planned_start=D(2026, 9, 15))
    to_complete = signed_project(unit_a, D(2026, 1, 10), planned_completion=D(2026, 10, 31))
    milestone(to_complete, MilestoneKind.STARTED, D(2026, 3, 1))
    investment(to_complete, D(2026, 4, 1), 600)
    investment(to_complete, D(2026, 5, 1), 200)
    investment(to_complete, D(2026, 7, 1), 100)  # after the as-of date: not counted
    for project in (to_start, to_complete):
        split_credit(project, {unit_a: 60, unit_b: 40})
    return list(year.indicators.all())


def test_the_pipeline_credits_shares_and_a_units_own_is_the_same(shared_pipeline, unit_a, unit_b):
    city = pipeline_additions(shared_pipeline, AS_OF)
    assert city[unit_a.pk]["started_100m"] == Decimal("0.6")
    assert city[unit_b.pk]["started_100m"] == Decimal("0.4")
    assert city[unit_a.pk]["completed_fai"] == Decimal("480")  # 60 % of 800
    assert city[unit_b.pk]["completed_fai"] == Decimal("320")
    own = pipeline_additions(shared_pipeline, AS_OF, unit_ids=[unit_a.pk])
    assert set(own) == {unit_a.pk}
    assert own[unit_a.pk] == city[unit_a.pk]


def test_a_gap_is_worked_out_for_the_cards_shown_only(
    login, leader, city, published_q2, monkeypatch
):
    calls = []
    real = forecast_module.next_echelon_gap

    def counting(result, entity, rules):
        calls.append(entity.name)
        return real(result, entity, rules)

    monkeypatch.setattr(forecast_module, "next_echelon_gap", counting)
    monkeypatch.setattr(dashboard_views, "FORECAST_PER_PAGE", 1)
    url = reverse("dashboard:forecast")
    response = login(leader).get(url, {"year": 2026, "quarter": 2, "page": 2})
    (row,) = response.context["d"]["rows"]
    assert row["forecast"].name == "乙县"
    assert calls == ["乙县"]  # not 甲县's nor 市发改委's, on other pages
    assert row["gap"].needed_score == Decimal("81.25")
    assert "进入第一方阵需得分达到 81.25 分" in response.content.decode()


def _forecast_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard:forecast"), {"year": 2026, "quarter": 2})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["leader", "staff"])
def test_the_forecast_costs_the_same_queries_for_any_city(role, login, leader):
    build_city(5)
    unit = UnitFactory()
    set_targets(default_year(2026), unit, signed_100m=2)
    user = leader if role == "leader" else UserFactory(role=Role.UNIT_STAFF, unit=unit)
    client = login(user)
    small = _forecast_queries(client)
    build_city(40)
    large = _forecast_queries(client)
    assert small == large
