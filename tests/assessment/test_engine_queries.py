"""The engine reads aggregates: the query count does not grow with units, projects, claims or
the years' 新引进/结转 overrides (one subquery inside the aggregates, never a query per project)."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.echelons import LEGACY_RULES
from assessment.engine import compute
from assessment.models import AssessmentYear
from projects.models import ClaimStatus, MilestoneKind, Project
from tests.assessment.factories import (
    IndicatorFactory,
    default_year,
    funds,
    investment,
    milestone,
    set_targets,
    split_credit,
)
from tests.factories import (
    GroupFactory,
    NewnessOverrideFactory,
    ProjectFactory,
    UnitFactory,
    add_member,
)
from tests.factories.base import unguarded
from units.models import CollaborationGroup, GroupMembership, Unit


def build_city(year, n_units):
    IndicatorFactory(
        year=year, code="new_funds", kind="funds", milestone="", new_only=True, display_unit="万元"
    )
    group = GroupFactory(year=2026)
    previous = None
    for n in range(n_units):
        unit = UnitFactory()
        add_member(group, unit)
        set_targets(year, unit, signed_100m=2, started_100m=1, completed_fai=500, funds=800)
        project = ProjectFactory(unit=unit)
        milestone(project, MilestoneKind.SIGNED, datetime.date(2026, 1, 10))
        milestone(project, MilestoneKind.COMPLETED, datetime.date(2026, 6, 1))
        investment(project, datetime.date(2026, 5, 1), 300)
        funds(project, datetime.date(2026, 2, 1), 100 + n)
        funds(project, datetime.date(2026, 2, 2), 50, status=ClaimStatus.SUBMITTED)
        if n % 2:  # the office records 结转 for every other project
            NewnessOverrideFactory(project=project, year=2026, is_new=False)
        carried = ProjectFactory(unit=unit)  # signed last year: 结转 by default
        milestone(carried, MilestoneKind.SIGNED, datetime.date(2025, 5, 1))
        funds(carried, datetime.date(2026, 2, 3), 70)
        if previous is not None:
            split_credit(project, {unit: 60, previous: 40})
        previous = unit
    set_targets(year, group, signed_100m=5, funds=1000)


def queries_for(n_units):
    year = default_year(2026)
    build_city(year, n_units)
    with CaptureQueriesContext(connection) as ctx:
        result = compute(2026, 2)
    assert sum(1 for u in result.units if u.ranked) == n_units

    def total(code):
        return sum(u.indicators[code].actual for u in result.units)

    # Only the projects still 新引进 in 2026 count for the new-only indicators.
    new = [n for n in range(n_units) if n % 2 == 0]
    assert total("signed_100m") == len(new)
    assert total("new_funds") == sum(Decimal(100 + n) for n in new)
    return len(ctx.captured_queries)


def wipe_city():
    with unguarded():
        AssessmentYear.objects.all().delete()
        GroupMembership.objects.all().delete()
        CollaborationGroup.objects.all().delete()
        Project.objects.all().delete()
        Unit.objects.all().delete()


def test_ten_and_forty_units_cost_the_same_queries(db):
    # Equal counts, not a bound: one query per unit (or per project) shows at any size.
    small = queries_for(10)
    wipe_city()
    large = queries_for(40)
    assert small == large
    assert small <= 15


def test_the_echelon_rules_cost_no_query(db):
    """Tie-break on an indicator, per-type rankings, the floor and listing apart are plain
    Python over the rows already read: the same count as the old rule, and within budget."""
    year = default_year(2026)
    for name, value in LEGACY_RULES.items():
        setattr(year, name, value)
    year.save()
    build_city(year, 10)
    with CaptureQueriesContext(connection) as ctx:
        compute(2026, 2)
    legacy = len(ctx.captured_queries)
    year.tie_break, year.tie_break_indicator = True, "funds"
    year.zero_progress_third, year.first_echelon_floor = True, Decimal("0.5")
    year.min_indicators, year.rank_by_unit_type = 3, True
    year.escalation_display = "year_end"
    year.save()
    with CaptureQueriesContext(connection) as ctx:
        compute(2026, 2)
    assert len(ctx.captured_queries) <= legacy
    assert len(ctx.captured_queries) <= 15
