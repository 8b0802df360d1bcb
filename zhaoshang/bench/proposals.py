"""Fixes the benchmark proposes for other modules, measured here without editing them.

`joined_completion()` swaps, for the duration of a `with` block, the engine's query for the
竣工项目完成固定资产投资 variant (`assessment.actuals.completed_fixed_asset_claims`) for a join on
the completion milestone instead of two correlated subqueries per monthly row. The unique
(project, kind) constraint on Milestone means the join cannot duplicate rows.
"""

from contextlib import contextmanager

from django.db.models import F

from assessment import actuals
from projects.models import MilestoneKind, MonthlyInvestment


def completed_fixed_asset_claims_joined(start, end, excluded_categories):
    qs = MonthlyInvestment.objects.filter(
        month__lte=end,
        status__in=actuals.COUNTED,
        project__milestones__kind=MilestoneKind.COMPLETED,
        project__milestones__date__range=(start, end),
        project__milestones__status__in=actuals.COUNTED,
    ).annotate(done_status=F("project__milestones__status"))
    return actuals._eligible(qs, excluded_categories)


@contextmanager
def joined_completion():
    original = actuals.completed_fixed_asset_claims
    actuals.completed_fixed_asset_claims = completed_fixed_asset_claims_joined
    try:
        yield
    finally:
        actuals.completed_fixed_asset_claims = original
