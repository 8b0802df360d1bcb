"""Alerts (预警): pure functions over a few queries, one query per rule.

Each rule takes an already scoped queryset (projects or assistance items), today's date and the
thresholds from `ProjectSettings`, and returns `Alert`s. `alerts_for` runs every rule.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from .models import (
    AssistanceItem,
    AssistanceStatus,
    ClaimStatus,
    FundsEntry,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
    ProjectSettings,
    Stage,
)
from .reports import add_months

SIGNED_NOT_STARTED = "signed_not_started"
PAST_COMPLETION = "past_completion"
NO_PROGRESS = "no_progress"
ASSISTANCE_OVERDUE = "assistance_overdue"
IMPLAUSIBLE_CONTRACT = "implausible_contract"

KIND_LABELS = {
    SIGNED_NOT_STARTED: "签约未开工",
    PAST_COMPLETION: "超期未竣工",
    NO_PROGRESS: "无投资进度",
    ASSISTANCE_OVERDUE: "帮办事项逾期",
    IMPLAUSIBLE_CONTRACT: "合同投资异常",
}


@dataclass
class Alert:
    kind: str
    unit_id: int
    unit_name: str
    project_id: int
    project_name: str
    message: str
    since: date | None = None
    item_id: int | None = None

    @property
    def label(self):
        return KIND_LABELS[self.kind]


def _milestone_date(kind):
    # order_by(): Milestone's default ordering would join and sort projects in every subquery.
    return Subquery(
        Milestone.objects.filter(project=OuterRef("pk"), kind=kind).order_by().values("date")[:1]
    )


def _has_milestone(kind):
    return Exists(Milestone.objects.filter(project=OuterRef("pk"), kind=kind))


def _live(projects):
    return projects.exclude(stage=Stage.TERMINATED).select_related("unit")


def signed_not_started(projects, today, days):
    """Signed more than `days` days ago and still no start."""
    cutoff = today - timedelta(days=days)
    rows = (
        _live(projects)
        .annotate(signed_on=_milestone_date(MilestoneKind.SIGNED))
        .filter(signed_on__lt=cutoff)
        .exclude(_has_milestone(MilestoneKind.STARTED))
    )
    return [
        Alert(
            SIGNED_NOT_STARTED,
            p.unit_id,
            p.unit.name,
            p.pk,
            p.name,
            f"{p.signed_on:%Y-%m-%d} 签约，已 {(today - p.signed_on).days} 天未开工",
            p.signed_on,
        )
        for p in rows
    ]


def past_planned_completion(projects, today):
    """Started, not completed, and the planned completion date has passed."""
    rows = (
        _live(projects)
        .filter(planned_completion__lt=today)
        .filter(_has_milestone(MilestoneKind.STARTED))
        .exclude(_has_milestone(MilestoneKind.COMPLETED))
    )
    return [
        Alert(
            PAST_COMPLETION,
            p.unit_id,
            p.unit.name,
            p.pk,
            p.name,
            f"计划 {p.planned_completion:%Y-%m-%d} 竣工，已超期 "
            f"{(today - p.planned_completion).days} 天",
            p.planned_completion,
        )
        for p in rows
    ]


def no_progress(projects, today, months):
    """Under construction since before the window, with no investment entry in the last `months`
    full months (the current month is still being filled in, so it does not count)."""
    window_start = add_months(today.replace(day=1), -months)
    last_entry = Subquery(
        MonthlyInvestment.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(last=Max("month"))
        .values("last")[:1]
    )
    rows = (
        _live(projects)
        .annotate(started_on=_milestone_date(MilestoneKind.STARTED), last_month=last_entry)
        .filter(started_on__lt=window_start)
        .exclude(_has_milestone(MilestoneKind.COMPLETED))
        .exclude(
            Exists(
                MonthlyInvestment.objects.filter(project=OuterRef("pk"), month__gte=window_start)
            )
        )
    )
    alerts = []
    for p in rows:
        last = f"最近一次填报 {p.last_month:%Y-%m}" if p.last_month else "开工以来从未填报"
        alerts.append(
            Alert(
                NO_PROGRESS,
                p.unit_id,
                p.unit.name,
                p.pk,
                p.name,
                f"连续 {months} 个月无固定资产投资填报（{last}）",
                p.last_month or p.started_on,
            )
        )
    return alerts


def overdue_assistance(items, today):
    """Assistance items not resolved by their deadline."""
    rows = (
        items.exclude(status=AssistanceStatus.RESOLVED)
        .filter(deadline__lt=today)
        .select_related("project", "project__unit", "responsible_unit")
    )
    return [
        Alert(
            ASSISTANCE_OVERDUE,
            i.project.unit_id,
            i.project.unit.name,
            i.project_id,
            i.project.name,
            f"{i.get_category_display()}：{i.problem[:40]}（{i.responsible_unit.name}"
            f"{' · ' + i.responsible_leader if i.responsible_leader else ''}，"
            f"时限 {i.deadline:%Y-%m-%d}，逾期 {(today - i.deadline).days} 天）",
            i.deadline,
            i.pk,
        )
        for i in rows
    ]


def implausible_contract(projects, ratio):
    """Contracted investment more than `ratio` times everything the unit has ever had in place.

    Units without any funds history are not judged: there is nothing to compare against.
    """
    zero = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))
    unit_funds = Subquery(
        FundsEntry.objects.filter(project__unit=OuterRef("unit"))
        .exclude(status=ClaimStatus.REJECTED)
        .values("project__unit")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    rows = (
        _live(projects)
        .annotate(unit_funds=Coalesce(unit_funds, zero))
        .filter(unit_funds__gt=0, contracted_investment__gt=F("unit_funds") * ratio)
    )
    return [
        Alert(
            IMPLAUSIBLE_CONTRACT,
            p.unit_id,
            p.unit.name,
            p.pk,
            p.name,
            f"合同投资 {p.contracted_investment} 万元，超过本单位历年到位资金 "
            f"{p.unit_funds} 万元的 {ratio} 倍，请核实",
        )
        for p in rows
    ]


def alerts_for(projects, items, today, settings=None):
    """Every rule over the given projects and assistance items."""
    settings = settings or ProjectSettings.load()
    return (
        signed_not_started(projects, today, settings.signed_not_started_days)
        + past_planned_completion(projects, today)
        + no_progress(projects, today, settings.no_progress_months)
        + overdue_assistance(items, today)
        + implausible_contract(projects, settings.contract_to_funds_ratio)
    )


def scoped_alerts(user, today, unit=None, settings=None):
    """The alerts a user may see (a unit's own, a group's, or the whole city), optionally for one
    unit."""
    from .services import visible_projects

    projects = visible_projects(user)
    if unit is not None:
        projects = projects.filter(unit=unit)
    items = AssistanceItem.objects.filter(project__in=projects.values("pk"))
    return alerts_for(projects, items, today, settings)
