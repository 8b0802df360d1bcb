"""A finished 100-day campaign of 2025 (1 April → 9 July) with targets for 甲县 and 乙县, and a
way to fix "today" for the campaign pages."""

import datetime

import pytest

from tests.assessment.factories import default_year
from tests.factories import CampaignFactory, set_campaign_targets

D = datetime.date


@pytest.fixture
def year(db):
    return default_year(2025)


@pytest.fixture
def campaign(year, unit_a, unit_b):
    c = CampaignFactory(
        year=year,
        name="2025年百日招商攻坚会战",
        start=D(2025, 4, 1),
        end=D(2025, 7, 9),
        published=True,
    )
    set_campaign_targets(c, unit_a, signed_100m=1, funds=400)
    set_campaign_targets(c, unit_b, signed_100m=2, funds=400)
    return c


@pytest.fixture
def today(monkeypatch):
    """today(date): the campaign pages believe it is that day."""

    def _set(day):
        monkeypatch.setattr("assessment.campaigns.services.timezone.localdate", lambda: day)

    return _set
