"""百日会战: units ranked by the assessment rules over a campaign's own period and targets."""

import datetime
from decimal import Decimal

import pytest

from assessment.campaigns.engine import compute_campaign, time_progress
from tests.assessment.factories import default_year, funds, signed_project

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 4, 1)
END = D(2026, 7, 9)  # 100 days


def test_time_progress_is_the_share_of_the_campaign_days_gone_by():
    assert time_progress(START, END, D(2026, 5, 20)) == Decimal("50.00")
    assert time_progress(START, END, D(2026, 12, 1)) == Decimal("100.00")


def test_only_claims_inside_the_campaign_count(unit_a, unit_b, lead_unit):
    year = default_year(2026)
    signed_project(unit_a, D(2026, 3, 31))  # the day before: not counted
    signed_project(unit_a, D(2026, 4, 1))
    p = signed_project(unit_b, D(2026, 7, 9))
    funds(p, D(2026, 5, 1), 400)
    funds(p, D(2026, 7, 10), 999)  # the day after: not counted
    indicators = year.indicators.filter(code__in=["signed_100m", "funds"])
    targets = {
        unit_a.pk: {"signed_100m": Decimal(1), "funds": Decimal(400)},
        unit_b.pk: {"signed_100m": Decimal(2), "funds": Decimal(400)},
        lead_unit.pk: {"signed_100m": Decimal(1)},
    }
    result = compute_campaign(START, END, indicators, targets, as_of=D(2026, 5, 20))
    by_name = {u.name: u for u in result.units}
    # 甲县: signed 1/1, funds 0 → 100 × 25 / 40 = 62.50; 乙县: 1/2 and 1 → (12.5 + 15)/40 = 68.75.
    assert by_name["甲县"].score == Decimal("62.50")
    assert by_name["乙县"].score == Decimal("68.75")
    assert by_name["乙县"].indicators["funds"].actual == Decimal(400)
    assert [(u.name, u.rank, u.echelon) for u in result.units] == [
        ("乙县", 1, 1),
        ("甲县", 2, 2),
        ("市发改委", 3, 3),
    ]
    assert by_name["市发改委"].status == "零进度"
    # Half the campaign gone: 甲县's funds are behind time, its signing is ahead.
    assert by_name["甲县"].indicators["funds"].on_schedule is False
    assert by_name["甲县"].indicators["signed_100m"].on_schedule is True


def test_a_period_that_ends_before_it_starts_is_refused(db):
    with pytest.raises(ValueError):
        compute_campaign(END, START, [], {})
