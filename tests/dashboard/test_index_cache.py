"""The dashboard reads its quarters' figures and the city's funnel from the data-version cache
(issue 21, `assessment.dashboard.quarters`): a view after a write shows the write, a view in
between costs the same few queries whatever the size of the city."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import funds
from tests.dashboard.helpers import chart
from tests.dashboard.test_index_queries import build_city

pytestmark = pytest.mark.django_db
Q2 = {"year": 2026, "quarter": 2}
# A leader's second view, at most: session and user, the period form's newest snapshot, the
# quarters' sources (2) and years, the cached quarters and funnel (a version query each), the
# alert rules' own queries (7, `projects.alerts`) and notifications.
WARM_QUERIES = 16


def _view(client):
    return client.get(reverse("dashboard:index"), Q2)


def _shown(response):
    """Every chart's data and the ranking rows the page shows (the page has tokens too)."""
    d = response.context["d"]
    return response.context["charts"], d.get("unit_table"), d.get("group_table"), d["funnel"]


def _warm_queries(client):
    first = _view(client)
    with CaptureQueriesContext(connection) as ctx:
        second = _view(client)
    assert _shown(second) == _shown(first)
    return len(ctx.captured_queries), second


def test_a_second_view_costs_the_same_queries_for_any_city(login, leader):
    client = login(leader)
    build_city(10)
    small, _ = _warm_queries(client)
    build_city(50)
    large, response = _warm_queries(client)
    assert len(response.context["d"]["units"]) == 60
    assert small == large <= WARM_QUERIES


def test_a_write_shows_on_the_next_view(login, leader, city):
    client = login(leader)
    before = _view(client)
    assert chart(before, "chart-totals")["series"][0]["data"] == ["60.00", "20.00"]
    assert 'data-testid="funds-rate">1.11%' in before.content.decode()
    funds(city["a1"], datetime.date(2026, 5, 1), 500)  # approved: 1000 of 2500 万元
    after = _view(client)
    assert chart(after, "chart-totals")["series"][0]["data"] == ["60.00", "40.00"]
    assert 'data-testid="funds-rate">2.22%' in after.content.decode()  # 1000 of 45000
    assert after.context["d"]["overall"] == Decimal("52.50")  # 100 × (25·0.6 + 15·0.4) / 40
    cache.clear()
    assert _shown(_view(client)) == _shown(after)  # what a computation from scratch shows


def test_a_draft_recomputed_in_place_shows_at_once(login, leader, reviewer, city, unit_b):
    draft = compute_snapshot(2026, 2, reviewer)
    client = login(leader)
    assert chart(_view(client), "chart-units")["series"][0]["data"] == ["81.25", "31.25", "0.00"]
    funds(city["a1"], datetime.date(2026, 5, 1), 500)
    # The draft's frozen figures stay what is shown until it is computed again …
    assert chart(_view(client), "chart-units")["series"][0]["data"] == ["81.25", "31.25", "0.00"]
    again = compute_snapshot(2026, 2, reviewer)
    assert (again.pk, again.version) == (draft.pk, draft.version)  # the same row, new figures
    # … then: 甲县 100 × (25·1 + 15·1) / 40.
    units = chart(_view(client), "chart-units")
    assert units["series"][0]["data"] == ["100.00", "31.25", "0.00"]


def test_unit_users_see_the_ranking_once_published(login, staff_a, reviewer, city):
    client = login(staff_a)
    assert _view(client).context["d"]["result"] is None
    publish(compute_snapshot(2026, 2, reviewer), reviewer)
    response = _view(client)
    assert chart(response, "chart-units")["categories"] == ["甲县", "乙县", "市发改委"]
    assert chart(response, "chart-totals")["series"][0]["data"] == ["100.00", "50.00"]
