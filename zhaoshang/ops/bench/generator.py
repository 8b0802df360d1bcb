"""Synthetic data for the benchmark, written with raw bulk inserts.

Units, groups, targets and industries go through the ORM (a few thousand rows at most). Projects,
credit shares, milestones, monthly fixed-asset investment and funds go through the raw driver:
`executemany` on SQLite, `COPY … FROM STDIN` on PostgreSQL. Project ids are allotted here, so the
child rows can refer to them without reading anything back; the sequence is reset afterwards.

`Project.save()` creates the default 100 % credit share; these inserts bypass it, so the shares
are written explicitly (85 % of projects hold 100 % in their responsible unit, 15 % are split
60/40 with another unit). 新引进/结转 follows the signing dates; 5 % of projects record 结转 for
the bench year (an override, as an office records one). Change history (simple_history) is not
written for generated rows.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import DateTimeField
from django.db.models.functions import Cast
from django.utils import timezone

from assessment.defaults import create_default_year
from assessment.models import Target
from projects import services
from projects.models import (
    Category,
    ClaimStatus,
    CreditShare,
    FundsEntry,
    FundsSource,
    Industry,
    Introducer,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
    NewnessOverride,
    Project,
    Stage,
)
from units.models import CollaborationGroup, GroupMembership, Unit, UnitType
from zhaoshang.ops.bench import persons as bench_persons

BENCH_YEAR = 2026
BENCH_QUARTER = 3
FIRST_DAY = datetime.date(BENCH_YEAR - 1, 1, 1)
LAST_DAY = datetime.date(BENCH_YEAR, 11, 20)  # nothing dated in the future
MONTHS = [
    datetime.date(y, m, 1)
    for y in (BENCH_YEAR - 1, BENCH_YEAR)
    for m in range(1, 13)
    if datetime.date(y, m, 1) <= LAST_DAY
]
BATCH = 10_000
UNIT_PREFIX = "基准单位"

# Claim statuses with their weights: most figures verified, some in the workflow, some not yet
# submitted or sent back (those never count).
STATUS_WEIGHTS = [
    (ClaimStatus.APPROVED, 75),
    (ClaimStatus.SUBMITTED, 6),
    (ClaimStatus.REVIEWED, 4),
    (ClaimStatus.SITE_ASSESSED, 3),
    (ClaimStatus.CONFIRMED, 2),
    (ClaimStatus.DRAFT, 5),
    (ClaimStatus.REJECTED, 5),
]
STATUSES = [str(s) for s, _ in STATUS_WEIGHTS]
WEIGHTS = [w for _, w in STATUS_WEIGHTS]
CATEGORIES = [str(c) for c in Category.values]
CATEGORY_WEIGHTS = [40, 20, 15, 15, 10]  # real estate (excluded by default) is 10 %


@dataclass(frozen=True)
class Scale:
    name: str
    units: int
    projects: int
    monthly: int

    @property
    def label(self):
        return (
            f"{self.name}: {self.units:,} units / {self.projects:,} projects"
            f" / {self.monthly:,} monthly rows"
        )


SCALES = {
    "XS": Scale("XS", 10, 200, 2_000),  # a smoke test of the bench itself
    "S": Scale("S", 100, 5_000, 50_000),
    "M": Scale("M", 500, 50_000, 500_000),
    "L": Scale("L", 1_000, 200_000, 2_000_000),
}


def is_postgres():
    return connection.vendor == "postgresql"


def _now_value():
    now = timezone.now()
    return now if is_postgres() else connection.ops.adapt_datetimefield_value(now)


def _columns(model, attnames):
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [fields[name].column for name in attnames]


def bulk_insert(model, attnames, rows, const=None):
    """Insert `rows` (tuples in `attnames` order) plus the `const` values into `model`'s table.

    PostgreSQL: COPY; SQLite: executemany in batches. Returns the number of rows written.
    """
    const = const or {}
    names = list(attnames) + list(const)
    tail = tuple(const.values())
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, names))
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if is_postgres():
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        batch = []
        for row in rows:
            batch.append(row + tail)
            if len(batch) >= BATCH:
                raw.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            raw.executemany(sql, batch)
            count += len(batch)
    return count


def _reset_sequence(model):
    if is_postgres():
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(_NoStyle(), [model]):
                cursor.execute(sql)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def _next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _status(rng):
    return rng.choices(STATUSES, WEIGHTS)[0]


def _day(rng, first=FIRST_DAY, last=LAST_DAY):
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _amount(rng, low, high):
    """A two-place Decimal amount in 万元 (integer cents: no floats)."""
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _organisation(scale, rng, prefix):
    start = Unit.objects.count()
    types = [str(t) for t in UnitType.values]
    units = Unit.objects.bulk_create(
        Unit(
            name=f"{prefix}{start + n + 1:05d}",
            unit_type=types[n % len(types)],
            head_name=f"负责人{n + 1}",
            sort_order=n,
        )
        for n in range(scale.units)
    )
    industries = list(Industry.objects.all()[:12])
    if not industries:
        industries = Industry.objects.bulk_create(
            Industry(name=name, sort_order=n)
            for n, name in enumerate(
                ["装备制造", "新材料", "电子信息", "生物医药", "新能源", "现代物流", "文化旅游"]
            )
        )
    # The previous year exists, as in any second year of use: the engine then also reads last
    # year's fourth quarter (issue 21: the bench had timed it without one).
    create_default_year(BENCH_YEAR - 1)
    ay = create_default_year(BENCH_YEAR)
    indicators = list(ay.indicators.all())
    groups, memberships = [], []
    size = 10
    for n in range(0, len(units), size):
        members = units[n : n + size]
        groups.append(
            CollaborationGroup(
                year=BENCH_YEAR,
                name=f"{prefix}第{n // size + 1}招商协作组",
                leader_name=f"组长{n // size + 1}",
                lead_unit=members[0],
                sort_order=n // size,
            )
        )
    groups = CollaborationGroup.objects.bulk_create(groups)
    for g_index, group in enumerate(groups):
        for unit in units[g_index * size : (g_index + 1) * size]:
            memberships.append(GroupMembership(group=group, unit=unit, year=BENCH_YEAR))
    GroupMembership.objects.bulk_create(memberships)
    per_unit = max(1, scale.projects // max(1, scale.units))
    targets = []
    for owner_kind, owners, factor in (("unit", units, 1), ("group", groups, size)):
        for owner in owners:
            for ind in indicators:
                if ind.kind == "milestone_count":
                    value = Decimal(max(1, rng.randint(per_unit // 20, per_unit // 8 + 1)))
                else:
                    value = _amount(rng, per_unit * 200, per_unit * 1500)
                targets.append(Target(indicator=ind, value=value * factor, **{owner_kind: owner}))
    Target.objects.bulk_create(targets, batch_size=2000)
    return units, industries, groups, targets


def _milestone_dates(rng):
    """Signed / started / completed dates, ordered, none in the future; fewer for early stages."""
    r = rng.random()
    wanted = 0 if r < 0.15 else 1 if r < 0.40 else 2 if r < 0.70 else 3
    dates = []
    day = _day(rng)
    for step in range(wanted):
        if step:
            day = day + datetime.timedelta(days=rng.randint(20, 240))
        if day > LAST_DAY:
            break
        dates.append(day)
    return dates


STAGE_BY_COUNT = [Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.COMPLETED]
KINDS = [str(k) for k in (MilestoneKind.SIGNED, MilestoneKind.STARTED, MilestoneKind.COMPLETED)]


@transaction.atomic  # one transaction: SQLite would otherwise commit every inserted row
def generate(scale, seed=8, prefix=UNIT_PREFIX):
    """Write one synthetic city at `scale` (a Scale) into the default database.

    Returns {table label: rows written}. Deterministic for a given seed.
    """
    rng = random.Random(seed)
    units, industries, groups, targets = _organisation(scale, rng, prefix)
    unit_ids = [u.pk for u in units]
    industry_ids = [i.pk for i in industries]
    now = _now_value()
    first_project = _next_id(Project)
    project_ids = range(first_project, first_project + scale.projects)
    plans = []  # (project id, unit id, milestone dates)
    project_rows = []
    overrides = []
    for n, pid in enumerate(project_ids):
        unit_id = unit_ids[n % len(unit_ids)] if n < len(unit_ids) else rng.choice(unit_ids)
        total = _amount(rng, 500, 30_000) if rng.random() < 0.6 else _amount(rng, 10_000, 200_000)
        contracted = (total * rng.randint(50, 100) / 100).quantize(Decimal("0.01"))
        dates = _milestone_dates(rng)
        plans.append((pid, unit_id, dates))
        investor = f"基准投资方{rng.randint(1, scale.projects // 2 + 1):07d}有限公司"
        category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        key, high_tech = rng.random() < 0.2, rng.random() < 0.3
        # The draw that once set a project-wide 新引进 flag, so the rest of the city is as before.
        if rng.random() >= 0.95:
            overrides.append((pid, BENCH_YEAR, False, "基准数据：本年度结转"))
        project_rows.append(
            (
                pid,
                f"XB{pid}",  # 项目编号: unique; a random code (`new_project_code`) starts XM
                f"基准项目{pid:07d}",
                investor,
                industry_ids[n % len(industry_ids)],
                category,
                key,
                high_tech,
                unit_id,
                total,
                contracted,
                str(STAGE_BY_COUNT[len(dates)]),
            )
        )
    written = {}
    written["projects"] = bulk_insert(
        Project,
        [
            "id",
            "code",
            "name",
            "investor_name",
            "industry_id",
            "category",
            "is_key",
            "is_high_tech",
            "unit_id",
            "total_investment",
            "contracted_investment",
            "stage",
        ],
        project_rows,
        const={
            "investor_credit_code": "",
            "origin": "domestic",
            "origin_place": "",
            "head_enterprise": "",
            "sponsor_leader_text": "",
            "location": "",
            "termination_reason": "",
            "description": "",
            "filing_number": "",
            "version": 1,
            "created": now,
            "updated": now,
        },
    )
    del project_rows
    _reset_sequence(Project)
    written["newness_overrides"] = bulk_insert(
        NewnessOverride,
        ["project_id", "year", "is_new", "reason"],
        overrides,
        const={"updated": now},
    )
    _reset_sequence(NewnessOverride)
    # The 认定 columns (recognised_amount is nullable: NULL = recognised as claimed).
    claim_const = {
        "version": 1,
        "created": now,
        "updated": now,
        "note": "",
        "not_recognised": False,
        "recognition_reason": "",
    }
    written["credit_shares"] = bulk_insert(
        CreditShare, ["project_id", "unit_id", "percent"], _shares(rng, plans, unit_ids)
    )
    written["milestones"] = bulk_insert(
        Milestone,
        ["project_id", "kind", "date", "status"],
        (
            (pid, KINDS[k], day, _status(rng))
            for pid, _unit, dates in plans
            for k, day in enumerate(dates)
        ),
        const=claim_const,
    )
    written["monthly_investment"] = bulk_insert(
        MonthlyInvestment,
        ["project_id", "month", "amount", "status"],
        _monthly(rng, plans, scale.monthly),
        const=claim_const,
    )
    sources = [str(s) for s in FundsSource.values]
    written["funds"] = bulk_insert(
        FundsEntry,
        ["code", "project_id", "date", "source", "amount", "status"],
        (
            (
                f"ZB{pid}-{n}",
                pid,
                _day(rng),
                rng.choice(sources),
                _amount(rng, 10, 20_000),
                _status(rng),
            )
            for pid, _unit, _dates in plans
            for n in range(2)
        ),  # fmt: skip
        const={**claim_const, "is_foreign": False, "source_region": ""},
    )
    written.update(bench_persons.generate(seed, plans, unit_ids))
    for model in (CreditShare, Milestone, MonthlyInvestment, FundsEntry, Introducer):
        _reset_sequence(model)
    # Raw-inserted claims bypass the workflow: a submitted one waits from its own date.
    for model in (Milestone, MonthlyInvestment, FundsEntry):
        model.objects.exclude(status=ClaimStatus.DRAFT).update(
            submitted_at=Cast(model.claim_date_field, DateTimeField())
        )
    # Raw-inserted milestones bypass the workflow: fill the projects' verified dates (issue 21).
    services.fill_milestone_dates()
    written["units"] = len(units)
    written["groups"] = len(groups)
    written["targets"] = len(targets)
    return written


def _shares(rng, plans, unit_ids):
    hundred, sixty, forty = Decimal("100.00"), Decimal("60.00"), Decimal("40.00")
    for pid, unit_id, _dates in plans:
        if len(unit_ids) > 1 and rng.random() < 0.15:
            other = rng.choice(unit_ids)
            while other == unit_id:
                other = rng.choice(unit_ids)
            yield (pid, unit_id, sixty)
            yield (pid, other, forty)
        else:
            yield (pid, unit_id, hundred)


def _monthly(rng, plans, total):
    """`total` monthly rows spread evenly over the projects, distinct months per project."""
    per_project, extra = divmod(total, len(plans))
    for n, (pid, _unit, _dates) in enumerate(plans):
        count = min(len(MONTHS), per_project + (1 if n < extra else 0))
        for month in rng.sample(MONTHS, count):
            yield (pid, month, _amount(rng, 1, 5_000), _status(rng))
