"""Monthly reporting (月报): every unit reports each month by a deadline in the next month.

A report gathers the month's fixed-asset investment and funds entries; a unit with nothing to report
files an explicit zero report (零报告), which is not the same as not reporting at all.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from projects.models import FundsEntry, MonthlyInvestment, MonthlyReport, ProjectSettings

ON_TIME = "on_time"
LATE = "late"
ZERO = "zero"
MISSING = "missing"
NOT_DUE = "not_due"

STATE_LABELS = {
    ON_TIME: "按时报送",
    LATE: "逾期报送",
    ZERO: "零报告",
    MISSING: "未报送",
    NOT_DUE: "未到截止日",
}
STATE_CSS = {
    ON_TIME: "success",
    LATE: "warning",
    ZERO: "info",
    MISSING: "danger",
    NOT_DUE: "secondary",
}


class ReportError(Exception):
    """A report that may not be filed; the message is shown to the user."""


def first_of_month(day):
    return day.replace(day=1)


def add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def deadline(month, deadline_day):
    """The report for `month` is due on `deadline_day` of the next month."""
    nxt = add_months(month, 1)
    return nxt.replace(day=min(deadline_day, calendar.monthrange(nxt.year, nxt.month)[1]))


def state_of(report, month, deadline_day, today):
    """On time / late / zero / missing (or not yet due) for one unit and month."""
    due = deadline(month, deadline_day)
    if report is None:
        return MISSING if today > due else NOT_DUE
    if report.is_zero:
        return ZERO
    submitted = timezone.localtime(report.submitted_at).date()
    return ON_TIME if submitted <= due else LATE


@dataclass
class ReportCell:
    month: date
    state: str
    report: MonthlyReport | None
    deadline: date

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def css(self):
        return STATE_CSS[self.state]

    @property
    def late_zero(self):
        return (
            self.state == ZERO
            and timezone.localtime(self.report.submitted_at).date() > self.deadline
        )


def months_of_year(year, today):
    """Months of `year` up to the current one."""
    last = 12 if year < today.year else today.month
    return [date(year, m, 1) for m in range(1, last + 1)] if year <= today.year else []


def report_grid(units, months, today, settings=None):
    """{unit: [ReportCell per month]} from one query."""
    settings = settings or ProjectSettings.load()
    units = list(units)
    reports = {
        (r.unit_id, r.month): r
        for r in MonthlyReport.objects.filter(unit__in=units, month__in=months).select_related(
            "submitted_by"
        )
    }
    grid = {}
    for unit in units:
        cells = []
        for month in months:
            report = reports.get((unit.pk, month))
            cells.append(
                ReportCell(
                    month,
                    state_of(report, month, settings.report_deadline_day, today),
                    report,
                    deadline(month, settings.report_deadline_day),
                )
            )
        grid[unit] = cells
    return grid


def overdue_cells(grid):
    """(unit, cell) pairs that are late or missing, for the 逾期/未报 list."""
    return [
        (unit, cell)
        for unit, cells in grid.items()
        for cell in cells
        if cell.state in (LATE, MISSING) or (cell.state == ZERO and cell.late_zero)
    ]


def month_entries(unit, month):
    """The month's investment and funds entries of the unit's projects, with counts and sums."""
    investments = MonthlyInvestment.objects.filter(project__unit=unit, month=month)
    funds = FundsEntry.objects.filter(
        project__unit=unit, date__gte=month, date__lt=add_months(month, 1)
    )
    inv = investments.aggregate(n=Count("pk"), total=Sum("amount"))
    fun = funds.aggregate(n=Count("pk"), total=Sum("amount"))
    return {
        "investments": investments.select_related("project"),
        "funds": funds.select_related("project"),
        "investment_count": inv["n"],
        "investment_total": inv["total"] or 0,
        "funds_count": fun["n"],
        "funds_total": fun["total"] or 0,
    }


def file_report(unit, month, user, is_zero, note="", now=None):
    """File the unit's report for `month`. Refuses a future month, a second report, a zero report
    for a month that has not ended or has entries, and an ordinary report for a month without
    any. Entries dated in a zero-reported month are refused afterwards
    (`MonthlyReport.zero_report_error`)."""
    now = now or timezone.now()
    month = first_of_month(month)
    this_month = first_of_month(timezone.localtime(now).date())
    if month > this_month:
        raise ReportError("不能报送未来月份的月报。")
    if is_zero and month == this_month:
        # Nothing happened in a month only once it is over (issue 15).
        raise ReportError("本月尚未结束，零报告只能在该月结束后报送。")
    entries = month_entries(unit, month)
    has_entries = entries["investment_count"] or entries["funds_count"]
    if is_zero and has_entries:
        raise ReportError("本月已填报投资或到位资金，不能报送零报告。")
    if not is_zero and not has_entries:
        raise ReportError("本月没有任何投资或到位资金填报，如确无进展请报送零报告。")
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                unit=unit,
                month=month,
                is_zero=is_zero,
                note=note,
                submitted_by=user,
                submitted_at=now,
            )
    except IntegrityError as exc:
        raise ReportError(f"{unit} {month:%Y年%m月}的月报已经报送，不能重复报送。") from exc


def monthly_totals(unit, year):
    """{month: {investment_count, investment_total, funds_count, funds_total}} for a unit's year,
    from two grouped queries."""
    from django.db.models.functions import TruncMonth

    totals = {}
    empty = {"investment_count": 0, "investment_total": 0, "funds_count": 0, "funds_total": 0}
    investments = (
        MonthlyInvestment.objects.filter(project__unit=unit, month__year=year)
        .values("month")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    for row in investments:
        entry = totals.setdefault(row["month"], dict(empty))
        entry.update(investment_count=row["n"], investment_total=row["total"])
    funds = (
        FundsEntry.objects.filter(project__unit=unit, date__year=year)
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    for row in funds:
        entry = totals.setdefault(row["m"], dict(empty))
        entry.update(funds_count=row["n"], funds_total=row["total"])
    return totals
