"""The assessment engine (SPEC §5): one year and quarter in, an AssessmentResult out.

Plain Python over a fixed number of queries (year, indicators, units, targets, memberships,
groups, adjustments, plus one aggregate per indicator kind in `assessment.actuals`) — never a query
per unit, project or claim.

Rules, to the letter of SPEC §5:
- period of quarter q = 1 January through the last day of quarter q (year to date);
- an indicator with no target, or target 0, is not assessed for that unit or group;
- completion c = A / T exact; shown as 100·c rounded half-up to 2 places;
- S = 100 × Σ wᵢ·min(cᵢ, cap) / Σ wᵢ, R = 100 × Σ wᵢ·min(cᵢ, 1) / Σ wᵢ over assessed indicators,
  both rounded half-up to 2 places; score adjustments are added to the rounded S;
- ranks by score descending, equal scores (after rounding) share a rank ("1, 2, 2, 4");
- echelon: r ≤ ⌈N·f₁⌉ → 1, r ≤ ⌈N·f₂⌉ → 2, else 3, N = number ranked;
- status compares the exact R: 零进度 (every assessed actual is 0) / 完成任务 (R = 100) /
  过半 (50 ≤ R < 100) / 不足50% (R < 50);
- only units with at least one assessed indicator are ranked, counted in N and given a status.

Choices where SPEC is silent (documented here and in the report):
- "on schedule" compares the exact completion with the quarter's expected time progress
  (100·c ≥ progress);
- escalation is computed at every quarter as "as of now" (the year's R so far counts as this
  year's outcome) and is final at Q4; previous years are read from their latest *published* Q4
  snapshot (the figures that were announced) and, when a year has no published Q4, recomputed
  with this engine under that year's own rules. A year in which a unit was not ranked ends its run
  of consecutive years, as does a completed year. Groups get no escalation (a group is per year);
- a group's actual is the sum of all its member units' actuals in that year (assessed or not); its
  pending figure likewise; groups get no score adjustments.
"""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from assessment.actuals import compute_figures
from assessment.models import (
    AssessmentYear,
    ScoreAdjustment,
    Snapshot,
    SnapshotStatus,
    Target,
    quarter_end,
)
from assessment.results import (
    AssessmentResult,
    Echelon,
    EntityResult,
    IndicatorResult,
    IndicatorSpec,
)
from assessment.serialize import result_from_dict
from units.models import CollaborationGroup, GroupMembership, Unit

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

STATUS_DONE = "完成任务"
STATUS_HALF = "过半"
STATUS_BELOW_HALF = "不足50%"
STATUS_ZERO = "零进度"
ESCALATIONS = {1: "批评诫勉", 2: "黄牌警告", 3: "建议调整主要负责人"}
MAX_LOOKBACK_YEARS = 20


def round2(value):
    """Half-up to two places (SPEC §5)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def period_of(year, quarter):
    """(1 January of `year`, last day of quarter `quarter`)."""
    return datetime.date(year, 1, 1), quarter_end(year, quarter)


def load_year(year):
    """An AssessmentYear from an instance or a year number (DoesNotExist when absent)."""
    if isinstance(year, AssessmentYear):
        return year
    return AssessmentYear.objects.get(year=year)


def indicator_result(code, target, actual, pending, expected_progress):
    """One indicator's figures; not assessed when the target is missing or 0."""
    if target is None or target <= 0:
        return IndicatorResult(
            code=code,
            target=target,
            actual=actual,
            completion=None,
            completion_pct=None,
            on_schedule=None,
            pending=pending,
        )
    completion = actual / target
    return IndicatorResult(
        code=code,
        target=target,
        actual=actual,
        completion=completion,
        completion_pct=round2(HUNDRED * completion),
        on_schedule=HUNDRED * completion >= expected_progress,
        pending=pending,
    )


def unit_entity(
    unit_id, name, indicators, targets, figures, expected, weights, cap, *, adjustment=ZERO,
    group_name="",
):  # fmt: skip
    """One unit's EntityResult: each indicator's figures against `targets` ({code: value}) from
    the aggregated `figures` (assessment.actuals), then its score with its `adjustment` points.
    The quarterly assessment and the campaigns (assessment.campaigns.engine) score units with it."""
    entity = EntityResult(kind="unit", id=unit_id, name=name, group_name=group_name)
    actual = figures.actual.get(unit_id)
    pending = figures.pending.get(unit_id)
    for ind in indicators:
        entity.indicators[ind.code] = indicator_result(
            ind.code,
            targets.get(ind.code),
            actual[ind.code] if actual is not None else ZERO,
            pending[ind.code] if pending is not None else ZERO,
            expected,
        )
    score_entity(entity, weights, cap, adjustment)
    return entity


def indicator_specs(indicators):
    """The result's description of each indicator, in the order they are shown."""
    return [
        IndicatorSpec(code=i.code, name=i.name, display_unit=i.display_unit, weight=i.weight)
        for i in indicators
    ]


def score_entity(entity, weights, cap, adjustment=ZERO):
    """Fill S, R, the exact R, the score and the status of `entity` from its indicators."""
    assessed = [(weights[code], r) for code, r in entity.indicators.items() if r.assessed]
    if not assessed:
        return
    total_weight = sum(w for w, _ in assessed)
    s = HUNDRED * sum(w * min(r.completion, cap) for w, r in assessed) / total_weight
    r_exact = HUNDRED * sum(w * min(r.completion, ONE) for w, r in assessed) / total_weight
    entity.base_score = round2(s)
    entity.adjustment = adjustment
    entity.score = round2(entity.base_score + adjustment)
    entity.overall_exact = r_exact
    entity.overall = round2(r_exact)
    entity.status = status_for(r_exact, all(r.actual == 0 for _, r in assessed))


def status_for(r_exact, all_zero):
    """零进度 / 完成任务 / 过半 / 不足50%, comparing the exact R."""
    if all_zero:
        return STATUS_ZERO
    if r_exact >= HUNDRED:
        return STATUS_DONE
    if r_exact >= 50:
        return STATUS_HALF
    return STATUS_BELOW_HALF


def echelon_for(rank, n, fractions):
    """The Echelon of rank `rank` among `n` ranked (r ≤ ⌈N·f₁⌉ → 1, r ≤ ⌈N·f₂⌉ → 2, else 3)."""
    first, second = fractions
    if rank <= math.ceil(n * first):
        return Echelon.FIRST
    if rank <= math.ceil(n * second):
        return Echelon.SECOND
    return Echelon.THIRD


def rank_entities(entities, fractions):
    """Rank by score descending with shared ranks; set echelons; ranked first, then the rest.

    `entities` comes in display order (sort order, name), which breaks ties for display only.
    """
    ranked = [e for e in entities if e.score is not None]
    # Stable sort by score descending: ties keep display order. An entity's rank is 1 + the
    # number with a strictly higher score, i.e. 1 + the index of its score's first occurrence
    # in the sorted list: "1, 2, 2, 4". One sort instead of comparing every pair.
    ranked.sort(key=lambda e: e.score, reverse=True)
    n = len(ranked)
    rank, previous = 0, None
    for index, e in enumerate(ranked):
        if index == 0 or e.score != previous:
            rank, previous = index + 1, e.score
        e.rank = rank
        e.echelon = echelon_for(rank, n, fractions)
    return ranked + [e for e in entities if e.score is None]


def compute(year, quarter, *, with_escalation=True):
    """Compute quarter `quarter` (1–4) of assessment year `year` (int or AssessmentYear).

    Returns an AssessmentResult with every unit (active, or with targets or figures in the year)
    and every group of the year. Raises AssessmentYear.DoesNotExist for an unknown year and
    ValueError for a quarter outside 1–4.
    """
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1–4")
    ay = load_year(year)
    y = ay.year
    start, end = period_of(y, quarter)
    indicators = list(ay.indicators.all())
    weights = {i.code: i.weight for i in indicators}
    expected = ay.expected_progress(quarter)
    fractions = ay.echelon_fractions()
    figures = compute_figures(indicators, start, end, ay.excluded_categories)

    unit_targets, group_targets = {}, {}
    for unit_id, group_id, code, value in Target.objects.filter(indicator__year=ay).values_list(
        "unit_id", "group_id", "indicator__code", "value"
    ):
        if unit_id:
            unit_targets.setdefault(unit_id, {})[code] = value
        else:
            group_targets.setdefault(group_id, {})[code] = value

    with_data = figures.unit_ids() | set(unit_targets)
    units = list(Unit.objects.filter(Q(is_active=True) | Q(pk__in=with_data)))
    memberships = list(GroupMembership.objects.filter(year=y).values_list("unit_id", "group_id"))
    groups = list(CollaborationGroup.objects.filter(year=y).order_by("sort_order", "name"))
    group_names = {g.pk: g.name for g in groups}
    unit_group = {u: g for u, g in memberships}
    adjustments = dict(
        ScoreAdjustment.objects.filter(year=ay)
        .values("unit_id")
        .annotate(total=Sum("points"))
        .values_list("unit_id", "total")
    )

    unit_results = [
        unit_entity(
            unit.pk,
            unit.name,
            indicators,
            unit_targets.get(unit.pk, {}),
            figures,
            expected,
            weights,
            ay.score_cap,
            adjustment=adjustments.get(unit.pk, ZERO),
            group_name=group_names.get(unit_group.get(unit.pk), ""),
        )
        for unit in units
    ]

    group_results = []
    for group in groups:
        members = [u for u, g in memberships if g == group.pk]
        entity = EntityResult(kind="group", id=group.pk, name=group.name)
        targets = group_targets.get(group.pk, {})
        for ind in indicators:
            actual = sum(
                (figures.actual[u][ind.code] for u in members if u in figures.actual), ZERO
            )
            pending = sum(
                (figures.pending[u][ind.code] for u in members if u in figures.pending), ZERO
            )
            entity.indicators[ind.code] = indicator_result(
                ind.code, targets.get(ind.code), actual, pending, expected
            )
        score_entity(entity, weights, ay.score_cap)
        group_results.append(entity)

    unit_results = rank_entities(unit_results, fractions)
    group_results = rank_entities(group_results, fractions)
    if with_escalation:
        apply_escalation(y, unit_results)

    return AssessmentResult(
        year=y,
        quarter=quarter,
        period_start=start,
        period_end=end,
        expected_progress=expected,
        indicators=indicator_specs(indicators),
        units=unit_results,
        groups=group_results,
    )


def year_end_outcomes(year):
    """{unit_id: completed?} for the ranked units of `year` at year end, or None without data.

    Reads the latest published Q4 snapshot of that year; without one, recomputes Q4 with this
    engine under the year's own rules (no escalation, so no recursion).
    """
    snapshot = (
        Snapshot.objects.filter(
            year__year=year,
            quarter=4,
            status__in=[SnapshotStatus.PUBLISHED, SnapshotStatus.UNLOCKED],
        )
        .order_by("-version")
        .first()
    )
    if snapshot is not None:
        units = result_from_dict(snapshot.data).units
    else:
        try:
            units = compute(year, 4, with_escalation=False).units
        except AssessmentYear.DoesNotExist:
            return None
    return {u.id: u.status == STATUS_DONE for u in units if u.ranked}


def escalation_for(count):
    """批评诫勉 / 黄牌警告 / 建议调整主要负责人 for 1 / 2 / ≥3 consecutive years not completed."""
    if count <= 0:
        return ""
    return ESCALATIONS[min(count, 3)]


def apply_escalation(year, units):
    """Set years_not_completed and escalation on the ranked units of `year` (in place).

    The current year counts as not completed when its R is below 100; earlier years extend the run
    until a completed year, a year the unit was not ranked, or a year without data.
    """
    running = {}
    for e in units:
        if e.ranked and e.status != STATUS_DONE:
            running[e.id] = 1
    open_ids = set(running)
    previous = year - 1
    while open_ids and previous > year - MAX_LOOKBACK_YEARS:
        outcomes = year_end_outcomes(previous)
        if outcomes is None:
            break
        for unit_id in list(open_ids):
            if outcomes.get(unit_id) is False:
                running[unit_id] += 1
            else:
                open_ids.discard(unit_id)
        previous -= 1
    for e in units:
        e.years_not_completed = running.get(e.id, 0)
        e.escalation = escalation_for(e.years_not_completed)
