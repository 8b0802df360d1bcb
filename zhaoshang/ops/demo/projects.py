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
from zhaoshang.ops.demo.activity import load_leads_and_visits, load_reports
from zhaoshang.ops.demo.vocabulary import (
    BRANDS,
    HOME_UNIT,
    INDUSTRIES,
    LEADERS,
    PEOPLE,
    PLACES,
    SEED,
    SOURCES,
    STAGE_WEIGHTS,
    STATUS_WEIGHTS,
    pick,
    size,
)


def clamp(day, today):
    return min(day, today)


def project_specs(rng, units, today):
    """The same list of project descriptions every run."""
    home = [u for u in units if u.name == HOME_UNIT]
    weights = [
        6
        if u.unit_type == UnitType.COUNTY
        else 5
        if u.unit_type == UnitType.PARK
        else 2
        if u.unit_type == UnitType.BUREAU
        else 0.5
        for u in units
    ]
    start = datetime.date(today.year - 1, 1, 1)
    span = (today - start).days
    names = set()
    specs = []
    home_stages = list(STAGE_WEIGHTS) * 6
    for index in range(300):
        if home and index < len(home_stages):
            unit, stage = home[0], home_stages[index]
        else:
            unit, stage = rng.choices(units, weights=weights)[0], pick(rng, STAGE_WEIGHTS)
        industry = rng.choice(list(INDUSTRIES))
        product = rng.choice(INDUSTRIES[industry])
        brand = rng.choice(BRANDS)
        name = f"{brand}{product}项目"
        for phase in ("二期", "三期", "四期", "五期", "六期"):
            if name not in names:
                break
            name = f"{brand}{product}{phase}项目"
        if name in names:
            name = f"{brand}{product}项目（{index}）"
        names.add(name)
        origin, place, city = rng.choice(PLACES)
        total = size(rng)
        signed = start + datetime.timedelta(days=rng.randrange(span))
        if unit.name == HOME_UNIT and stage in ("completed", "producing"):
            # Early enough to be built by now, so the demo unit shows every stage.
            signed = start + datetime.timedelta(days=rng.randrange(120))
        specs.append(
            {
                "name": name,
                "unit": unit,
                "stage": stage,
                "industry": industry,
                "brand": brand,
                "product": product,
                "origin": origin,
                "place": place,
                "city": city,
                "total": total,
                "contracted": (total * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal(1)),
                "signed": signed,
                "start_gap": rng.randint(20, 200),
                "build_days": rng.randint(120, 420),
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
        investor_name=f"{spec['city']}{spec['brand']}{spec['product'][:2]}有限公司",
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
        location=rng.choice(["经开区", "高新区", "城东工业园", "临港园区", "中心镇", "新城片区"]),
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
        description=f"建设{spec['product']}生产线及配套设施，达产后预计年产值显著提升。",
        created_by=creator,
    )
    project.demo_dates = {"signed": signed, "started": started, "completed": completed}
    return project


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
                    status=claim_status(rng, day, today),
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
    if signed and project.stage != "terminated":
        for _ in range(rng.randint(1, 4)):
            day = signed + datetime.timedelta(days=rng.randint(0, max(1, (today - signed).days)))
            day = clamp(day, today)
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
        obj.demo_dates = original.demo_dates
    projects = [p for p in created if p.pk] or list(
        Project.objects.filter(name__in=[s["name"] for s in new_specs])
    )
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
            name = prng.choice(PEOPLE)
            organisation = prng.choice(["", "异地商会", "招商顾问公司"])
            person = people.person(name, project.unit_id, prng.random() < 0.3, organisation, today)
            introducers.append(Introducer(project=project, person=person, name=person.name))
        m, i, f = build_claims(project, today, prng)
        milestones += m
        investments += i
        funds += f
        if project.stage in ("signed", "started") and prng.random() < 0.35:
            for _ in range(prng.randint(1, 2)):
                due = today + datetime.timedelta(days=prng.randint(-90, 60))
                resolved = prng.random() < 0.35 and due <= today
                items.append(
                    AssistanceItem(
                        project=project,
                        category=prng.choice(["land", "power", "permit", "finance", "other"]),
                        problem=prng.choice(
                            [
                                "项目用地指标尚未落实，需协调调剂。",
                                "双回路供电接入进度滞后。",
                                "环评、能评审批时间较长，需加快办理。",
                                "企业流动资金紧张，需协调银行贷款。",
                                "项目周边道路和管网配套未完成。",
                            ]
                        ),
                        responsible_unit=prng.choice(units),
                        responsible_leader=prng.choice(LEADERS) + "副市长",
                        deadline=due,
                        status="resolved" if resolved else prng.choice(["open", "in_progress"]),
                        resolution="已协调解决。" if resolved else "",
                        resolved_on=due if resolved else None,
                    )
                )
    CreditShare.objects.bulk_create(shares)
    Introducer.objects.bulk_create(introducers)
    milestones = bulk_create_with_history(milestones, Milestone)
    # Bulk-created milestones bypass the workflow: give the projects their verified dates.
    services.fill_milestone_dates(Project.objects.filter(pk__in=[p.pk for p in projects]))
    investments = bulk_create_with_history(investments, MonthlyInvestment)
    funds = bulk_create_with_history(funds, FundsEntry)
    bulk_create_with_history(items, AssistanceItem)
    # Their workflow events are written once, by zhaoshang.ops.demo.claims (append-only).
    lead_count, visit_count = load_leads_and_visits(units, industries, today, unit_users)
    report_count = load_reports(units, today)
    stdout.write(
        f"新建项目 {len(projects)} 个，节点 {len(milestones)} 个，"
        f"月度投资 {len(investments)} 条，"
        f"到位资金 {len(funds)} 条，帮办 {len(items)} 项，线索 {lead_count} 条，"
        f"接待 {visit_count} 次，月报 {report_count} 份。"
    )
