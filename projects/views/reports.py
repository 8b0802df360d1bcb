"""Monthly reports (月报): a unit files its month; everyone sees the months of the units they may
read, with the late and missing reports."""

from django.contrib import messages
from django.shortcuts import redirect, render

from projects import reports, services
from projects.forms import MonthlyReportForm
from projects.models import ProjectSettings
from units import access
from zhaoshang.web import exports, pagination

# The grid and the 逾期/未报 list in pages (issue 21: a 500-unit city's page was 1.7 MB of HTML);
# the badge counts and the export still cover every unit.
UNITS_PER_PAGE = 50
OVERDUE_PER_PAGE = 100
OVERDUE_PAGE = "overdue_page"

EXPORT_HEADERS = ["单位", "月份", "报送情况", "截止日期", "零报告", "报送时间", "报送人", "说明"]


def _year(request, today):
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= today.year:
        return int(value)
    return today.year


def report_list(request):
    """A unit files its report and sees its months; reviewers, leaders and coordinators see every
    visible unit's months and the late and missing reports — a coordinator those of the units in
    their group in the year shown."""
    user = request.user
    today = services.today()
    year = _year(request, today)
    settings = ProjectSettings.load()
    own_unit = user.unit if access.is_unit_user(user) and user.unit_id else None
    form = None
    if own_unit and access.can_edit_unit_data(user, own_unit.pk):
        form = MonthlyReportForm(request.POST or None, initial={"month": _last_month(today)})
        if request.method == "POST" and form.is_valid():
            try:
                report = reports.file_report(
                    own_unit,
                    form.cleaned_data["month"],
                    user,
                    form.cleaned_data["is_zero"],
                    form.cleaned_data["note"],
                )
            except reports.ReportError as exc:
                form.add_error(None, str(exc))
            else:
                kind = "零报告" if report.is_zero else "月报"
                messages.success(request, f"{report.month:%Y年%m月}{kind}已报送。")
                return redirect(f"{request.path}?year={report.month.year}")
    elif request.method == "POST":
        access.require(False)
    months = reports.months_of_year(year, today)
    # A coordinator reads the units of their group in the year shown (SPEC §1).
    units = access.visible_units(user, year=year).filter(is_active=True)
    grid = reports.report_grid(units, months, today, settings)
    if exports.wants_export(request) and request.method == "GET":
        rows = (_export_row(unit, cell) for unit, cells in grid.items() for cell in cells)
        return exports.rows_response(
            f"{year}年月报",
            EXPORT_HEADERS,
            rows,
            filters=f"{year}年",
            request=request,
            count=sum(len(cells) for cells in grid.values()),
        )
    context = {
        "export_query": exports.export_query(request),
        "title": "月报",
        "year": year,
        "years": list(range(today.year, today.year - 3, -1)),
        "months": months,
        "grid": grid,
        **_pages(request, grid),
        "form": form,
        "own_unit": own_unit,
        "settings": settings,
        "state_labels": reports.STATE_LABELS,
    }
    if own_unit:
        totals = reports.monthly_totals(own_unit, year)
        context["own_rows"] = [
            (cell, totals.get(cell.month)) for cell in reversed(grid.get(own_unit, []))
        ]
    return render(request, "projects/report_list.html", context)


def _pages(request, grid):
    """The page of the grid's units and the page of the 逾期/未报 list the request asks for,
    each with its pager's query (each pager keeps the other's page)."""
    overdue = reports.overdue_cells(grid)
    return {
        "grid_page": pagination.paginate_list(request, list(grid.items()), UNITS_PER_PAGE),
        "grid_query": pagination.page_query(request),
        "overdue": overdue,
        "overdue_page": pagination.paginate_list(
            request, overdue, OVERDUE_PER_PAGE, field=OVERDUE_PAGE
        ),
        "overdue_query": pagination.page_query(request, OVERDUE_PAGE),
        "overdue_param": OVERDUE_PAGE,
    }


def _export_row(unit, cell):
    """One unit's month in the 月报 export: the state as the grid names it, typed dates."""
    report = cell.report
    return [
        unit.name,
        f"{cell.month:%Y年%m月}",
        cell.label,
        cell.deadline,
        report.is_zero if report else None,
        report.submitted_at if report else None,
        str(report.submitted_by or "") if report else None,
        report.note if report else None,
    ]


def _last_month(today):
    return reports.add_months(today.replace(day=1), -1).strftime("%Y-%m")
