"""Campaigns (百日会战): a named period with its own targets, ranked by the same rules as the
quarterly assessment (SPEC §5) but over [start, end] instead of the year to date.

Computation only (the models are `assessment.models.campaign`, the pages' services
`assessment.campaigns.services`). Callers pass the period, the indicators (rows of an assessment
year, for their rules and weights) and the targets as {unit_id: {indicator code: Decimal}}. Only
units with a target take part; a sub-unit's figures (its reports included) count for its
top-level ancestor. The same aggregates and the same unit scoring as the engine
(`assessment.engine.unit_entity`), so the rules cannot drift and the query count is fixed.

A campaign's own measures (issue 20 item 4, `assessment.campaigns.measures`) count as further
indicators of the campaign, by this rule:
- a unit takes part when it has a target for an indicator or for a measure;
- a measure with a target > 0 is assessed like an indicator: completion c = A / T, its weight
  in Σ wᵢ of S and R, capped at the year's cap (at `cap` without a year), and it counts towards
  the year's minimum of assessed indicators;
- A of a project-band measure = the unit's credited share of the approved 签约 (or 开工)
  milestones dated in [start, through] of projects whose 合同投资 (or 总投资) is at least the
  band's lower bound in 万元 — the year's recognition rules (不予认定, excluded categories,
  备案) apply as to the indicators; pending milestones are shown as 待核实, not counted;
- A of a reported measure = the sum of the unit's report figures for the periods counted
  (`reported`, passed in by the caller), as filed: reports are the units' own figures and have
  no approval step.
A band measure adds no query when the year has a milestone indicator (it joins that aggregate),
one otherwise; the reported sums are one query of the caller's.
"""

from decimal import Decimal
from fractions import Fraction

from assessment.actuals import compute_figures
from assessment.echelons import RankRules, describe
from assessment.engine import (
    HUNDRED,
    caps_of,
    indicator_specs,
    rank_entities,
    round2,
    unit_entity,
)
from assessment.results import AssessmentResult
from units.models import Unit
from units.tree import Tree

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
    year=None,
    measures=(),
    measure_targets=None,
    reported=None,
):
    """Rank the units in `targets` over [start, end].

    `indicators`: Indicator rows (their rules and weights apply); `targets`: {unit_id: {code:
    value}}; `fractions`: echelon fractions (first, second). Returns an AssessmentResult whose
    `year` is the start's year and `quarter` is 0 (not a quarter); `expected_progress` is the
    campaign's time progress at `as_of` (default: its end). `through` (default: the end) counts
    claims only up to that day, for a campaign still under way; the result's `period_end` is then
    the last day counted.

    `year` (the campaign's AssessmentYear) ranks under that year's rules, the very ones of its
    quarters (`assessment.echelons.RankRules`, issue 17 item 6): its echelon fractions, per
    indicator caps, tie-breaks, 零进度 → 第三方阵, the first-echelon floor (of the campaign's
    time progress), the minimum of assessed indicators and the per-unit-type ranking; `cap`
    and `fractions` are then ignored. Without it (a bare computation), one cap and the rule
    before issue 17.

    `measures`: MeasureSpecs of the campaign's own measures, `measure_targets` {unit_id:
    {code: value}} their targets and `reported` {unit_id: {code: Decimal}} the reported
    measures' sums (the module docstring gives the rule).
    """
    if end < start:
        raise ValueError("campaign ends before it starts")
    counted_to = min(end, through) if through is not None else end
    if counted_to < start:
        raise ValueError("nothing to count before the campaign starts")
    indicators = list(indicators)
    measures = list(measures)
    scored = indicators + measures
    weights = {i.code: i.weight for i in scored}
    expected = time_progress(start, end, as_of or end)
    # The year's 备案 rule counts in a campaign as in its quarters (issue 17 item 5).
    filing = year.filing_required if year is not None else False
    counted = indicators + [m for m in measures if m.is_band]
    figures = compute_figures(counted, start, counted_to, list(excluded_categories), filing)
    for unit_id, sums in (reported or {}).items():
        for code, value in sums.items():
            figures.actual[unit_id][code] += value
    targets = _merge(targets, measure_targets or {})
    rules, rule_lines = RankRules(), []
    if year is not None:
        cap, fractions = caps_of(scored, year.score_cap), year.echelon_fractions()
        rules = RankRules.of_year(year, expected=expected)
        rule_lines = describe(year, None, {i.code: i.name for i in scored}, expected)
    # Sub-units' figures count for their top-level ancestor, as in the year (issue 20 item 3);
    # the one unit query reads every unit's parent for it instead of only the targets' names.
    rows = list(Unit.objects.order_by().values_list("pk", "name", "unit_type", "parent_id"))
    figures = figures.rolled_up(Tree((pk, parent) for pk, _, _, parent in rows).top_of)
    names = {pk: (name, unit_type) for pk, name, unit_type, _ in rows if pk in targets}
    entities = [
        unit_entity(
            unit_id,
            names.get(unit_id, (str(unit_id), ""))[0],
            scored,
            targets[unit_id],
            figures,
            expected,
            weights,
            cap,
            unit_type=names.get(unit_id, ("", ""))[1],
        )
        for unit_id in sorted(targets, key=lambda u: names.get(u, ("", ""))[0])
    ]
    return AssessmentResult(
        year=start.year,
        quarter=0,
        period_start=start,
        period_end=counted_to,
        expected_progress=expected,
        indicators=indicator_specs(scored),
        units=rank_entities(entities, fractions, rules),
        groups=[],
        by_unit_type=rules.by_unit_type,
        echelon_rules=rule_lines,
        tie_break=rules.tie_break,
    )


def _merge(targets, measure_targets):
    """{unit_id: {code: value}} of the indicators' and the measures' targets together."""
    out = {unit_id: dict(values) for unit_id, values in targets.items()}
    for unit_id, values in measure_targets.items():
        out.setdefault(unit_id, {}).update(values)
    return out
