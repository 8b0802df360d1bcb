"""Demo activity around the demo projects: leads (some shared, some converted), investor visits
and monthly reports. Seeded and keyed like `zhaoshang.ops.demo.projects` (whose vocabulary it
shares, from `zhaoshang.ops.demo.vocabulary`), so running twice creates nothing new."""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from projects.models import Lead, MonthlyInvestment, MonthlyReport, Project, ProjectSettings, Visit
from projects.reports import add_months, deadline
from zhaoshang.ops.demo.vocabulary import BRANDS, HOME_UNIT, INDUSTRIES, PEOPLE, PLACES, SEED, size


def load_leads_and_visits(units, industries, today, unit_users):
    rng = random.Random(f"{SEED}-leads")
    leads = []
    for i in range(90):
        unit = (
            rng.choice(units[:14])
            if i % 5
            else next((u for u in units if u.name == HOME_UNIT), units[0])
        )
        industry = rng.choice(list(INDUSTRIES))
        leads.append(
            {
                "unit": unit,
                "investor_name": f"{rng.choice(PLACES)[2]}{rng.choice(BRANDS)}{industry}"
                f"投资意向（{i + 1:02d}）",
                "industry": industries[industry],
                "intended_investment": size(rng),
                "source": rng.choice(
                    ["异地商会推介", "招商推介会", "以商招商", "网络信息", "中介推荐"]
                ),
                "description": f"客商有意在我市投资{rng.choice(INDUSTRIES[industry])}项目。",
                "status": rng.choice(["open", "open", "open", "dropped"]),
                "share": rng.random() < 0.25,
                "shared_unit": rng.choice(units[:14]),
                "days": rng.randint(1, 600),
            }
        )
    existing = set(
        Lead.objects.filter(investor_name__in=[x["investor_name"] for x in leads]).values_list(
            "investor_name", flat=True
        )
    )
    fresh = [x for x in leads if x["investor_name"] not in existing]
    objs = Lead.objects.bulk_create(
        Lead(
            unit=x["unit"],
            investor_name=x["investor_name"],
            industry=x["industry"],
            intended_investment=x["intended_investment"],
            source=x["source"],
            description=x["description"],
            status=x["status"],
            created_by=unit_users.get(x["unit"].pk),
        )
        for x in fresh
    )
    through = Lead.shared_with.through
    through.objects.bulk_create(
        through(lead_id=obj.pk, unit_id=x["shared_unit"].pk)
        for obj, x in zip(objs, fresh, strict=True)
        if x["share"] and x["shared_unit"].pk != x["unit"].pk
    )
    # Leads turned into projects: the early-stage projects of each unit.
    for obj in objs[:12]:
        project = (
            Project.objects.filter(unit=obj.unit, stage__in=["lead", "negotiating"], lead=None)
            .order_by("name")
            .first()
        )
        if project:
            Lead.objects.filter(pk=obj.pk).update(status="converted", project=project)
    visits = []
    if fresh:
        projects = list(Project.objects.filter(~Q(stage="terminated")).order_by("name")[:150])
        for _ in range(120):
            project = rng.choice(projects) if projects and rng.random() < 0.6 else None
            lead = rng.choice(objs) if objs and not project else None
            unit = project.unit if project else lead.unit if lead else rng.choice(units)
            visits.append(
                Visit(
                    unit=unit,
                    date=today - datetime.timedelta(days=rng.randint(0, 600)),
                    investor_name=(project.investor_name if project else lead.investor_name)
                    if (project or lead)
                    else "来访客商",
                    visitors=f"{rng.choice(PEOPLE)}董事长、{rng.choice(PEOPLE)}总经理",
                    hosts=f"{unit.head_name or '主要负责人'}、招商局{rng.choice(PEOPLE)}",
                    outcome=rng.choice(
                        ["达成初步投资意向。", "实地考察选址，拟下月再次洽谈。", "签订框架协议。"]
                    ),
                    project=project,
                    lead=lead,
                    created_by=unit_users.get(unit.pk),
                )
            )
        Visit.objects.bulk_create(visits)
    return len(objs), len(visits)


def load_reports(units, today):
    """Reports for every unit and month up to last month: mostly on time, some late, some zero,
    a few missing — the zero ones where the unit had nothing to report."""
    rng = random.Random(f"{SEED}-reports")
    settings = ProjectSettings.load()
    months = []
    month = datetime.date(today.year - 1, 1, 1)
    while month < today.replace(day=1):
        months.append(month)
        month = add_months(month, 1)
    active = set(MonthlyInvestment.objects.values_list("project__unit_id", "month").distinct())
    reports = []
    for unit in units:
        for month in months:
            due = deadline(month, settings.report_deadline_day)
            if rng.random() < (0.15 if month == months[-1] else 0.04):
                continue  # missing
            late = rng.random() < 0.1
            shift = rng.randint(1, 12) if late else -rng.randint(0, 4)
            day = min(due + datetime.timedelta(days=shift), today)
            at = datetime.datetime.combine(day, datetime.time(9 + rng.randint(0, 8), 30))
            reports.append(
                MonthlyReport(
                    unit=unit,
                    month=month,
                    is_zero=(unit.pk, month) not in active,
                    submitted_at=min(timezone.make_aware(at), timezone.now()),
                )
            )
    before = MonthlyReport.objects.count()
    MonthlyReport.objects.bulk_create(reports, ignore_conflicts=True)
    return MonthlyReport.objects.count() - before
