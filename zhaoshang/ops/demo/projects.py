"""Demo projects: about 300 projects over last year and this, spread over the demo units, stages,
industries and sizes, with milestones, monthly investment, funds, assistance items, leads, visits
and monthly reports, so every page has true-looking content.

Idempotent: the generator is seeded, so it yields the same projects every run; projects are keyed
on their name and only missing ones are created (with everything that hangs off them). Nothing is
dated in the future. Bulk inserts keep it fast.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from projects import services
from projects.models import (
    AssistanceItem,
    ClaimStatus,
    CreditShare,
    FundsEntry,
    Industry,
    Introducer,
    Milestone,
    MonthlyInvestment,
    Project,
    ProjectSettings,
)
from projects.reports import add_months
from units.models import Unit, UnitType, User
from zhaoshang.ops.demo import demo_writes, persons
from zhaoshang.ops.demo.activity import assistance_items, load_leads_and_visits, load_reports
from zhaoshang.ops.demo.names import NameBook, company_name, project_name, trade_name
from zhaoshang.ops.demo.timeline import claims_entered, moment, set_times
from zhaoshang.ops.demo.vocabulary import (
    HOME_UNIT,
    INDUSTRIES,
    LEADERS,
    PLACES,
    QUIET_UNITS,
    SEED,
    SOURCES,
    STAGE_WEIGHTS,
    STATUS_WEIGHTS,
    pick,
    size,
)


def clamp(day, today):
    return min(day, today)


# Projects per unit over the two years: counties and parks carry the city's investment, the
# bureau a few, each city department three (one signed each year and one more), so nearly every
# unit has something to show in each quarter's 通报.
QUOTAS = {UnitType.COUNTY: 15, UnitType.PARK: 12, UnitType.BUREAU: 8, UnitType.CITY_DEPT: 4}
# Of a county's or park's projects, this many are 结转: signed in the second half of the year
# before last, so last year has projects being finished (亿元新竣工) and not only begun.
CARRIED = 4
DEPARTMENT_STAGES = {"negotiating": 8, "signed": 30, "started": 42, "completed": 20}
# Issue 22 item 5: most units near the time progress in this year's Q3, not half of them below
# 50 % for want of one 亿元 signing. Every active unit signs 亿元 projects in this year's first
# five months (a department one, a county or park two, the bureau one), most of them begun
# within two months and their 签约/开工 verified, so by Q3 they count for 新引进亿元 and 亿元新开工.
THIS_YEAR_STAGES = {"signed": 3, "started": 7}
THIS_YEAR_SIGNINGS = {UnitType.COUNTY: 2, UnitType.PARK: 2, UnitType.BUREAU: 1}
THIS_YEAR_BUILD = {"big": 1.0, "start_gap": (20, 60), "verified": True}
BROKER_ORGANISATIONS = [
    "上海德诚投资咨询有限公司",
    "浙江商会驻本市联络处",
    "深圳前海汇智产业服务有限公司",
    "江苏商会",
    "北京中联招商顾问有限公司",
    "福建商会",
    "香港中华总商会",
    "苏州工业园区招商服务中心",
]
LOCATIONS = ["经开区", "高新区", "城东工业园", "临港园区", "中心镇", "新城片区", "智能制造产业园"]


def _day(rng, first, last):
    return first + datetime.timedelta(days=rng.randrange(max(1, (last - first).days)))


def _unit_plan(unit, today, rng, home_stages):
    """[(stage, signed day, build overrides)] for each project of `unit`."""
    start = datetime.date(today.year - 1, 1, 1)
    quiet = QUIET_UNITS.get(unit.name)
    if unit.name == HOME_UNIT:
        plan = []
        for stage in home_stages:
            signed = _day(rng, start, today)
            if stage in ("completed", "producing"):
                # Early enough to be built by now, so the demo unit shows every stage.
                signed = start + datetime.timedelta(days=rng.randrange(120))
            plan.append((stage, signed, {}))
        return plan
    if quiet == "2025":  # signed early last year, finished within it
        quick = {
            "start_gap": (20, 40),
            "build_days": (120, 170),
            "until": start.replace(month=12, day=31),
        }
        return [
            ("completed", _day(rng, start, start.replace(month=3, day=31)), quick) for _ in range(2)
        ]
    if quiet == "2026":
        first = datetime.date(today.year, 1, 1)
        return [
            (s, _day(rng, first, first.replace(month=6, day=30)), {}) for s in ("started", "signed")
        ]
    if quiet == "late":
        first = datetime.date(today.year, 10, 1)
        return [("signed", _day(rng, first, today - datetime.timedelta(days=10)), {})]
    if unit.unit_type == UnitType.CITY_DEPT:
        first_half = (start, start.replace(month=6, day=30))
        last_year = (start, start.replace(month=12, day=31))
        this_year = (datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30))
        windows = [first_half, last_year, (start, today)]
        plan = [(pick(rng, DEPARTMENT_STAGES), _day(rng, *w), {}) for w in windows]
        return plan + [(pick(rng, THIS_YEAR_STAGES), _day(rng, *this_year), THIS_YEAR_BUILD)]
    earlier = datetime.date(start.year - 1, 7, 1)
    carried = CARRIED if unit.unit_type != UnitType.BUREAU else 1
    plan = [
        (pick(rng, {"started": 3, "completed": 6, "producing": 2}), _day(rng, earlier, start), {})
        for _ in range(carried)
    ]
    this_year = (datetime.date(today.year, 1, 1), datetime.date(today.year, 5, 31))
    plan += [
        (pick(rng, THIS_YEAR_STAGES), _day(rng, *this_year), THIS_YEAR_BUILD)
        for _ in range(THIS_YEAR_SIGNINGS[unit.unit_type])
    ]
    return plan + [
        (pick(rng, STAGE_WEIGHTS), _day(rng, start, today), {})
        for _ in range(QUOTAS[unit.unit_type] - carried)
    ]


def _unique(name, names, trade):
    """A project name not used yet: named after its investor, or the same plant's 二期."""
    if name not in names:
        return name
    stem = name.removesuffix("建设项目").removesuffix("项目")
    for candidate in (f"{trade}{name}", f"{stem}（二期）项目", f"{trade}{stem}（二期）项目"):
        if candidate not in names:
            return candidate
    return f"{trade}{stem}（三期）项目"


def project_specs(rng, units, today):
    """The same list of project descriptions every run."""
    names, trades = set(), set()
    specs = []
    home_stages = list(STAGE_WEIGHTS) * 6
    for unit in units:
        for stage, signed, build in _unit_plan(unit, today, rng, home_stages):
            industry = rng.choice(list(INDUSTRIES))
            product = rng.choice(INDUSTRIES[industry])
            trade = trade_name(rng, trades)
            name = _unique(project_name(rng, trade, product), names, trade)
            names.add(name)
            origin, place, city = rng.choice(PLACES)
            big = build.get("big", 0.75 if unit.unit_type == UnitType.CITY_DEPT else 0.5)
            total = size(rng, big)
            start_gap, build_days = (
                build.get("start_gap", (20, 200)),
                build.get("build_days", (120, 420)),
            )
            specs.append(
                {
                    "name": name,
                    "unit": unit,
                    "stage": stage,
                    "industry": industry,
                    "product": product,
                    "investor": company_name(rng, city, trade, product, origin),
                    "origin": origin,
                    "place": place,
                    "city": city,
                    "total": total,
                    "contracted": (total * Decimal(rng.randint(60, 100)) / 100).quantize(
                        Decimal(1)
                    ),
                    "signed": signed,
                    "start_gap": rng.randint(*start_gap),
                    "build_days": rng.randint(*build_days),
                    "until": build.get("until"),
                    "verified": build.get("verified", False),
                    "rng": random.Random(f"{SEED}-{name}"),
                }
            )
    return specs


def build_project(spec, today, industries, creator, leaders):
    rng = spec["rng"]
    planned = spec["stage"]
    signed = started = completed = None
    stage = planned
    if planned not in ("lead", "negotiating"):
        signed = spec["signed"]
        if planned in ("started", "completed", "producing") or (
            planned == "terminated" and rng.random() < 0.4
        ):
            started = signed + datetime.timedelta(days=spec["start_gap"])
            started = started if started <= today else None
        if started and planned in ("completed", "producing"):
            completed = started + datetime.timedelta(days=spec["build_days"])
            completed = completed if completed <= today else None
        stage = "completed" if completed else "started" if started else "signed"
        if planned == "producing" and completed:
            stage = "producing"
        if planned == "terminated":
            stage = "terminated"
    project = Project(
        name=spec["name"],
        investor_name=spec["investor"],
        origin=spec["origin"],
        origin_place=spec["place"],
        industry=industries[spec["industry"]],
        category=rng.choices(
            ["industrial", "infrastructure", "social", "policy", "real_estate"],
            weights=[70, 12, 8, 6, 4],
        )[0],
        is_key=spec["total"] >= 50000 or rng.random() < 0.1,
        is_high_tech=spec["industry"] in ("电子信息", "生物医药", "新能源汽车")
        and rng.random() < 0.6,
        head_enterprise=head_enterprise(rng.random()),
        unit=spec["unit"],
        sponsor_leader=leaders[rng.choice(LEADERS)] if spec["total"] >= 10000 else None,
        location=rng.choice(LOCATIONS),
        total_investment=spec["total"],
        contracted_investment=spec["contracted"] if signed else Decimal(0),
        planned_start=(signed + datetime.timedelta(days=60)) if signed else None,
        planned_completion=(
            (started or signed) + datetime.timedelta(days=spec["build_days"] - rng.randint(-60, 90))
            if signed
            else None
        ),
        stage=stage,
        termination_reason="投资方资金链紧张，经协商终止合作。" if stage == "terminated" else "",
        terminated_on=today - datetime.timedelta(days=rng.randint(5, 120))
        if stage == "terminated"
        else None,
        description=description(rng, spec),
        created_by=creator,
    )
    project.demo_dates = {"signed": signed, "started": started, "completed": completed}
    project.demo_until = spec["until"]
    project.demo_verified = spec["verified"]
    return project


def description(rng, spec):
    """What the project builds, as its 项目简介 says it."""
    total = float(spec["total"])  # 万元
    area = max(20, round(total / rng.uniform(180, 400), -1))
    output = total * rng.uniform(1.2, 3) / 10000  # 亿元
    output = f"{output:.1f}亿元" if output >= 1 else f"{round(output * 10000, -2):.0f}万元"
    jobs = max(30, round(total / rng.uniform(60, 160), -1))
    if spec["industry"] in ("现代物流", "文化旅游"):
        return (
            f"项目规划用地约{area:.0f}亩，建设{spec['product']}及配套设施，"
            f"建成后预计年营业收入{output}、新增就业{jobs:.0f}人。"
        )
    return (
        f"项目规划用地约{area:.0f}亩，新建生产厂房及研发、仓储用房，"
        f"购置生产线{rng.randint(2, 12)}条，达产后预计年产值{output}、新增就业{jobs:.0f}人。"
    )


def head_enterprise(roll):
    if roll < 0.03:
        return "global500"
    if roll < 0.08:
        return "china500"
    return "soe" if roll < 0.12 else ""


def claim_status(rng, day, today):
    if (today - day).days < 45:
        return rng.choice([ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.REVIEWED])
    return pick(rng, STATUS_WEIGHTS)


def build_claims(project, today, rng):
    milestones, investments, funds = [], [], []
    for kind, day in project.demo_dates.items():
        if day:
            milestones.append(
                Milestone(
                    project=project,
                    kind=kind,
                    date=day,
                    status=ClaimStatus.APPROVED
                    if project.demo_verified
                    else claim_status(rng, day, today),
                    note="",
                )
            )
    started, completed = project.demo_dates["started"], project.demo_dates["completed"]
    if started:
        month = started.replace(day=1)
        last = (completed or today).replace(day=1)
        if not completed:
            last = add_months(today.replace(day=1), -1)
            if rng.random() < 0.12:  # stalled projects feed the no-progress alert
                last = add_months(last, -rng.randint(2, 5))
        monthly = project.total_investment / Decimal(rng.randint(14, 30))
        while month <= last:
            if rng.random() > 0.08:
                amount = (monthly * Decimal(rng.uniform(0.5, 1.5))).quantize(Decimal("0.01"))
                investments.append(
                    MonthlyInvestment(
                        project=project,
                        month=month,
                        amount=amount,
                        status=claim_status(rng, month, today),
                    )
                )
            month = add_months(month, 1)
    signed = project.demo_dates["signed"]
    last_day = min(today, project.demo_until or today)
    if signed and project.stage != "terminated":
        for number in range(rng.randint(1, 4)):
            # The first money arrives within a quarter of the signing, the rest any time after.
            days = rng.randint(10, 90) if number == 0 else rng.randint(0, (last_day - signed).days)
            day = signed + datetime.timedelta(days=max(0, days))
            day = clamp(day, last_day)
            source = pick(rng, dict(SOURCES))
            amount = project.contracted_investment * Decimal(rng.uniform(0.04, 0.22))
            funds.append(
                FundsEntry(
                    project=project,
                    date=day,
                    source=source,
                    is_foreign=project.origin != "domestic" and source == "enterprise",
                    amount=amount.quantize(Decimal("0.01")),
                    status=claim_status(rng, day, today),
                )
            )
    return milestones, investments, funds


@demo_writes
def load(stdout):
    today = timezone.localdate()
    ProjectSettings.load()
    industries = {}
    for order, name in enumerate(INDUSTRIES, start=1):
        industries[name], _ = Industry.objects.get_or_create(
            name=name, defaults={"sort_order": order}
        )
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "name"))
    if not units:
        stdout.write("没有单位，跳过演示项目。")
        return
    users = {
        u.username: u for u in User.objects.filter(username__in=["staff", "staff2", "reviewer"])
    }
    unit_users = {u.unit_id: u for u in users.values() if u.unit_id}
    sponsors, people = persons.leaders(), persons.Introducers()
    rng = random.Random(SEED)
    specs = project_specs(rng, units, today)
    existing = set(
        Project.objects.filter(name__in=[s["name"] for s in specs]).values_list("name", flat=True)
    )
    new_specs = [s for s in specs if s["name"] not in existing]
    projects = [
        build_project(s, today, industries, unit_users.get(s["unit"].pk), sponsors)
        for s in new_specs
    ]
    created = bulk_create_with_history(projects, Project, default_user=None)
    # bulk_create_with_history returns the objects; keep our demo dates on them.
    for obj, original in zip(created, projects, strict=True):
        obj.demo_dates, obj.demo_until = original.demo_dates, original.demo_until
        obj.demo_verified = original.demo_verified
    projects = [p for p in created if p.pk] or list(
        Project.objects.filter(name__in=[s["name"] for s in new_specs])
    )
    book = NameBook(
        f"{SEED}-people",
        taken=[n for pair in Unit.objects.values_list("head_name", "contact_name") for n in pair],
    )
    # Each unit's 招商 staff credited with its projects, and the city's investment brokers.
    staff = {u.pk: [book.name() for _ in range(3)] for u in units}
    brokers = [(book.name(), org) for org in BROKER_ORGANISATIONS]
    shares, introducers, milestones, investments, funds, items = [], [], [], [], [], []
    counties = [u for u in units if u.unit_type == UnitType.COUNTY]
    for project in projects:
        prng = random.Random(f"{SEED}-claims-{project.name}")
        partner = prng.choice(counties) if counties else None
        if partner and partner.pk != project.unit_id and prng.random() < 0.06:
            shares += [
                CreditShare(project=project, unit_id=project.unit_id, percent=Decimal(60)),
                CreditShare(project=project, unit=partner, percent=Decimal(40)),
            ]
        else:
            shares.append(CreditShare(project=project, unit_id=project.unit_id, percent=100))
        if prng.random() < 0.6:
            if prng.random() < 0.3:
                name, organisation = prng.choice(brokers)
                person = people.person(name, project.unit_id, True, organisation, today)
            else:
                name = prng.choice(staff[project.unit_id])
                person = people.person(name, project.unit_id, False, "", today)
            introducers.append(Introducer(project=project, person=person, name=person.name))
        m, i, f = build_claims(project, today, prng)
        milestones += m
        investments += i
        funds += f
        if project.stage in ("signed", "started") and prng.random() < 0.35:
            items += assistance_items(project, prng, units, today)
    CreditShare.objects.bulk_create(shares)
    Introducer.objects.bulk_create(introducers)
    milestones = bulk_create_with_history(milestones, Milestone)
    # Bulk-created milestones bypass the workflow: give the projects their verified dates.
    services.fill_milestone_dates(Project.objects.filter(pk__in=[p.pk for p in projects]))
    investments = bulk_create_with_history(investments, MonthlyInvestment)
    funds = bulk_create_with_history(funds, FundsEntry)
    items = bulk_create_with_history(items, AssistanceItem)
    entered(projects, milestones, investments, funds, items, today)
    # Their workflow events are written once, by zhaoshang.ops.demo.claims (append-only).
    lead_count, visit_count = load_leads_and_visits(units, industries, today, unit_users, book)
    report_count = load_reports(units, today)
    stdout.write(
        f"新建项目 {len(projects)} 个，节点 {len(milestones)} 个，"
        f"月度投资 {len(investments)} 条，"
        f"到位资金 {len(funds)} 条，帮办 {len(items)} 项，线索 {lead_count} 条，"
        f"接待 {visit_count} 次，月报 {report_count} 份。"
    )


def entered(projects, milestones, investments, funds, items, today):
    """录入/提出 times over the two years: a project is entered a month or two before it is
    signed (or while it is negotiated), a claim a few days after the day it records, a 帮办 item
    when it was raised."""
    rng = random.Random(f"{SEED}-entered")
    rows = []
    for project in projects:
        signed = project.demo_dates["signed"]
        day = signed - datetime.timedelta(days=rng.randint(20, 75)) if signed else None
        rows.append(
            (project, moment(day or today - datetime.timedelta(days=rng.randint(5, 240)), rng))
        )
    set_times(Project, rows)
    for model, claims in (
        (Milestone, milestones),
        (MonthlyInvestment, investments),
        (FundsEntry, funds),
    ):
        claims_entered(model, claims, SEED)
    set_times(AssistanceItem, [(item, item.demo_raised) for item in items])
