"""Demo assessment data: default years 2025 and 2026, targets for every unit and group shaped on
the demo projects' own figures (fixed seed, `SHAPES`), 2025's four quarters published, 2026's
Q1–Q2 published and Q3 computed as a draft. Idempotent: existing targets and snapshots are left
alone.

Also one campaign, 2026年百日招商攻坚会战 (1 August → 8 November 2026), with targets for every
unit holding 2026 targets: about 30–45 % of the annual target (its own seed).

Runs after zhaoshang.ops.demo.projects and zhaoshang.ops.demo.claims (load_demo's order); with no
projects it still creates the years and modest targets.
"""

import datetime
import math
import random
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessment.defaults import create_default_year
from assessment.engine import compute
from assessment.models import Campaign, CampaignTarget, Snapshot, Target, quarter_end
from assessment.snapshots import compute_snapshot, publish
from projects.models import Project
from units.models import CollaborationGroup, GroupMembership, Unit, UnitType
from zhaoshang.ops.demo import demo_writes, hierarchy

SEED = 20261125
PUBLISHED_YEAR = 2025
CURRENT_YEAR = 2026
CURRENT_QUARTERS = [1, 2, 3]
# This year's quarters already announced (the unit's score-trend has this year's points too);
# the third is computed and waits for the office to publish it.
CURRENT_PUBLISHED = [1, 2]
CAMPAIGN_NAME = "2026年百日招商攻坚会战"
CAMPAIGN_START = datetime.date(2026, 8, 1)
CAMPAIGN_END = datetime.date(2026, 11, 8)
CAMPAIGN_SEED = SEED + 100


# The year's shape, read at the quarter each year's story is told (2025 at year end, 2026 at the
# third quarter, time progress 75 %): how many units complete the year, what share of the rest
# lag well behind, and the completion ranges of each kind of unit per indicator.
SHAPES = {
    PUBLISHED_YEAR: {"quarter": 4, "complete": 6, "behind": 0.2, "near": (0.78, 1.0),
                     "lagging": (0.35, 0.65)},
    CURRENT_YEAR: {"quarter": 3, "complete": 4, "behind": 0.1, "near": (0.55, 0.85),
                   "lagging": (0.25, 0.5)},
}  # fmt: skip
# A city department is assessed on what it can bring in: signings and funds (and 开工 when it
# has one); counties, parks and the bureau on every indicator.
DEPARTMENT_INDICATORS = {"signed_100m", "funds"}
# 竣工 tasks follow the unit's plan: a unit with no project due to complete has none (unless it
# is one of the units lagging behind, whose plan did not come true).
PLANNED_ONLY = {"completed_100m", "completed_fai"}


def _round_target(value, count, *, down=False, nearest=False):
    if count:
        whole = math.floor(value) if down else math.ceil(value)
        if nearest:
            whole = math.floor(value + Decimal("0.5"))
        return Decimal(max(1, whole))
    # Amounts to the nearest 100 万元 (down: not above `value`), at least 100.
    hundreds = (value / 100).to_integral_value(rounding="ROUND_FLOOR" if down else "ROUND_HALF_UP")
    return max(Decimal(100), hundreds * 100)


def _assessed(entity, indicators):
    if entity.unit_type != UnitType.CITY_DEPT:
        return indicators
    return [
        ind
        for ind in indicators
        if ind.code in DEPARTMENT_INDICATORS
        or (ind.code == "started_100m" and entity.indicators[ind.code].actual > 0)
    ]


def _unit_targets(ay, rng):
    """Targets shaped so the year's 通报 reads like a real one (issue 22): most units near the
    time progress, a few completing the year, some well behind, and as 零进度 only the units
    that truly did nothing (the demo's quiet units, `vocabulary.QUIET_UNITS`). Each target is
    the unit's figure at the story's quarter over a completion drawn from its kind's range."""
    shape = SHAPES.get(ay.year, SHAPES[CURRENT_YEAR])
    result = compute(ay, shape["quarter"], with_escalation=False)
    indicators = list(ay.indicators.all())
    entities = sorted(result.units, key=lambda e: e.id)
    assessed = {e.id: _assessed(e, indicators) for e in entities}

    def can_complete(entity):
        figures = [entity.indicators[ind.code] for ind in assessed[entity.id]]
        return all(r.actual >= (1 if ind.kind == "milestone_count" else 100)
                   for r, ind in zip(figures, assessed[entity.id], strict=True))  # fmt: skip

    # Half of those completing the year are counties or parks where the figures allow.
    candidates = [e for e in entities if can_complete(e)]
    wide = [e.id for e in candidates if e.unit_type != UnitType.CITY_DEPT]
    complete = set(rng.sample(wide, min(shape["complete"] // 2, len(wide))))
    rest = [e.id for e in candidates if e.id not in complete]
    complete |= set(rng.sample(rest, min(shape["complete"] - len(complete), len(rest))))
    rows = []
    for entity in entities:
        done = entity.id in complete
        lagging = not done and rng.random() < shape["behind"]
        low, high = shape["lagging"] if lagging else shape["near"]
        for ind in assessed[entity.id]:
            count = ind.kind == "milestone_count"
            actual = entity.indicators[ind.code].actual
            if done:
                ratio = Decimal(str(round(rng.uniform(1.0, 1.25), 2)))
                value = _round_target(actual / ratio, count, down=True)
            elif actual > 0:
                ratio = Decimal(str(round(rng.uniform(low, high), 2)))
                # A count near the time progress is worked back to the nearest whole target:
                # one signing against a target of 1, not of 2 (a 50 % that reads as lagging).
                value = _round_target(actual / ratio, count, nearest=not lagging)
            elif ind.code in PLANNED_ONLY and not lagging:
                continue  # nothing due to complete this year: no 竣工 task
            else:
                floor = rng.choice([1, 1, 2]) if count else rng.choice([500, 1000, 2000, 3000])
                value = _round_target(Decimal(floor), count)
            rows.append(Target(indicator=ind, unit_id=entity.id, value=value))
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
            _dated(publish(compute_snapshot(ay, quarter)))
    ay = years[CURRENT_YEAR]
    # The sub-units' passed-down targets are 2026 rules: written before 2026 has a published
    # quarter (which locks them). Their funds fall after the computed quarters, and sub-units
    # roll up into their county, so no computed figure depends on the order. (Without the demo
    # projects there are no sub-units: their projects are modelled on the county's.)
    if Project.objects.exists():
        hierarchy.load(stdout)
    for quarter in CURRENT_QUARTERS:
        if not Snapshot.objects.filter(year=ay, quarter=quarter).exists():
            snapshot = compute_snapshot(ay, quarter)
            if quarter in CURRENT_PUBLISHED:
                snapshot = publish(snapshot)
            _dated(snapshot)
    _ensure_campaign(ay, stdout)


def _dated(snapshot):
    """Computed about two weeks after its quarter ended and published a few days later, as the
    office does — not all on the day the demo was loaded."""
    end = quarter_end(snapshot.year.year, snapshot.quarter)
    computed = min(
        timezone.make_aware(datetime.datetime.combine(end, datetime.time(10, 0)))
        + datetime.timedelta(days=12),
        timezone.now(),
    )
    fields = {"computed_at": computed}
    if snapshot.published_at:
        fields["published_at"] = min(computed + datetime.timedelta(days=4, hours=5), timezone.now())
    Snapshot.objects.filter(pk=snapshot.pk).update(**fields)


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
