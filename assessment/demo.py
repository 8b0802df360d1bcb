"""Demo assessment data: default years 2025 and 2026, targets for every unit and group sized
around the demo projects' own figures (fixed seed), 2025's four quarters published and 2026's
Q1–Q3 computed as drafts. Idempotent: existing targets and snapshots are left alone.

Runs after projects.demo and projects.demo_claims (load_demo's order); with no projects it still
creates the years and modest targets.
"""

import math
import random
from decimal import Decimal

from units.models import CollaborationGroup, GroupMembership, Unit

from .defaults import create_default_year
from .engine import compute
from .models import Snapshot, Target
from .snapshots import compute_snapshot, publish

SEED = 20261125
PUBLISHED_YEAR = 2025
CURRENT_YEAR = 2026
CURRENT_QUARTERS = [1, 2, 3]


def _round_target(value, count):
    if count:
        return Decimal(max(1, math.ceil(value)))
    # Amounts to the nearest 100 万元, at least 100.
    return max(Decimal(100), (value / 100).quantize(Decimal(1)) * 100)


def _unit_targets(ay, rng):
    """Targets around each unit's year-to-date figures; a few units get stretch targets."""
    result = compute(ay, 4, with_escalation=False)
    indicators = list(ay.indicators.all())
    rows = []
    for entity in result.units:
        # About one unit in eight has no target for the funds indicator: not assessed there.
        for ind in indicators:
            if ind.code == "funds" and rng.random() < 0.12:
                continue
            count = ind.kind == "milestone_count"
            actual = entity.indicators[ind.code].actual
            factor = Decimal(str(round(rng.uniform(0.7, 1.8), 2)))
            floor = Decimal(1) if count else Decimal(rng.choice([500, 1000, 2000, 3000]))
            base = actual * factor if actual > 0 else floor
            rows.append(Target(indicator=ind, unit_id=entity.id, value=_round_target(base, count)))
    Target.objects.bulk_create(rows)
    return rows


def _group_targets(ay, unit_rows, rng):
    members = {}
    for unit_id, group_id in GroupMembership.objects.filter(year=ay.year).values_list(
        "unit_id", "group_id"
    ):
        members.setdefault(group_id, set()).add(unit_id)
    rows = []
    for group in CollaborationGroup.objects.filter(year=ay.year):
        for ind in ay.indicators.all():
            total = sum(
                (
                    t.value
                    for t in unit_rows
                    if t.indicator_id == ind.pk and t.unit_id in members.get(group.pk, ())
                ),
                Decimal(0),
            )
            if total <= 0:
                continue
            factor = Decimal(str(round(rng.uniform(0.9, 1.05), 2)))
            count = ind.kind == "milestone_count"
            rows.append(
                Target(indicator=ind, group=group, value=_round_target(total * factor, count))
            )
    Target.objects.bulk_create(rows)


def _ensure_targets(ay, rng, stdout):
    if Target.objects.filter(indicator__year=ay).exists():
        return
    unit_rows = _unit_targets(ay, rng)
    _group_targets(ay, unit_rows, rng)
    stdout.write(f"  {ay.year} 年度目标：{len(unit_rows)} 项单位目标及协作组目标")


def load(stdout):
    rng = random.Random(SEED)
    if not Unit.objects.exists():
        return
    years = {y: create_default_year(y) for y in (PUBLISHED_YEAR, CURRENT_YEAR)}
    for ay in years.values():
        _ensure_targets(ay, rng, stdout)
    ay = years[PUBLISHED_YEAR]
    for quarter in (1, 2, 3, 4):
        if not Snapshot.objects.filter(year=ay, quarter=quarter).exists():
            publish(compute_snapshot(ay, quarter))
    ay = years[CURRENT_YEAR]
    for quarter in CURRENT_QUARTERS:
        if not Snapshot.objects.filter(year=ay, quarter=quarter).exists():
            compute_snapshot(ay, quarter)
    stdout.write("  考核：2025 年四个季度已发布，2026 年一至三季度已测算（未发布）")
