"""Pages whose size grows with units come in pages (issue 21: at 500 units the alerts were
6.2 MB of HTML and the 月报 grid 1.7 MB): one page of rows with a pager, and the same number of
queries however many units or alerts there are."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import ProjectSettings
from projects.views import reports as report_views
from tests.factories import MilestoneFactory, ProjectFactory, UnitFactory

GRID_ROW = '<tr><td class="text-nowrap">'


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(report_views, "UNITS_PER_PAGE", 2)
    monkeypatch.setattr(report_views, "OVERDUE_PER_PAGE", 3)


def test_the_report_grid_shows_a_page_of_units_with_a_pager(login, reviewer, small_pages):
    ProjectSettings.load()
    for n in range(5):
        UnitFactory(name=f"第{n}县")
    client = login(reviewer)
    url = reverse("projects:report_list")
    first = client.get(url, {"year": 2026}).content.decode()
    assert first.count(GRID_ROW) == 2
    assert "第 1 / 3 页 · 共 5 条" in first
    assert "year=2026&amp;page=2" in first
    last = client.get(url, {"year": 2026, "page": 3}).content.decode()
    assert last.count(GRID_ROW) == 1


def test_the_overdue_list_pages_on_its_own_and_keeps_the_grids_page(login, reviewer, small_pages):
    ProjectSettings.load()
    for n in range(3):
        UnitFactory(name=f"第{n}县")
    client = login(reviewer)
    url = reverse("projects:report_list")
    response = client.get(url, {"year": 2026, "page": 2})
    overdue = response.context["overdue"]
    assert len(overdue) > 3  # every missing month of every unit is counted …
    page = response.content.decode()
    assert f"共 {len(overdue)} 条" in page  # … and the list shows three of them with a pager
    assert page.count('data-label="月份"') == 3
    assert "year=2026&amp;page=2&amp;overdue_page=2" in page
    second = client.get(url, {"year": 2026, "page": 2, "overdue_page": 2}).content.decode()
    assert "第 2 / " in second
    assert GRID_ROW in second  # the grid stays on its page 2 (the third unit)


def test_the_report_export_still_holds_every_unit(login, reviewer, small_pages):
    ProjectSettings.load()
    for n in range(5):
        UnitFactory(name=f"第{n}县")
    response = login(reviewer).get(
        reverse("projects:report_list"), {"year": 2026, "_export": "xlsx"}
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    names = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert {f"第{n}县" for n in range(5)} <= names


def test_the_report_grid_costs_the_same_queries_for_3_and_12_units(login, reviewer):
    ProjectSettings.load()
    client = login(reviewer)
    url = reverse("projects:report_list")
    counts = []
    made = 0
    for total in (3, 12):
        for n in range(made, total):
            UnitFactory(name=f"单位{n}")
        made = total
        counts.append(_queries(client, url, {"year": 2026}))
    assert counts[0] == counts[1]


def test_the_alerts_page_costs_the_same_queries_for_3_and_30_alerts(login, leader, unit_a):
    ProjectSettings.load()
    client = login(leader)
    url = reverse("projects:alert_list")
    long_ago = datetime.date.today() - datetime.timedelta(days=400)
    counts = []
    made = 0
    for total in (3, 30):
        for n in range(made, total):
            project = ProjectFactory(unit=unit_a, name=f"久签未开工{n}")
            MilestoneFactory(project=project, date=long_ago)
        made = total
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]
