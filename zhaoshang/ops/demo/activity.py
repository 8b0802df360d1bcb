"""Demo activity around the demo projects: leads (some shared, some converted), investor visits
and monthly reports. Seeded and keyed like `zhaoshang.ops.demo.projects` (whose vocabulary it
shares, from `zhaoshang.ops.demo.vocabulary`), so running twice creates nothing new."""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from projects.models import (
    AssistanceItem,
    Lead,
    MonthlyInvestment,
    MonthlyReport,
    Project,
    ProjectSettings,
    Visit,
)
from projects.reports import add_months, deadline
from zhaoshang.ops.demo.names import NameBook, company_name, project_name, trade_name
from zhaoshang.ops.demo.timeline import moment, set_times
from zhaoshang.ops.demo.vocabulary import HOME_UNIT, INDUSTRIES, LEADERS, PLACES, SEED, size

LEAD_STEPS = ["初步接洽", "实地考察", "提交项目建议书", "洽谈合作条件", "确定选址意向"]
# 帮办 problems by category, each with how it was settled — the category says what the text says.
ASSISTANCE = {
    "land": [
        (
            "项目二期用地指标尚未落实，需协调调剂新增建设用地指标。",
            "已调剂用地指标并完成土地挂牌。",
        ),
        ("项目用地范围内有3户民房未完成征迁，影响场地平整。", "征迁协议已全部签订，场地已交付。"),
        ("土地规划调整尚未批复，无法办理不动产权证。", "规划调整已获批，不动产权证已办结。"),
    ],
    "power": [
        ("双回路供电接入工程进度滞后，影响设备调试。", "供电公司已完成线路架设，双回路已送电。"),
        ("项目需新建10千伏专用变电站，需协调电网接入方案。", "接入方案已批复，变电站已开工建设。"),
        ("企业用电负荷增容申请尚未批复。", "增容申请已批复，新增容量已投运。"),
    ],
    "permit": [
        ("环评、能评审批时间较长，需加快办理。", "环评、能评批复均已取得。"),
        ("施工许可证办理缺少消防设计审查意见。", "消防设计审查已通过，施工许可证已核发。"),
        ("项目立项备案信息需变更，涉及多个部门。", "已并联办理，备案变更完成。"),
    ],
    "finance": [
        ("企业流动资金紧张，需协调银行贷款。", "已协调两家银行授信8000万元。"),
        ("设备购置资金缺口较大，申请产业基金支持。", "市产业投资基金已完成尽调并投资入股。"),
        ("企业申请技改贴息，需协调财政资金。", "技改贴息资金已拨付到位。"),
    ],
    "other": [
        ("项目周边道路和污水管网配套未完成。", "配套道路已通车，管网已接入。"),
        ("企业招工困难，一线技术工人缺口约200人。", "人社部门已组织专场招聘会，招录工人180名。"),
        ("外籍技术人员工作许可办理时间较长。", "已开通绿色通道，工作许可已办结。"),
    ],
}


def _amount(wan):
    """An intended investment as an office writes it: 3000万元, 2.5亿元."""
    return f"{wan / 10000:.1f}亿元" if wan >= 10000 else f"{wan:.0f}万元"


def assistance_items(project, rng, units, today):
    """A project's 帮办 items: raised a month or three before their deadline, some settled."""
    items = []
    for _ in range(rng.randint(1, 2)):
        category = rng.choice(list(ASSISTANCE))
        problem, settled = rng.choice(ASSISTANCE[category])
        due = today + datetime.timedelta(days=rng.randint(-150, 60))
        resolved = rng.random() < 0.45 and due <= today
        item = AssistanceItem(
            project=project,
            category=category,
            problem=problem,
            responsible_unit=rng.choice(units),
            responsible_leader=rng.choice(LEADERS) + "副市长",
            deadline=due,
            status="resolved" if resolved else rng.choice(["open", "in_progress"]),
            resolution=settled if resolved else "",
            resolved_on=due - datetime.timedelta(days=rng.randint(0, 20)) if resolved else None,
        )
        item.demo_raised = moment(due - datetime.timedelta(days=rng.randint(30, 100)), rng)
        items.append(item)
    return items


def load_leads_and_visits(units, industries, today, unit_users, book=None):
    rng = random.Random(f"{SEED}-leads")
    taken = set(Project.objects.values_list("investor_name", flat=True))
    trades = set()
    leads = []
    for i in range(90):
        unit = (
            rng.choice(units[:14])
            if i % 5
            else next((u for u in units if u.name == HOME_UNIT), units[0])
        )
        industry = rng.choice(list(INDUSTRIES))
        product = rng.choice(INDUSTRIES[industry])
        origin, _place, city = rng.choice(PLACES)
        trade = trade_name(rng, trades)
        investor = company_name(rng, city, trade, product, origin)
        while investor in taken:
            trade = trade_name(rng, trades)
            investor = company_name(rng, city, trade, product, origin)
        taken.add(investor)
        amount = size(rng)
        leads.append(
            {
                "unit": unit,
                "investor_name": investor,
                "industry": industries[industry],
                "intended_investment": amount,
                "source": rng.choice(
                    ["异地商会推介", "招商推介会", "以商招商", "网络信息", "中介推荐"]
                ),
                "description": f"拟投资建设{project_name(rng, trade, product)}，"
                f"意向投资约{_amount(amount)}，已{rng.choice(LEAD_STEPS)}。",
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
    set_times(
        Lead,
        [
            (obj, moment(today - datetime.timedelta(days=x["days"]), rng))
            for obj, x in zip(objs, fresh, strict=True)
        ],
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
    book = book or NameBook(f"{SEED}-visits")
    guests = [book.name() for _ in range(40)]
    if fresh:
        projects = list(Project.objects.filter(~Q(stage="terminated")).order_by("name")[:150])
        for _ in range(120):
            project = rng.choice(projects) if projects and rng.random() < 0.6 else None
            lead = rng.choice(objs) if objs and not project else None
            unit = project.unit if project else lead.unit if lead else rng.choice(units)
            day = today - datetime.timedelta(days=rng.randint(0, 600))
            if project and project.signed_on and rng.random() < 0.7:
                # Most visits come before the signing, while the investor is choosing.
                day = project.signed_on - datetime.timedelta(days=rng.randint(7, 120))
            visits.append(
                Visit(
                    unit=unit,
                    date=day,
                    investor_name=(project.investor_name if project else lead.investor_name)
                    if (project or lead)
                    else "来访客商",
                    visitors="{}（董事长）、{}（总经理）".format(*rng.sample(guests, 2)),
                    hosts=f"{unit.head_name or '主要负责人'}、{unit.contact_name or '招商科'}",
                    outcome=rng.choice(
                        ["达成初步投资意向。", "实地考察选址，拟下月再次洽谈。", "签订框架协议。"]
                    ),
                    project=project,
                    lead=lead,
                    created_by=unit_users.get(unit.pk),
                )
            )
        Visit.objects.bulk_create(visits)
        set_times(Visit, [(v, moment(v.date, rng, (0, 2))) for v in visits if v.pk])
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
