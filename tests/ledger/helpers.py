"""A small city for the ledger tests: a funds indicator per year, units with targets of 100 万元
and funds in place, published Q4 snapshots and an ended campaign."""

import datetime

from assessment.models import AssessmentYear
from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import IndicatorFactory, funds, set_targets
from tests.factories import (
    AssessmentYearFactory,
    CampaignFactory,
    ProjectFactory,
    set_campaign_targets,
)


def make_year(y, **rules):
    ay = AssessmentYear.objects.filter(year=y).first()
    if ay is None:
        ay = AssessmentYearFactory(year=y, **{"min_indicators": 1, **rules})
        IndicatorFactory(year=ay, code="funds", kind="funds", milestone="", display_unit="万元")
    return ay


def year_result(unit, y, amount, target=100):
    """Target `target` and `amount` of funds in place on 1 June of year `y`."""
    ay = make_year(y)
    set_targets(ay, unit, funds=target)
    if amount:
        funds(ProjectFactory(unit=unit), datetime.date(y, 6, 1), amount)
    return ay


def publish_q4(ay, user):
    return publish(compute_snapshot(ay, 4, user), user)


def ended_campaign(amounts, y=2025, **rules):
    """A campaign of year `y` (1 April → 9 July) with a 100 万元 target per unit and `amounts`
    ({unit: 万元}) in place during it; `rules` sets its ledger rules."""
    ay = make_year(y)
    campaign = CampaignFactory(
        year=ay,
        name="百日招商攻坚会战",
        start=datetime.date(y, 4, 1),
        end=datetime.date(y, 7, 9),
        published=True,
        **rules,
    )
    for unit, amount in amounts.items():
        set_campaign_targets(campaign, unit, funds=100)
        if amount:
            funds(ProjectFactory(unit=unit), datetime.date(y, 5, 10), amount)
    return campaign
