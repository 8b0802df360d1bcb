"""A unit's sub-units (下属单位, issue 20 item 3): their roll-up and the targets passed down.

The year assesses top-level units (`assessment.engine`); this page is the parent's own view of its
breakdown. Each child's figures are its own plus its sub-units', from the engine's aggregates
(`assessment.actuals.compute_figures`), so the query count is fixed whatever the number of
sub-units. Children are ranked among themselves by completion (R, exact; equal R share a rank).

Targets passed down are `assessment.Target` rows of the sub-units (the same model as the year's
targets, so a published year's are frozen by the same guard, and the engine ignores them: only
top-level units' targets are assessed). Who may change them:
`units.access.can_edit_subunit_targets`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from assessment import targets as grid
from assessment.actuals import compute_figures
from assessment.engine import caps_of, round2, score_entity, unit_entity
from assessment.models import Target
from assessment.results import EntityResult, IndicatorResult
from units.models import Unit
from units.tree import Tree

ZERO = Decimal(0)


def children_of(unit, tree=None):
    """The unit's direct sub-units, in the units' order (one query)."""
    tree = tree or Tree.load()
    return list(Unit.objects.filter(pk__in=tree.children(unit.pk)))


def _under(tree, parent_id):
    """unit_id → the direct child of `parent_id` it lies under (or None)."""

    def child_of(unit_id):
        chain = [unit_id, *tree.ancestors(unit_id)]
        if parent_id in chain:
            at = chain.index(parent_id)
            return chain[at - 1] if at > 0 else None
        return None

    return child_of


def subunit_targets(ay, child_ids):
    """{(unit_id, indicator_id): Decimal} of the targets of `child_ids` in the year."""
    rows = Target.objects.filter(indicator__year=ay, unit_id__in=list(child_ids))
    return {(u, i): v for u, i, v in rows.values_list("unit_id", "indicator_id", "value")}


def parent_targets(ay, unit):
    """{indicator_id: Decimal} of the unit's own targets in the year."""
    rows = Target.objects.filter(indicator__year=ay, unit=unit)
    return dict(rows.values_list("indicator_id", "value"))


@dataclass
class Rollup:
    indicators: list
    rows: list  # EntityResult per child, ranked (entity.rank set; unranked last)
    total: dict  # {code: IndicatorResult} of the children's sum against the parent's target
    parent_target: dict = field(default_factory=dict)  # {code: Decimal}

    def table(self):
        """[(entity, [(indicator, IndicatorResult) in indicator order])] for the template."""
        return [(r, [(i, r.indicators[i.code]) for i in self.indicators]) for r in self.rows]

    def total_cells(self):
        return [(i, self.total[i.code]) for i in self.indicators]


def rollup(ay, unit):
    """The children of `unit` in assessment year `ay`: each child's figures (its own and its
    sub-units') per indicator against the target passed down to it, their sum against the parent's
    own target, and the children ranked among themselves by completion."""
    tree = Tree.load()
    children = children_of(unit, tree)
    indicators = list(ay.indicators.all())
    weights = {i.code: i.weight for i in indicators}
    caps = caps_of(indicators, ay.score_cap)
    start, end = datetime.date(ay.year, 1, 1), datetime.date(ay.year, 12, 31)
    figures = compute_figures(indicators, start, end, ay.excluded_categories, ay.filing_required)
    child_of = _under(tree, unit.pk)
    figures = figures.rolled_up(lambda u: child_of(u) or -1)
    saved = subunit_targets(ay, [c.pk for c in children])
    by_code = {i.pk: i.code for i in indicators}
    rows = []
    for child in children:
        t = {by_code[i]: v for (u, i), v in saved.items() if u == child.pk}
        rows.append(unit_entity(child.pk, child.name, indicators, t, figures, 100, weights, caps))
    _rank(rows)
    own = parent_targets(ay, unit)
    total = EntityResult(kind="unit", id=unit.pk, name="合计")
    for ind in indicators:
        actual = sum((r.indicators[ind.code].actual for r in rows), ZERO)
        pending = sum((r.indicators[ind.code].pending for r in rows), ZERO)
        target = own.get(ind.pk)
        completion = actual / target if target else None
        total.indicators[ind.code] = IndicatorResult(
            code=ind.code,
            target=target,
            actual=actual,
            completion=completion,
            completion_pct=round2(100 * completion) if target else None,
            on_schedule=None,
            pending=pending,
        )
    score_entity(total, weights, caps)
    return Rollup(indicators, rows, total.indicators, {by_code[i]: v for i, v in own.items()})


def _rank(rows):
    """Order by exact R, highest first; equal R share a rank (1, 2, 2, 4); children with no
    target passed down are listed last, unranked."""
    assessed = sorted(
        (r for r in rows if r.overall_exact is not None), key=lambda r: -r.overall_exact
    )
    rank, previous = 0, None
    for n, r in enumerate(assessed, 1):
        if r.overall != previous:
            rank, previous = n, r.overall
        r.rank = rank
    rows[:] = assessed + [r for r in rows if r.overall_exact is None]


@dataclass
class Shortfall:
    indicator: str
    parent_target: Decimal
    children_total: Decimal
    display_unit: str


def shortfalls(indicators, parent_target, saved, child_ids):
    """Per indicator: where the children's targets add up to less than the parent's own target.
    `parent_target` {indicator_id: Decimal}, `saved` {(unit_id, indicator_id): Decimal}."""
    out = []
    for ind in indicators:
        value = parent_target.get(ind.pk)
        if not value:
            continue
        total = sum((v for (u, i), v in saved.items() if i == ind.pk and u in child_ids), ZERO)
        if total < value:
            out.append(Shortfall(ind.name, value, total, ind.display_unit))
    return out


@transaction.atomic
def save_targets(ay, children, data, user=None):
    """The passed-down grid: every cell validated, all or nothing (`assessment.targets`); a cell
    posted empty removes its target, a cell left out of the POST is kept. Writes go through the
    guard (a published year's targets are frozen: `Frozen` propagates). Returns a GridResult."""
    indicators = list(ay.indicators.all())
    saved_rows = Target.objects.filter(indicator__year=ay, unit__in=children)
    existing = {(t.unit_id, t.indicator_id): t for t in saved_rows}
    saved = {key: t.value for key, t in existing.items()}
    result, parsed = grid.parse_grid(children, indicators, data, saved)
    if result.errors:
        return result
    grid.write_grid(Target, "unit", parsed, existing, user)
    return result
