"""Alerts (预警): pure functions over a few queries, one query per rule.

Each rule takes an already scoped queryset (projects or assistance items), today's date and the
thresholds from `ProjectSettings`, and returns `Alert`s. `alerts_for` runs every rule.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q, Subquery, Sum

from projects.models import (
    AssistanceItem,
    AssistanceStatus,
    ClaimStatus,
    FundsEntry,
    MilestoneKind,
    MonthlyInvestment,
    Project,
    ProjectSettings,
    Stage,
)
from projects.reports import add_months

# The Project column holding each verified milestone kind's date (`projects.services.DATE_FIELD`).
DATE_FIELD = {
    MilestoneKind.SIGNED: "signed_on",
    MilestoneKind.STARTED: "started_on",
    MilestoneKind.COMPLETED: "completed_on",
}

SIGNED_NOT_STARTED = "signed_not_started"
PAST_COMPLETION = "past_completion"
NO_PROGRESS = "no_progress"
ASSISTANCE_OVERDUE = "assistance_overdue"
IMPLAUSIBLE_CONTRACT = "implausible_contract"
CENT = Decimal("0.01")

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
    # An assistance item's unit that must act: it may update the item, as the project's unit may.
    responsible_unit_id: int | None = None

    @property
    def label(self):
        return KIND_LABELS[self.kind]


def _has_milestone(kind):
    """Q of the projects with a verified (approved) milestone of `kind`: its date stored on the
    project (`Project.signed_on` …, kept by the workflow, `projects.services.sync_stages`) — an
    indexed column instead of a correlated subquery per project (issue 21). Alerts are seen by
    reviewers, leaders and coordinators, so a unit's draft or a pending claim must not raise or
    silence one (issue 15); the stored dates are those of approved milestones only."""
    return Q(**{f"{DATE_FIELD[kind]}__isnull": False})


def _reported(claims):
    """Entries others may see as reported: submitted or further, not drafts, not rejected."""
    return claims.exclude(status__in=[ClaimStatus.DRAFT, ClaimStatus.REJECTED])


def _live(projects):
    return projects.exclude(stage=Stage.TERMINATED).select_related("unit")


def signed_not_started_qs(projects, today, days):
    cutoff = today - timedelta(days=days)
    return (
        _live(projects).filter(signed_on__lt=cutoff).exclude(_has_milestone(MilestoneKind.STARTED))
    )


def signed_not_started(projects, today, days):
    """Signed more than `days` days ago and still no start."""
    rows = signed_not_started_qs(projects, today, days)
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


def past_planned_completion_qs(projects, today):
    return (
        _live(projects)
        .filter(planned_completion__lt=today)
        .filter(_has_milestone(MilestoneKind.STARTED))
        .exclude(_has_milestone(MilestoneKind.COMPLETED))
    )


def past_planned_completion(projects, today):
    """Started, not completed, and the planned completion date has passed."""
    rows = past_planned_completion_qs(projects, today)
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


def no_progress_qs(projects, today, months):
    window_start = add_months(today.replace(day=1), -months)
    return (
        _live(projects)
        .filter(started_on__lt=window_start)
        .exclude(_has_milestone(MilestoneKind.COMPLETED))
        .exclude(
            Exists(
                _reported(MonthlyInvestment.objects).filter(
                    project=OuterRef("pk"), month__gte=window_start
                )
            )
        )
    )


def no_progress(projects, today, months):
    """Under construction since before the window, with no investment entry in the last `months`
    full months (the current month is still being filled in, so it does not count)."""
    last_entry = Subquery(
        _reported(MonthlyInvestment.objects)
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(last=Max("month"))
        .values("last")[:1]
    )
    rows = no_progress_qs(projects, today, months).annotate(last_month=last_entry)
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


def overdue_assistance_qs(items, today):
    return items.exclude(status=AssistanceStatus.RESOLVED).filter(deadline__lt=today)


def overdue_assistance(items, today):
    """Assistance items not resolved by their deadline."""
    rows = overdue_assistance_qs(items, today).select_related(
        "project", "project__unit", "responsible_unit"
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
            i.responsible_unit_id,
        )
        for i in rows
    ]


def unit_funds_totals():
    """{unit_id: funds ever in place (reported: all but drafts and rejected)} for units with a
    positive total; one grouped query over every project of the unit (terminated ones too)."""
    rows = (
        _reported(FundsEntry.objects)
        .order_by()
        .values_list("project__unit_id")
        .annotate(total=Sum("amount"))
    )
    # Two places on every backend (SQLite's SUM drops trailing zeros), as amounts are shown.
    return {unit_id: total.quantize(CENT) for unit_id, total in rows if total and total > 0}


def _candidates(projects, ratio, totals):
    """Live projects of units with funds whose contract exceeds the smallest bound; the exact
    per-unit comparison is `_exceeds` (Decimal, in Python)."""
    floor = min(totals.values()) * ratio
    return _live(projects).filter(unit_id__in=list(totals), contracted_investment__gt=floor)


def _exceeds(unit_id, contracted, ratio, totals):
    return contracted is not None and contracted > totals[unit_id] * ratio


def implausible_contract(projects, ratio, totals=None):
    """Contracted investment more than `ratio` times everything the unit has ever had in place.

    Units without any funds history are not judged: there is nothing to compare against.
    """
    totals = unit_funds_totals() if totals is None else totals
    if not totals:
        return []
    return [
        Alert(
            IMPLAUSIBLE_CONTRACT,
            p.unit_id,
            p.unit.name,
            p.pk,
            p.name,
            f"合同投资 {p.contracted_investment} 万元，超过本单位历年到位资金 "
            f"{totals[p.unit_id]} 万元的 {ratio} 倍，请核实",
        )
        for p in _candidates(projects, ratio, totals)
        if _exceeds(p.unit_id, p.contracted_investment, ratio, totals)
    ]


def implausible_contract_count(projects, ratio, totals=None):
    totals = unit_funds_totals() if totals is None else totals
    if not totals:
        return 0
    rows = _candidates(projects, ratio, totals).values_list("unit_id", "contracted_investment")
    return sum(1 for unit_id, contracted in rows if _exceeds(unit_id, contracted, ratio, totals))


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


def alert_counts_for(projects, items, today, settings=None):
    """{kind: number of alerts} as `alerts_for` would give them, counted in the database
    without building the alerts."""
    settings = settings or ProjectSettings.load()
    return {
        SIGNED_NOT_STARTED: signed_not_started_qs(
            projects, today, settings.signed_not_started_days
        ).count(),
        PAST_COMPLETION: past_planned_completion_qs(projects, today).count(),
        NO_PROGRESS: no_progress_qs(projects, today, settings.no_progress_months).count(),
        ASSISTANCE_OVERDUE: overdue_assistance_qs(items, today).count(),
        IMPLAUSIBLE_CONTRACT: implausible_contract_count(
            projects, settings.contract_to_funds_ratio
        ),
    }


def _scope(user, unit=None):
    """The projects and assistance items the user may read (their models' `visible_to`, the rule
    the lists use too), optionally of one unit's projects."""
    projects = Project.objects.visible_to(user)
    items = AssistanceItem.objects.visible_to(user)
    if unit is not None:
        projects = projects.filter(unit=unit)
        items = items.filter(project__unit=unit)
    return projects, items


def scoped_alerts(user, today, unit=None, settings=None):
    """The alerts a user may see (a unit's own, a group's, or the whole city), optionally for one
    unit."""
    projects, items = _scope(user, unit)
    return alerts_for(projects, items, today, settings)


def scoped_alert_counts(user, today, unit=None, settings=None):
    """{kind: count} of `scoped_alerts(user, today, unit)`, without building the alerts."""
    projects, items = _scope(user, unit)
    return alert_counts_for(projects, items, today, settings)
