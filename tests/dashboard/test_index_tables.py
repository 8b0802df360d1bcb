"""The ranking tables under the dashboard's charts list the first and the last ten of a long
ranking, with a link to the whole ranking (issue 21: 500 units' rows were 260 KB of 333 KB);
the charts keep every unit."""

import re

import pytest
from django.urls import reverse

from assessment.dashboard.charts import table_rows
from assessment.snapshots import compute_snapshot, publish, result_of
from tests.dashboard.helpers import chart
from tests.dashboard.test_index_queries import build_city
from tests.factories import UserFactory
from units.models import Role, Unit

Q2 = {"year": 2026, "quarter": 2}


def _rows(n):
    return [{"id": 100 + k, "rank": k + 1} for k in range(n)]


def test_a_short_ranking_is_listed_whole():
    rows = _rows(25)
    assert table_rows(rows) == rows


def test_a_long_ranking_keeps_the_first_and_last_ten_and_the_users_own():
    rows = _rows(40)
    assert table_rows(rows) == [*rows[:10], {"skipped": 20}, *rows[30:]]
    own = rows[19]["id"]
    assert table_rows(rows, own) == [
        *rows[:10],
        {"skipped": 9},
        rows[19],
        {"skipped": 10},
        *rows[30:],
    ]
    assert table_rows(rows, rows[3]["id"]) == table_rows(rows)  # already among the first ten


def _table(html):
    match = re.search(r'<table[^>]*data-testid="unit-ranking-table".*?</table>', html, re.S)
    return match.group(0)


def _listed(html):
    """The names in the unit table's rows."""
    return re.findall(r'<td data-label="单位"><a href="[^"]*">([^<]*)</a>', _table(html))


@pytest.mark.django_db
def test_the_leader_sees_the_first_and_last_ten_and_a_link_to_the_ranking(login, leader):
    build_city(30)
    response = login(leader).get(reverse("dashboard:index"), Q2)
    html = response.content.decode()
    units = response.context["d"]["units"]
    assert len(chart(response, "chart-units")["categories"]) == 30
    names = [u["name"] for u in units]
    assert _listed(html) == names[:10] + names[20:]
    assert "另有 10 个单位" in _table(html)
    link = f'<a href="{reverse("assessment:ranking", args=[2026, 2])}">查看全部 30 个单位的排名 →'
    assert link in html


@pytest.mark.django_db
def test_a_unit_user_finds_its_own_row_in_a_long_table(login, reviewer):
    build_city(30)
    ranking = result_of(publish(compute_snapshot(2026, 2, reviewer), reviewer)).units
    last, middle = ranking[29], ranking[14]
    staff = UserFactory(role=Role.UNIT_STAFF, unit=Unit.objects.get(pk=last.id))
    html = login(staff).get(reverse("dashboard:index"), Q2).content.decode()
    own = re.findall(r'<tr class="echelon-\d fw-semibold">.*?</tr>', _table(html), re.S)
    assert len(own) == 1 and last.name in own[0]  # among the last ten
    assert "表中仅列出前 10 名和后 10 名及本单位" in html
    staff.unit = Unit.objects.get(pk=middle.id)
    staff.save()
    response = login(staff).get(reverse("dashboard:index"), Q2)
    table = _table(response.content.decode())
    own = re.findall(r'<tr class="echelon-\d fw-semibold">.*?</tr>', table, re.S)
    assert len(own) == 1 and middle.name in own[0]  # 15th: listed between two gaps
    assert table.count('data-testid="unit-ranking-skipped"') == 2
