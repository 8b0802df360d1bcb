"""To-do lines of the assessment office (考核办) and the city leaders.

Decisions:
- Claims waiting on *this* user, one line per step, oldest wait first: the review queue's default
  tab (`projects.review.tabs`), so the line and the tab agree on separation of duties, own unit
  and locked quarters. The line links to that tab filtered by the step.
- Quarters ready to compute or publish (office, `visibility.can_run`): quarters of this year and
  last year that have ended and are not sealed (`assessment.locks`: a published later quarter
  seals the earlier ones). Latest version a draft → 待发布 (the publish preview); otherwise
  → 待测算 (the ranking page, where 测算 is).
- Late 月报 (office): active units that have not filed last month's report after its deadline
  (`projects.reports.MISSING`).
- Units below 序时进度 this quarter (leaders): the 通报's rule (`assessment.bulletin
  .behind_schedule`) on the result the leader sees for the quarter (`visibility.shown_result`:
  the published or draft snapshot, else a live computation) — the dashboard's figures, not a
  second definition of time progress.
- Overdue 帮办 (leaders): unresolved items past their deadline, as on the overdue list.
"""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from assessment import visibility
from assessment.bulletin import behind_schedule
from assessment.formatting import quarter_name
from assessment.models import AssessmentYear, Snapshot, SnapshotStatus, quarter_end, quarter_of
from projects import reports
from projects.claims import CLAIM_MODELS
from projects.models import (
    AssistanceItem,
    AssistanceStatus,
    DuplicateFlag,
    FlagStatus,
    ProjectSettings,
)
from projects.review.tabs import ACTIONABLE
from projects.todo import Item, Line, register
from units.models import Role, Unit

OFFICE = (Role.REVIEWER, Role.ADMIN)
APPROVERS = (Role.LEADER, Role.REVIEWER, Role.ADMIN)
STEP_LABELS = {
    "submitted": "待审核",
    "reviewed": "待现场评估或会办确认",
    "site_assessed": "待会办确认",
    "confirmed": "待审定",
}
EXAMPLES = 5


@register(*APPROVERS)
def claim_lines(ctx):
    """Claims whose next step is the user's, by step, the step with the oldest wait first."""
    scope = ctx.queue_scope
    steps = {}
    for model in CLAIM_MODELS.values():
        rows = (
            model.objects.filter(scope.tab_q(model, ACTIONABLE))
            .order_by()
            .values("status")
            .annotate(n=Count("pk"), oldest=Min("submitted_at"))
        )
        for row in rows:
            count, oldest = steps.get(row["status"], (0, None))
            if row["oldest"] is not None and (oldest is None or row["oldest"] < oldest):
                oldest = row["oldest"]
            steps[row["status"]] = (count + row["n"], oldest)
    queue = reverse("review:queue")
    now = timezone.now()
    lines = []
    # The step whose oldest claim has waited longest comes first.
    for status, (count, oldest) in sorted(steps.items(), key=lambda s: s[1][1] or now):
        days = (now - oldest).days if oldest else None
        lines.append(
            Line(
                f"queue-{status}",
                f"申报{STEP_LABELS.get(status, status)}",
                count,
                f"{queue}?tab={ACTIONABLE}&status={status}",
                detail=f"最早一件已等待 {days} 天" if days is not None else "",
                level="warning" if days and days > 7 else "primary",
            )
        )
    return lines


@register(*OFFICE)
def flag_line(ctx):
    count = DuplicateFlag.objects.filter(status=FlagStatus.OPEN).count()
    return [
        Line(
            "flags",
            "待处理的重复与异常标记",
            count,
            f"{reverse('review:flag_list')}?status={FlagStatus.OPEN}",
            level="warning",
        )
    ]


@register(*OFFICE)
def quarter_lines(ctx):
    if not visibility.can_run(ctx.user):
        return []
    years = {ay.year: ay for ay in AssessmentYear.objects.filter(year__gte=ctx.today.year - 1)}
    latest = {}
    rows = (
        Snapshot.objects.filter(year__year__in=list(years))
        .order_by("year__year", "quarter", "-version")
        .values_list("year__year", "quarter", "status")
    )
    for year, quarter, status in rows:
        latest.setdefault((year, quarter), status)
    to_compute, to_publish = [], []
    periods = ctx.queue_scope.periods
    for year in sorted(years):
        sealed = periods.locked_through(year)
        for quarter in range(1, 5):
            end = quarter_end(year, quarter)
            if end >= ctx.today or (sealed is not None and end <= sealed):
                continue
            status = latest.get((year, quarter))
            name = f"{year}年{quarter_name(quarter)}"
            if status == SnapshotStatus.DRAFT:
                to_publish.append(Item(name, reverse("assessment:publish", args=[year, quarter])))
            else:
                to_compute.append(Item(name, reverse("assessment:ranking", args=[year, quarter])))
    lines = []
    for key, label, items in (
        ("compute", "已结束、待测算的季度", to_compute),
        ("publish", "已测算、待发布通报的季度", to_publish),
    ):
        if items:
            lines.append(Line(key, label, len(items), items[-1].url, items=items))
    return lines


def last_month(today):
    return reports.add_months(reports.first_of_month(today), -1)


def missing_reports(units, today):
    """Units that have not filed last month's report after its deadline (one query)."""
    month = last_month(today)
    grid = reports.report_grid(units, [month], today)
    return [u for u, cells in grid.items() if cells[0].state == reports.MISSING], month


@register(*OFFICE)
def report_line(ctx):
    units, month = missing_reports(Unit.objects.filter(is_active=True), ctx.today)
    return [late_reports_line(units, month, ctx.today)]


def _deadline_day():
    return ProjectSettings.load().report_deadline_day


def late_reports_line(units, month, today):
    year = f"?year={month.year}"
    return Line(
        "late-reports",
        f"{month:%Y年%m月}月报逾期未报送的单位",
        len(units),
        f"{reverse('projects:report_list')}{year}",
        level="danger",
        items=[Item(u.name) for u in units[:EXAMPLES]],
        detail=f"截止 {reports.deadline(month, _deadline_day()):%Y-%m-%d}",
    )


@register(Role.LEADER)
def assistance_line(ctx):
    count = (
        AssistanceItem.objects.visible_to(ctx.user)
        .exclude(status=AssistanceStatus.RESOLVED)
        .filter(deadline__lt=ctx.today)
        .count()
    )
    return [
        Line(
            "assistance-overdue",
            "超过办理时限的帮办事项",
            count,
            reverse("projects:assistance_overdue"),
            level="danger",
        )
    ]


@register(Role.LEADER)
def behind_line(ctx):
    ay = AssessmentYear.objects.filter(year=ctx.today.year).first()
    if ay is None:
        return []
    quarter = quarter_of(ctx.today)
    result = visibility.shown_result(ctx.user, ay, quarter).result
    if result is None:
        return []
    behind = behind_schedule(result)
    return [
        Line(
            "behind",
            f"{ay.year}年{quarter_name(quarter)}低于序时进度的单位",
            len(behind),
            f"{reverse('dashboard:index')}?year={ay.year}&quarter={quarter}",
            level="warning",
            items=[
                Item(u.name, note="、".join(names))
                for u, names in sorted(behind, key=lambda p: -len(p[1]))[:EXAMPLES]
            ],
        )
    ]
