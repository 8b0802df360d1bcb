"""Demo assessment data: default years 2025 and 2026, targets for every unit and group sized
around the demo projects' own figures (fixed seed), 2025's four quarters published and 2026's
Q1–Q3 computed as drafts. Idempotent: existing targets and snapshots are left alone.

Also one campaign, 2026年百日招商攻坚会战 (1 August → 8 November 2026), with targets for every
unit holding 2026 targets: about 30–45 % of the annual target (its own seed).

Runs after zhaoshang.ops.demo.projects and zhaoshang.ops.demo.claims (load_demo's order); with no
projects it still creates the years and modest targets.
"""

import datetime
import math
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from assessment.defaults import create_default_year
from assessment.engine import compute
from assessment.models import Campaign, CampaignTarget, Snapshot, Target
from assessment.snapshots import compute_snapshot, publish
from units.models import CollaborationGroup, GroupMembership, Unit
from zhaoshang.ops.demo import demo_writes

SEED = 20261125
PUBLISHED_YEAR = 2025
CURRENT_YEAR = 2026
CURRENT_QUARTERS = [1, 2, 3]
CAMPAIGN_NAME = "2026年百日招商攻坚会战"
CAMPAIGN_START = datetime.date(2026, 8, 1)
CAMPAIGN_END = datetime.date(2026, 11, 8)
CAMPAIGN_SEED = SEED + 100


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
    bulk_create_with_history(rows, Target)
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
    bulk_create_with_history(rows, Target)


def _ensure_targets(ay, rng, stdout):
    if Target.objects.filter(indicator__year=ay).exists():
        return
    unit_rows = _unit_targets(ay, rng)
    _group_targets(ay, unit_rows, rng)
    stdout.write(f"  {ay.year} 年度目标：{len(unit_rows)} 项单位目标及协作组目标")


@demo_writes
def load(stdout):
    rng = random.Random(SEED)
    if not Unit.objects.exists():
        return
    years = {y: create_default_year(y) for y in (PUBLISHED_YEAR, CURRENT_YEAR)}
    for ay in years.values():
        _ensure_targets(ay, rng, stdout)
    # Each 2025 quarter is published right after it is computed (publishing refuses figures that
    # moved since their computation), and before 2026 is computed: 2026's escalation reads
    # 2025's published Q4.
    ay = years[PUBLISHED_YEAR]
    for quarter in (1, 2, 3, 4):
        if not Snapshot.objects.filter(year=ay, quarter=quarter).exists():
            publish(compute_snapshot(ay, quarter))
    ay = years[CURRENT_YEAR]
    for quarter in CURRENT_QUARTERS:
        if not Snapshot.objects.filter(year=ay, quarter=quarter).exists():
            compute_snapshot(ay, quarter)
    _ensure_campaign(ay, stdout)


def _ensure_campaign(ay, stdout):
    """The demo 百日会战: created once; its targets only when it has none."""
    campaign, _ = Campaign.objects.get_or_create(
        year=ay,
        name=CAMPAIGN_NAME,
        defaults={
            "start": CAMPAIGN_START,
            "end": CAMPAIGN_END,
            "published": True,
            "note": "围绕签约、开工和资金到位开展百日攻坚，按会战目标单独排名。",
        },
    )
    if campaign.targets.exists():
        return
    rng = random.Random(CAMPAIGN_SEED)
    rows = []
    annual = Target.objects.filter(indicator__year=ay, unit__isnull=False).select_related(
        "indicator"
    )
    for target in annual.order_by("unit_id", "indicator__order", "indicator_id"):
        factor = Decimal(str(round(rng.uniform(0.3, 0.45), 2)))
        count = target.indicator.kind == "milestone_count"
        value = _round_target(target.value * factor, count)
        rows.append(
            CampaignTarget(
                campaign=campaign, unit_id=target.unit_id, indicator=target.indicator, value=value
            )
        )
    bulk_create_with_history(rows, CampaignTarget)
    stdout.write(f"  {CAMPAIGN_NAME}：{len(rows)} 项会战目标")
