"""The ranking page: who sees drafts, echelon bands, rank change, constant query count."""

import datetime
import re

import pytest
from django.urls import reverse

from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.factories import UnitFactory
from tests.factories.base import unguarded

URL = reverse("assessment:ranking", args=[2026, 2])


@pytest.fixture
def year(db, unit_a, unit_b):
    ay = default_year(2026)
    for unit in (unit_a, unit_b):
        set_targets(ay, unit, signed_100m=2)
    signed_project(unit_a, date=datetime.date(2026, 2, 1))
    return ay


def test_unit_user_sees_only_published_rankings(year, login, staff_b, reviewer):
    client = login(staff_b)
    compute_snapshot(year, 2, reviewer)
    page = client.get(URL).content.decode()
    assert "本季度考核结果尚未发布" in page
    assert "甲县" not in page
    publish(compute_snapshot(year, 2, reviewer), reviewer)
    page = client.get(URL).content.decode()
    assert "甲县" in page and "已发布" in page


def test_leader_sees_the_draft_with_echelon_bands(year, login, leader, reviewer):
    compute_snapshot(year, 2, reviewer)
    page = login(leader).get(URL).content.decode()
    assert "已测算（未发布）" in page
    assert 'class="echelon-1" data-entity' in page
    assert "发布通报" not in page  # leaders read, reviewers run


def test_reviewer_sees_a_live_computation_before_any_snapshot(year, login, reviewer):
    page = login(reviewer).get(URL).content.decode()
    assert "实时测算" in page
    assert "甲县" in page


def test_rank_change_since_previous_quarter(year, login, reviewer, unit_b):
    publish(compute_snapshot(year, 1, reviewer), reviewer)  # 甲县 1st, 乙县 2nd
    signed_project(unit_b, date=datetime.date(2026, 4, 2))
    signed_project(unit_b, date=datetime.date(2026, 5, 2))
    page = login(reviewer).get(URL).content.decode()
    assert "↑1" in page and "↓1" in page


def test_ranking_page_query_count_does_not_grow_with_units(
    year, login, reviewer, django_assert_max_num_queries
):
    client = login(reviewer)
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    compute_snapshot(year, 2, reviewer)
    with django_assert_max_num_queries(12):
        client.get(URL)
    with unguarded():  # the city grows (its 2026 targets are locked by the publication)
        for n in range(40):
            unit = UnitFactory(name=f"新增单位{n}")
            set_targets(year, unit, signed_100m=1, funds=100)
    compute_snapshot(year, 2, reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert "新增单位39" in response.content.decode()


def test_unknown_year_or_quarter_is_404(year, login, reviewer):
    client = login(reviewer)
    assert client.get(reverse("assessment:ranking", args=[2031, 1])).status_code == 404
    assert client.get(reverse("assessment:ranking", args=[2026, 5])).status_code == 404


def test_anonymous_user_is_sent_to_login(year, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unit_user_gets_explanation_links_only_for_units_it_may_read(
    year, login, staff_b, leader, reviewer, unit_a, unit_b
):
    publish(compute_snapshot(year, 2, reviewer), reviewer)

    def link(unit):
        return reverse("assessment:unit_assessment", args=[2026, 2, unit.pk])

    page = login(staff_b).get(URL).content.decode()
    assert "甲县" in page and link(unit_a) not in page
    assert link(unit_b) in page
    page = login(leader).get(URL).content.decode()
    assert link(unit_a) in page and link(unit_b) in page


def test_rows_show_a_zero_score_and_link_only_readable_units(year, login, staff_a, reviewer):
    publish(compute_snapshot(year, 2, reviewer), reviewer)
    page = login(staff_a).get(URL).content.decode()
    rows = re.findall(r'<tr class="[^"]*" data-entity="\d+">.*?</tr>', page, re.S)
    own_row = next(row for row in rows if "甲县" in row)
    other_row = next(row for row in rows if "乙县" in row)
    # 乙县 has nothing this year: ranked with a score of 0.00, not a dash.
    assert '<td class="num fw-semibold" data-label="得分">0.00</td>' in other_row
    assert "零进度" in other_row
    # 甲县's staff may open its own explanation, not 乙县's.
    own = reverse("assessment:unit_assessment", args=[2026, 2, staff_a.unit_id])
    assert f'href="{own}"' in own_row
    assert "href" not in other_row


def test_names_from_data_are_escaped(year, login, reviewer, unit_b):
    unit_b.name = '<img src=x onerror="alert(1)">乙县'
    unit_b.save()
    page = login(reviewer).get(URL).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;乙县" in page
