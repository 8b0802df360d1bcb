"""One grid of campaign targets: units × the year's indicators; bad input saves nothing."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from assessment.models import CampaignTarget
from tests.factories import CampaignTargetFactory


def grid_url(campaign):
    return reverse("assessment:campaign_targets", args=[campaign.pk])


def cell(campaign, unit, code):
    return f"t-{unit.pk}-{campaign.year.indicators.get(code=code).pk}"


def saved(campaign):
    rows = CampaignTarget.objects.filter(campaign=campaign).select_related("unit", "indicator")
    return {(t.unit.name, t.indicator.code): t.value for t in rows}


def test_reviewer_enters_targets_in_one_grid(login, reviewer, campaign, unit_a, unit_b, lead_unit):
    client = login(reviewer)
    page = client.get(grid_url(campaign)).content.decode()
    assert "市发改委" in page and "新引进亿元合同项目" in page  # every active unit, every indicator
    data = {
        cell(campaign, unit_a, "signed_100m"): "2",
        cell(campaign, unit_a, "funds"): "1,500.5",
        cell(campaign, unit_b, "signed_100m"): "",  # empty: removed, not assessed
        cell(campaign, unit_b, "funds"): "400",
        cell(campaign, lead_unit, "started_100m"): "1",
    }
    response = client.post(grid_url(campaign), data, follow=True)
    assert "会战目标已保存" in response.content.decode()
    assert saved(campaign) == {
        ("甲县", "signed_100m"): Decimal(2),
        ("甲县", "funds"): Decimal("1500.50"),
        ("乙县", "funds"): Decimal(400),
        ("市发改委", "started_100m"): Decimal(1),
    }
    ranking = client.get(campaign.get_absolute_url()).context["result"]
    assert {e.name for e in ranking.units} == {"甲县", "乙县", "市发改委"}


def test_bad_cells_are_listed_and_nothing_is_saved(login, reviewer, campaign, unit_a, unit_b):
    before = saved(campaign)
    data = {
        cell(campaign, unit_a, "funds"): "800",  # valid, but not saved with the bad ones
        cell(campaign, unit_a, "signed_100m"): "-1",
        cell(campaign, unit_b, "funds"): "五百万",
        cell(campaign, unit_b, "signed_100m"): "1.234",
    }
    response = login(reviewer).post(grid_url(campaign), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "有 3 处填写有误，全部未保存" in page
    assert "甲县·新引进亿元合同项目：不能为负数" in page
    assert "乙县·实际到位资金：不是有效的数字" in page
    assert "乙县·新引进亿元合同项目：最多保留两位小数" in page
    assert 'value="五百万"' in page  # kept for correction
    assert saved(campaign) == before


def test_the_database_refuses_a_negative_or_duplicate_target(campaign, unit_a):
    indicator = campaign.year.indicators.get(code="started_100m")
    with pytest.raises(IntegrityError):
        CampaignTargetFactory(
            campaign=campaign, unit=unit_a, indicator=indicator, value=Decimal(-1)
        )


def test_one_target_per_unit_and_indicator(campaign, unit_a):
    indicator = campaign.year.indicators.get(code="funds")
    with pytest.raises(IntegrityError):
        CampaignTargetFactory(campaign=campaign, unit=unit_a, indicator=indicator, value=Decimal(1))


def test_cells_left_out_of_the_post_are_kept(login, reviewer, campaign, unit_a, unit_b):
    """The yearly grid's rule (commit 03e900c) holds for campaigns: only a cell posted empty
    removes a target, so an empty or truncated POST wipes nothing."""
    before = saved(campaign)
    client = login(reviewer)
    response = client.post(grid_url(campaign), {}, follow=True)
    assert "会战目标已保存" in response.content.decode()
    assert saved(campaign) == before
    client.post(grid_url(campaign), {cell(campaign, unit_b, "funds"): "500"})
    assert saved(campaign) == before | {("乙县", "funds"): Decimal(500)}
