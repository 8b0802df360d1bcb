"""The campaign report reads a fixed number of queries whatever the number of units."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import CampaignTarget
from tests.assessment.factories import funds, signed_project
from tests.factories import UnitFactory

D = datetime.date


def add_units(campaign, count):
    indicators = list(campaign.year.indicators.all())
    rows = []
    for n in range(count):
        unit = UnitFactory(name=f"会战单位{n:03d}")
        if n % 5 == 0:
            funds(signed_project(unit, D(2025, 5, 1)), D(2025, 5, 2), 100)
        rows += [
            CampaignTarget(campaign=campaign, unit=unit, indicator=i, value=Decimal(3))
            for i in indicators
        ]
    CampaignTarget.objects.bulk_create(rows)


# A query per unit would pass the bound of 11 at 60 units already; 200 only cost time.
@pytest.mark.parametrize("count", [10, 60])
def test_report_queries_do_not_grow_with_units(
    login, leader, campaign, count, django_assert_max_num_queries
):
    add_units(campaign, count)
    client = login(leader)
    # +1: the bell; +3: the campaign's own measures, their targets and the reported sums.
    with django_assert_max_num_queries(15):
        response = client.get(campaign.get_absolute_url())
    assert len(response.context["result"].units) == count + 2
    assert response.context["result"].units[0].score > 0


@pytest.mark.parametrize("count", [10, 200])
def test_list_queries_do_not_grow_with_campaigns(
    login, reviewer, year, count, django_assert_max_num_queries
):
    from assessment.models import Campaign

    Campaign.objects.bulk_create(
        Campaign(year=year, name=f"第{n}期专项会战", start=D(2025, 3, 1), end=D(2025, 6, 8))
        for n in range(count)
    )
    client = login(reviewer)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("assessment:campaign_list"))
    assert response.content.decode().count("专项会战</a>") == count
