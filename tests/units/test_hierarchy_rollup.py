"""Issue 20 item 3: the year assesses top-level units; a sub-unit's figures count for its
top-level ancestor, in the quarterly engine and in campaigns, at an unchanged query count."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.campaigns.services import grid_units, standing
from assessment.engine import compute
from tests.assessment.factories import (
    CampaignFactory,
    default_year,
    funds,
    set_campaign_targets,
    set_targets,
    split_credit,
)
from tests.factories import ProjectFactory, UnitFactory
from units.models import UnitType

D = Decimal


@pytest.fixture
def year(db):
    return default_year(2026)


@pytest.fixture
def county(db):
    return UnitFactory(name="甲县")


@pytest.fixture
def town(county):
    return UnitFactory(name="甲县城关镇", unit_type=UnitType.TOWN, parent=county)


def row(result, unit):
    return next((e for e in result.units if e.id == unit.pk), None)


def test_a_towns_funds_count_for_its_county(year, county, town):
    set_targets(year, county, funds=1000)
    set_targets(year, town, funds=900)  # passed down: the county's breakdown, not assessed
    funds(ProjectFactory(unit=county), datetime.date(2026, 2, 1), 200)
    funds(ProjectFactory(unit=town), datetime.date(2026, 2, 1), 300)
    result = compute(year, 1)
    county_row = row(result, county).indicators["funds"]
    assert county_row.actual == D("500")  # 200 own + 300 of the town
    assert county_row.completion_pct == D("50.00")
    assert row(result, town) is None  # sub-units are not ranked by the year


def test_a_credit_share_to_a_sub_unit_counts_for_its_top(year, county, town, unit_b):
    set_targets(year, county, funds=1000)
    set_targets(year, unit_b, funds=1000)
    project = ProjectFactory(unit=unit_b)
    split_credit(project, {unit_b: 60, town: 40})
    funds(project, datetime.date(2026, 2, 1), 250)
    result = compute(year, 1)
    assert row(result, county).indicators["funds"].actual == D("100")  # 40 % of 250
    assert row(result, unit_b).indicators["funds"].actual == D("150")


def test_a_third_level_office_counts_for_the_county(year, county):
    park = UnitFactory(name="甲县经开区", unit_type=UnitType.PARK, parent=county)
    office = UnitFactory(name="经开区招商科", unit_type=UnitType.OFFICE, parent=park)
    set_targets(year, county, funds=100)
    funds(ProjectFactory(unit=office), datetime.date(2026, 2, 1), 120)
    result = compute(year, 1)
    assert row(result, county).indicators["funds"].actual == D("120")
    assert {e.id for e in result.units} == {county.pk}


def _queries(year, with_towns):
    county = UnitFactory(name=f"县{with_towns}")
    set_targets(year, county, funds=1000)
    funds(ProjectFactory(unit=county), datetime.date(2026, 2, 1), 100)
    for n in range(with_towns):
        town = UnitFactory(name=f"县{with_towns}镇{n}", unit_type=UnitType.TOWN, parent=county)
        set_targets(year, town, funds=100)
        funds(ProjectFactory(unit=town), datetime.date(2026, 2, 1), 10)
    with CaptureQueriesContext(connection) as ctx:
        result = compute(year, 1)
    assert row(result, county).indicators["funds"].actual == D(100 + 10 * with_towns)
    return len(ctx.captured_queries)


def test_sub_units_add_no_query_to_the_engine(year):
    assert _queries(year, 0) == _queries(year, 2) == _queries(year, 6)


def test_campaign_rolls_up_and_its_grid_lists_top_level_units(year, county, town):
    campaign = CampaignFactory(year=year)
    set_campaign_targets(campaign, county, funds=400)
    funds(ProjectFactory(unit=county), datetime.date(2026, 4, 10), 100)
    funds(ProjectFactory(unit=town), datetime.date(2026, 4, 11), 100)
    funds(ProjectFactory(unit=town), datetime.date(2026, 3, 31), 999)  # before the campaign
    result = standing(campaign, today=datetime.date(2026, 7, 9)).result
    entity = row(result, county)
    assert entity.indicators["funds"].actual == D("200")
    assert entity.overall == D("50.00")
    assert row(result, town) is None
    assert [u.pk for u in grid_units(campaign)] == [county.pk]
