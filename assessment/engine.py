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
  of consecutive years, as does a completed year; a year whose setting says escalation follows
  the head (issue 20) also ends the run at a year the head now in post was not in post at its
  end. Groups get no escalation (a group is per year);
- a group's actual is the sum of all its member units' actuals in that year (assessed or not); its
  pending figure likewise; groups get no score adjustments.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from assessment.actuals import compute_figures
from assessment.echelons import RankRules, describe, echelon_for, rank_entities  # noqa: F401
from assessment.models import (
    AssessmentYear,
    EscalationDisplay,
    ScoreAdjustment,
    Snapshot,
    SnapshotStatus,
    Target,
    UnitHead,
    head_on,
    quarter_end,
)
from assessment.results import (
    AssessmentResult,
    EntityResult,
    IndicatorResult,
    IndicatorSpec,
)
from assessment.serialize import result_from_dict
from units.models import CollaborationGroup, GroupMembership, Unit
from units.tree import Tree
from zhaoshang.ops import dataversion

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
    group_name="", unit_type="",
):  # fmt: skip
    """One unit's EntityResult: each indicator's figures against `targets` ({code: value}) from
    the aggregated `figures` (assessment.actuals), then its score with its `adjustment` points.
    The quarterly assessment and the campaigns (assessment.campaigns.engine) score units with it."""
    entity = EntityResult(
        kind="unit", id=unit_id, name=name, group_name=group_name, unit_type=unit_type
    )
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


def caps_of(indicators, cap):
    """{code: cap}: an indicator's own cap where it has one (issue 17), else the year's."""
    return {i.code: i.score_cap if i.score_cap is not None else cap for i in indicators}


def score_entity(entity, weights, cap, adjustment=ZERO):
    """Fill S, R, the exact R and S, the score and the status of `entity` from its indicators.

    `cap` is one cap for every indicator, or {code: cap} (`caps_of`)."""
    assessed = [(weights[code], r) for code, r in entity.indicators.items() if r.assessed]
    if not assessed:
        return
    caps = cap if isinstance(cap, dict) else None
    total_weight = sum(w for w, _ in assessed)
    s = (
        HUNDRED
        * sum(w * min(r.completion, caps[r.code] if caps else cap) for w, r in assessed)
        / total_weight
    )
    r_exact = HUNDRED * sum(w * min(r.completion, ONE) for w, r in assessed) / total_weight
    entity.base_score = round2(s)
    entity.adjustment = adjustment
    entity.score = round2(entity.base_score + adjustment)
    entity.score_exact = s + adjustment
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
    caps = caps_of(indicators, ay.score_cap)
    figures = compute_figures(indicators, start, end, ay.excluded_categories, ay.filing_required)

    unit_targets, group_targets = {}, {}
    for unit_id, group_id, code, value in Target.objects.filter(indicator__year=ay).values_list(
        "unit_id", "group_id", "indicator__code", "value"
    ):
        if unit_id:
            unit_targets.setdefault(unit_id, {})[code] = value
        else:
            group_targets.setdefault(group_id, {})[code] = value

    # The year assesses top-level units (issue 20 item 3): one query for every unit (the same one
    # query as before, no longer filtered in SQL) gives the tree; sub-units' figures count for
    # their top-level ancestor, and their targets (passed down by the parent) are its breakdown,
    # not assessed. Flat data: every unit is top level and nothing changes.
    all_units = list(Unit.objects.all())
    tree = Tree.from_units(all_units)
    figures = figures.rolled_up(tree.top_of)
    unit_targets = {u: t for u, t in unit_targets.items() if tree.is_top(u)}
    with_data = figures.unit_ids() | set(unit_targets)
    units = [u for u in all_units if u.parent_id is None and (u.is_active or u.pk in with_data)]
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
            caps,
            adjustment=adjustments.get(unit.pk, ZERO),
            group_name=group_names.get(unit_group.get(unit.pk), ""),
            unit_type=unit.unit_type,
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
        score_entity(entity, weights, caps)
        group_results.append(entity)

    unit_results = rank_entities(unit_results, fractions, RankRules.of_year(ay, quarter))
    group_results = rank_entities(
        group_results, fractions, RankRules.of_year(ay, quarter, groups=True)
    )
    # Shown only at Q4 when the year says so (issue 17 item 7); otherwise "as of now", which the
    # pages and the 通报 label 按当前进度预计 under the projected mode.
    if with_escalation and (quarter == 4 or ay.escalation_display != EscalationDisplay.YEAR_END):
        apply_escalation(y, unit_results, follows_head=ay.escalation_follows_head, as_of=end)

    return AssessmentResult(
        year=y,
        quarter=quarter,
        period_start=start,
        period_end=end,
        expected_progress=expected,
        indicators=indicator_specs(indicators),
        units=unit_results,
        groups=group_results,
        by_unit_type=ay.rank_by_unit_type,
        escalation_mode=""
        if ay.escalation_display == EscalationDisplay.AS_OF_NOW
        else ay.escalation_display,
        echelon_rules=describe(ay, quarter, {i.code: i.name for i in indicators}),
        tie_break=ay.tie_break,
    )


def compute_cached(year, quarter, *, with_escalation=True):
    """`compute` as of the current data version (`zhaoshang.ops.dataversion`), for the pages that
    show a quarter live (dashboard trend, forecast, group workspace): a view after a write
    computes afresh, views in between read the cache. Publication and the comparison with a
    snapshot call `compute` itself."""
    ay = load_year(year)
    return dataversion.cached(
        "compute",
        (ay.year, quarter, int(with_escalation)),
        lambda: compute(ay, quarter, with_escalation=with_escalation),
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
    return {u.id: u.status == STATUS_DONE for u in units if u.ranked or u.listed_apart}


def escalation_for(count):
    """批评诫勉 / 黄牌警告 / 建议调整主要负责人 for 1 / 2 / ≥3 consecutive years not completed."""
    if count <= 0:
        return ""
    return ESCALATIONS[min(count, 3)]


def apply_escalation(year, units, *, follows_head=False, as_of=None):
    """Set years_not_completed and escalation on the ranked units of `year` (in place).

    The current year counts as not completed when its R is below 100; earlier years extend the run
    until a completed year, a year the unit was not ranked, or a year without data.

    `follows_head` (the year's `escalation_follows_head`, issue 20 item 2): an earlier year also
    ends the run when the head in post at its end is not the head in post at `as_of` (the
    period's end) — a new head starts counting afresh. A unit with no head recorded at `as_of`
    is counted by unit, as without the setting. One query for the terms, whatever the years.
    """
    running = {}
    for e in units:
        if (e.ranked or e.listed_apart) and e.status != STATUS_DONE:
            running[e.id] = 1
    open_ids = set(running)
    current_heads, terms = {}, []
    if follows_head and open_ids:
        terms = list(UnitHead.objects.filter(unit_id__in=open_ids))
        day = as_of or datetime.date(year, 12, 31)
        for unit_id in open_ids:
            head = head_on(terms, unit_id, day)
            if head is not None:
                current_heads[unit_id] = head.pk
    previous = year - 1
    while open_ids and previous > year - MAX_LOOKBACK_YEARS:
        outcomes = year_end_outcomes(previous)
        if outcomes is None:
            break
        for unit_id in list(open_ids):
            head_then = head_on(terms, unit_id, datetime.date(previous, 12, 31)) if terms else None
            same_head = unit_id not in current_heads or (
                head_then is not None and head_then.pk == current_heads[unit_id]
            )
            if outcomes.get(unit_id) is False and same_head:
                running[unit_id] += 1
            else:
                open_ids.discard(unit_id)
        previous -= 1
    for e in units:
        e.years_not_completed = running.get(e.id, 0)
        e.escalation = escalation_for(e.years_not_completed)
