"""Monthly reports (月报), alerts (预警) and the reviewers' thresholds page."""

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from projects import alerts as alert_rules
from projects import reports, services
from projects.forms import MonthlyReportForm, ProjectSettingsForm
from projects.models import ProjectSettings
from units import access
from zhaoshang.web import exports


def _year(request, today):
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= today.year:
        return int(value)
    return today.year


def report_list(request):
    """A unit files its report and sees its months; reviewers, leaders and coordinators see every
    visible unit's months and the late and missing reports."""
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
    units = access.visible_units(user).filter(is_active=True)
    grid = reports.report_grid(units, months, today, settings)
    context = {
        "title": "月报",
        "year": year,
        "years": list(range(today.year, today.year - 3, -1)),
        "months": months,
        "grid": grid,
        "overdue": reports.overdue_cells(grid),
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


def _last_month(today):
    return reports.add_months(today.replace(day=1), -1).strftime("%Y-%m")


def alert_list(request):
    """Alerts for one unit (a unit user's own) or every unit the user may read (the city)."""
    user = request.user
    today = services.today()
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = get_object_or_404(access.visible_units(user), pk=int(unit_id))
    found = alert_rules.scoped_alerts(user, today, unit)
    kind = request.GET.get("kind", "")
    counts = Counter(a.kind for a in found)
    if kind in alert_rules.KIND_LABELS:
        found = [a for a in found if a.kind == kind]
    found.sort(key=lambda a: (a.kind, a.unit_name, a.project_name))
    title = f"{unit}预警" if unit else "预警"
    if exports.wants_export(request):
        headers = ["预警类型", "单位", "项目", "情况", "起始日期"]
        rows = ([a.label, a.unit_name, a.project_name, a.message, a.since] for a in found)
        return exports.rows_response(title, headers, rows)
    return render(
        request,
        "projects/alert_list.html",
        {
            "title": title,
            "export_query": exports.export_query(request),
            "alerts": found,
            "unit": unit,
            "kind": kind,
            "kinds": [(k, label, counts.get(k, 0)) for k, label in alert_rules.KIND_LABELS.items()],
            "units": access.visible_units(user).filter(is_active=True),
            "settings": ProjectSettings.load(),
            "today": today,
        },
    )


def settings_edit(request):
    """Reviewers set the report deadline and the alert thresholds."""
    access.require(access.is_reviewer(request.user))
    instance = ProjectSettings.load()
    form = ProjectSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "填报与预警设置已保存。")
        return redirect("projects:settings")
    return render(
        request,
        "generic/object_edit.html",
        {"form": form, "title": "填报与预警设置", "object": None},
    )
