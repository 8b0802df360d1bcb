"""Campaigns (百日会战): a named period with its own targets, ranked by the same rules as the
quarterly assessment (SPEC §5) but over [start, end] instead of the year to date.

Computation only (the models are `assessment.models.campaign`, the pages' services
`assessment.campaigns.services`). Callers pass the period, the indicators (rows of an assessment
year, for their rules and weights) and the targets as {unit_id: {indicator code: Decimal}}. Only
units with a target take part. The same aggregates and the same unit scoring as the engine
(`assessment.engine.unit_entity`), so the rules cannot drift and the query count is fixed.
"""

from decimal import Decimal
from fractions import Fraction

from assessment.actuals import compute_figures
from assessment.engine import HUNDRED, indicator_specs, rank_entities, round2, unit_entity
from assessment.results import AssessmentResult
from units.models import Unit

DEFAULT_CAP = Decimal("1.2")
DEFAULT_FRACTIONS = (Fraction(1, 3), Fraction(2, 3))  # exact, as AssessmentYear stores them


def time_progress(start, end, as_of):
    """Percent of the campaign's days gone by at `as_of` (0–100, two places)."""
    total = (end - start).days + 1
    gone = min(max((as_of - start).days + 1, 0), total)
    return round2(HUNDRED * Decimal(gone) / Decimal(total))


def compute_campaign(
    start,
    end,
    indicators,
    targets,
    *,
    cap=DEFAULT_CAP,
    fractions=DEFAULT_FRACTIONS,
    excluded_categories=(),
    as_of=None,
    through=None,
):
    """Rank the units in `targets` over [start, end].

    `indicators`: Indicator rows (their rules and weights apply); `targets`: {unit_id: {code:
    value}}; `fractions`: echelon fractions (first, second). Returns an AssessmentResult whose
    `year` is the start's year and `quarter` is 0 (not a quarter); `expected_progress` is the
    campaign's time progress at `as_of` (default: its end). `through` (default: the end) counts
    claims only up to that day, for a campaign still under way; the result's `period_end` is then
    the last day counted.
    """
    if end < start:
        raise ValueError("campaign ends before it starts")
    counted_to = min(end, through) if through is not None else end
    if counted_to < start:
        raise ValueError("nothing to count before the campaign starts")
    indicators = list(indicators)
    weights = {i.code: i.weight for i in indicators}
    expected = time_progress(start, end, as_of or end)
    figures = compute_figures(indicators, start, counted_to, list(excluded_categories))
    names = dict(Unit.objects.filter(pk__in=list(targets)).values_list("pk", "name"))
    entities = [
        unit_entity(
            unit_id,
            names.get(unit_id, str(unit_id)),
            indicators,
            targets[unit_id],
            figures,
            expected,
            weights,
            cap,
        )
        for unit_id in sorted(targets, key=lambda u: names.get(u, ""))
    ]
    return AssessmentResult(
        year=start.year,
        quarter=0,
        period_start=start,
        period_end=counted_to,
        expected_progress=expected,
        indicators=indicator_specs(indicators),
        units=rank_entities(entities, fractions),
        groups=[],
    )
