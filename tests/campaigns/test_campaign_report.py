"""The campaign report ranks units over the campaign's own period with the year's rules."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import ClaimStatus
from tests.assessment.factories import funds, signed_project

D = datetime.date


def url(campaign):
    return reverse("assessment:campaign_detail", args=[campaign.pk])


def rows(response):
    return [(e.name, e.rank, e.echelon, e.score) for e in response.context["result"].units]


@pytest.fixture
def claims(unit_a, unit_b):
    signed_project(unit_a, D(2025, 3, 31), name="甲县会战前签约项目")  # the day before
    signed_project(unit_a, D(2025, 4, 1), name="甲县首日签约项目")
    b = signed_project(unit_b, D(2025, 7, 9), name="乙县末日签约项目")
    signed_project(unit_b, D(2025, 5, 5), status=ClaimStatus.CONFIRMED, name="乙县待审定项目")
    funds(b, D(2025, 5, 1), 400)
    funds(b, D(2025, 7, 10), 999)  # the day after
    return b


def test_campaign_ranking_over_a_custom_period(login, leader, campaign, claims, unit_a):
    from tests.factories import GroupFactory, add_member

    add_member(GroupFactory(year=2025, name="第三招商协作组"), unit_a)
    response = login(leader).get(url(campaign))
    assert response.status_code == 200
    # 甲县: signed 1/1 (25), funds 0/400 → 100 × 25 / 40 = 62.50.
    # 乙县: signed 1/2 (12.5; the confirmed one is not approved), funds 400/400 (15) → 68.75.
    assert rows(response) == [
        ("乙县", 1, 1, Decimal("68.75")),
        ("甲县", 2, 2, Decimal("62.50")),
    ]
    page = response.content.decode()
    assert response.context["result"].units[1].group_name == "第三招商协作组"  # of the year
    assert "已过 100 / 100 天 · 100.00%" in page
    assert "待核实" in page  # the confirmed signing is shown apart, not counted
    assert "导出 Excel" in page


def test_a_campaign_under_way_counts_up_to_today(login, leader, campaign, claims, today):
    today(D(2025, 5, 20))  # 50 of 100 days
    response = login(leader).get(url(campaign))
    page = response.content.decode()
    assert "已过 50 / 100 天 · 50.00%" in page
    assert "会战进行中，截至今日" in page
    # 乙县's 9 July signing has not happened yet: 0/2 signed, 400/400 funds → 37.50.
    assert rows(response) == [
        ("甲县", 1, 1, Decimal("62.50")),
        ("乙县", 2, 2, Decimal("37.50")),
    ]
    # 甲县's funds are behind time progress, its signing ahead.
    a = response.context["result"].units[0]
    assert a.indicators["funds"].on_schedule is False
    assert a.indicators["signed_100m"].on_schedule is True


def test_before_the_start_there_is_no_ranking(login, leader, campaign, claims, today):
    today(D(2025, 3, 1))
    response = login(leader).get(url(campaign))
    page = response.content.decode()
    assert "会战尚未开始" in page
    assert "已过 0 / 100 天" in page
    assert "导出 Excel" not in page


def test_the_list_shows_campaigns_with_their_period(login, staff_a, campaign):
    page = login(staff_a).get(reverse("assessment:campaign_list")).content.decode()
    assert "2025年百日招商攻坚会战" in page
    assert "2025年4月1日 至 2025年7月9日" in page
    assert "新建会战" not in page
