"""The dashboard's project pipeline and alerts: the 洽谈 → 签约 → 开工 → 竣工 funnel of a year's
cohort with its 资金到位率, and the counts of the alerts a user may see. Both read projects (two
queries for the funnel, cached for city-wide readers; the alert rules' own for the counts); the
ranking parts of the dashboard are in `assessment.dashboard.charts`."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from assessment.dashboard.numbers import num
from assessment.totals import ratio_pct
from projects import alerts as rules
from projects.models import ClaimStatus, Project, Stage, Supervision
from units import access
from zhaoshang.ops import dataversion

ZERO = Decimal(0)
CENT = Decimal("0.01")
APPROVED = ClaimStatus.APPROVED


def funnel(projects, year):
    """The pipeline 洽谈 → 签约 → 开工 → 竣工 of `year`, as a cohort: projects whose approved
    signing falls in the year, how many of them have (so far) an approved start and completion;
    洽谈 adds the projects still negotiating. 资金到位率 = approved funds in place of the cohort
    (any date) / the cohort's contracted investment. Two queries, on the verified milestone
    dates stored on the project (`Project.signed_on` …, issue 21: correlated subqueries over
    every project made this the dashboard's slowest query, most of it PostgreSQL's JIT)."""
    in_cohort = Q(signed_on__year=year)
    figures = projects.order_by().aggregate(
        negotiating=Count("pk", filter=Q(stage=Stage.NEGOTIATING) & ~in_cohort),
        signed=Count("pk", filter=in_cohort),
        started=Count("pk", filter=in_cohort & Q(started_on__isnull=False)),
        completed=Count("pk", filter=in_cohort & Q(completed_on__isnull=False)),
        contracted=Sum("contracted_investment", filter=in_cohort),
    )
    # Read from the cohort's projects (a LEFT JOIN, which SQLite must drive from the projects)
    # rather than from every approved funds entry of the city checked against the cohort: 95 →
    # 40 ms at M for a leader, and a unit's few projects cost next to nothing (issue 21).
    funds = (
        projects.filter(in_cohort)
        .order_by()
        .aggregate(total=Sum("funds__amount", filter=Q(funds__status=APPROVED)))["total"]
        or ZERO
    ).quantize(CENT)  # SQLite sums as floats; amounts have two places, so their sum is exact
    contracted = figures["contracted"] or ZERO
    talks = figures["negotiating"] + figures["signed"]
    stages = [
        {"name": "洽谈", "count": talks, "rate": None},
        {"name": "签约", "count": figures["signed"], "rate": ratio_pct(figures["signed"], talks)},
        {
            "name": "开工",
            "count": figures["started"],
            "rate": ratio_pct(figures["started"], figures["signed"]),
        },
        {
            "name": "竣工",
            "count": figures["completed"],
            "rate": ratio_pct(figures["completed"], figures["started"]),
        },
    ]
    return {
        "stages": stages,
        "start_rate": stages[2]["rate"],  # 签约项目开工率 (the seeds ask for ≥ 50 %)
        "contracted": contracted,
        "funds": funds,
        "funds_rate": ratio_pct(funds, contracted),  # 资金到位率
    }


def visible_funnel(user, year):
    """`funnel` of the projects `user` may read. Readers who see every project all get the
    city's figures: those are cached by the data version (`zhaoshang.ops.dataversion`; every
    write of a project, milestone or funds entry gives a new one), the two aggregates over the
    city's projects being most of the dashboard's own time at M (issue 21)."""
    projects = Project.objects.visible_to(user)
    if not access.sees_everything(user):
        return funnel(projects, year)
    return dataversion.cached("dashboard-funnel", (year,), lambda: funnel(projects, year))


def funnel_chart(data):
    return {
        "type": "funnel",
        "unit": "个",
        "data": [{"name": s["name"], "value": s["count"]} for s in data["stages"]],
        "rates": [num(s["rate"]) for s in data["stages"]],
    }


def alert_counts(user, today=None):
    """[{kind, label, count, url}] of the alerts the user may see, linking to their lists
    (overdue assistance items have a list of their own), and the overdue 督办 (issue 18)."""
    today = today or timezone.localdate()
    counts = rules.scoped_alert_counts(user, today)
    alert_list = reverse("projects:alert_list")
    rows = []
    for kind, label in rules.KIND_LABELS.items():
        if kind == rules.ASSISTANCE_OVERDUE:
            url = reverse("projects:assistance_overdue")
        else:
            url = f"{alert_list}?kind={kind}"
        rows.append({"kind": kind, "label": label, "count": counts.get(kind, 0), "url": url})
    rows.append(
        {
            "kind": "duban_overdue",
            "label": "逾期未答复的督办",
            "count": Supervision.objects.visible_to(user).overdue(today).count(),
            "url": f"{reverse('projects:duban_list')}?overdue=true",
        }
    )
    return rows
