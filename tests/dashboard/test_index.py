"""The dashboard page: who sees what, and every chart's figures against the hand-computed city
of conftest.py (2026 Q2: 甲县 81.25, 乙县 31.25, 市发改委 0)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.dashboard.helpers import chart
from tests.factories import AssistanceItemFactory

pytestmark = pytest.mark.django_db
Q2 = {"year": 2026, "quarter": 2}


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_leader_sees_city_totals_against_targets_and_time_progress(login, leader, city):
    response = login(leader).get(reverse("dashboard:index"), Q2)
    totals = chart(response, "chart-totals")
    # signed: 3 of 5 = 60 %; funds: 500 of 2500 万元 = 20 %; untargeted indicators left out.
    assert totals["categories"] == ["新引进亿元合同项目", "实际到位资金"]
    assert totals["series"][0]["data"] == ["60.00", "20.00"]
    assert totals["markLine"] == "50.00"
    # R = 100 × (25 × 0.6 + 15 × 0.2) / 40
    assert response.context["d"]["overall"] == Decimal("45.00")
    assert 'data-testid="overall">45.00%' in response.content.decode()
    assert "按当前已审定数据实时测算" in response.content.decode()


def test_unit_ranking_has_echelon_bands_and_rank_movement(login, leader, city):
    response = login(leader).get(reverse("dashboard:index"), Q2)
    units = chart(response, "chart-units")
    assert units["categories"] == ["甲县", "乙县", "市发改委"]
    assert units["series"][0]["data"] == ["81.25", "31.25", "0.00"]
    assert units["echelons"] == [1, 2, 3]
    # Q1: 甲县 and 乙县 shared first place (31.25 each); in Q2 乙县 fell to second.
    assert units["changes"] == [0, -1, 0]
    assert "↓1</span> 乙县" in response.content.decode()


def test_group_ranking(login, reviewer, city):
    groups = chart(login(reviewer).get(reverse("dashboard:index"), Q2), "chart-groups")
    # 第一组: signed 2/3, funds 500/1500 → 100 × (25·2/3 + 15·1/3) / 40 = 54.17
    assert groups["categories"] == ["第一招商协作组", "第二招商协作组"]
    assert groups["series"][0]["data"] == ["54.17", "31.25"]
    assert groups["echelons"] == [1, 2]


def test_trend_per_quarter_this_year_and_last(login, leader, city):
    trend = chart(login(leader).get(reverse("dashboard:index"), Q2), "chart-trend")
    # Q1: signed 2 of 5 → 100 × 25 × 0.4 / 40 = 25; 2025 has no assessment year.
    assert trend["series"][0]["name"] == "2026年总体完成率"
    assert trend["series"][0]["data"] == ["25.00", "45.00", None, None]
    assert trend["series"][1]["data"] == [None, None, None, None]


def test_status_distribution(login, leader, city):
    dist = chart(login(leader).get(reverse("dashboard:index"), Q2), "chart-distribution")
    assert dist["data"] == [
        {"name": "完成任务", "value": 0},
        {"name": "过半", "value": 1},
        {"name": "不足50%", "value": 1},
        {"name": "零进度", "value": 1},
    ]


def test_funnel_with_start_rate_and_funds_rate(login, leader, city):
    response = login(leader).get(reverse("dashboard:index"), Q2)
    funnel = chart(response, "chart-funnel")
    # 2026 cohort: 3 signed (+1 still negotiating), 1 started, 0 completed.
    assert funnel["data"] == [
        {"name": "洽谈", "value": 4},
        {"name": "签约", "value": 3},
        {"name": "开工", "value": 1},
        {"name": "竣工", "value": 0},
    ]
    assert funnel["rates"] == [None, "75.00", "33.33", "0.00"]
    html = response.content.decode()
    # 签约项目开工率 1/3; 资金到位率 500 of 3 × 15000 万元 (the pending 300 does not count).
    assert 'data-testid="start-rate">33.33%' in html
    assert 'data-testid="funds-rate">1.11%' in html


def test_overdue_assistance_counted_and_linked(login, leader, city, unit_b):
    AssistanceItemFactory(
        project=city["a1"],
        category="land",
        problem="用地指标未落实",
        responsible_unit=unit_b,
        deadline=datetime.date(2026, 1, 31),
    )
    response = login(leader).get(reverse("dashboard:index"), Q2)
    rows = {a["kind"]: a for a in response.context["d"]["alerts"]}
    assert rows["assistance_overdue"]["count"] == 1
    assert rows["assistance_overdue"]["url"] == reverse("projects:assistance_overdue")
    assert f'href="{reverse("projects:assistance_overdue")}"' in response.content.decode()


def test_unit_user_sees_nothing_of_the_ranking_before_it_is_published(login, staff_a, city):
    response = login(staff_a).get(reverse("dashboard:index"), Q2)
    assert response.status_code == 200
    assert response.context["d"]["result"] is None
    assert "尚未发布" in response.content.decode()
    assert b"chart-units" not in response.content


def test_unit_user_sees_own_details_and_the_published_ranking(login, staff_a, city, published_q2):
    response = login(staff_a).get(reverse("dashboard:index"), Q2)
    html = response.content.decode()
    assert response.context["title"] == "甲县看板"
    # Own totals only: signed 2 of 2, funds 500 of 1000.
    assert chart(response, "chart-totals")["series"][0]["data"] == ["100.00", "50.00"]
    assert "本单位任务完成情况" in html
    # The published ranking is public to every unit.
    assert chart(response, "chart-units")["categories"] == ["甲县", "乙县", "市发改委"]
    # Own projects only in the funnel: 甲县 signed 2, started 1; funds 500 of 30000.
    assert [d["value"] for d in chart(response, "chart-funnel")["data"]] == [2, 2, 1, 0]
    assert 'data-testid="funds-rate">1.67%' in html
    # Own score trend, from published snapshots only (Q1 was never published).
    assert chart(response, "chart-trend")["series"][0]["data"] == [None, "81.25", None, None]


def test_bad_period_falls_back_with_a_message(login, leader, city):
    response = login(leader).get(reverse("dashboard:index"), {"year": "abc", "quarter": "9"})
    assert response.status_code == 200
    assert "年度应为四位数字" in response.content.decode()


def test_charts_load_from_our_own_static_files_only(login, leader, city):
    html = login(leader).get(reverse("dashboard:index"), Q2).content.decode()
    assert "vendor/echarts/echarts.min.js" in html
    assert "js/dashboard.js" in html
    # Every script and stylesheet comes from our own /static/ (a CSRF token may contain "cdn").
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if "//" in s or "cdn" in s.lower()]
    # No inline executable script: every <script> has a src or holds JSON data.
    tags = re.findall(r"<script[^>]*>", html)
    assert tags and all("src=" in t or 'type="application/json"' in t for t in tags)


@pytest.mark.parametrize(
    ("user_fixture", "label"), [("leader", "领导看板"), ("staff_a", "本单位看板")]
)
def test_navigation_names_the_dashboard_for_the_role(request, login, user_fixture, label):
    user = request.getfixturevalue(user_fixture)
    html = login(user).get(reverse("units:unit_list")).content.decode()
    assert f'href="{reverse("dashboard:index")}">{label}</a>' in html


def test_ranking_names_lead_to_the_units_explanation(login, leader, city, unit_b):
    html = login(leader).get(reverse("dashboard:index"), Q2).content.decode()
    url = reverse("assessment:unit_assessment", args=[2026, 2, unit_b.pk])
    assert f'<a href="{url}">乙县</a>' in html


def test_unit_user_links_only_to_its_own_explanation(
    login, staff_a, city, published_q2, unit_a, unit_b
):
    html = login(staff_a).get(reverse("dashboard:index"), Q2).content.decode()
    assert reverse("assessment:unit_assessment", args=[2026, 2, unit_a.pk]) in html
    assert reverse("assessment:unit_assessment", args=[2026, 2, unit_b.pk]) not in html
