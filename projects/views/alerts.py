"""Alerts (预警) for a unit or every unit the user may read, and the reviewers' thresholds page."""

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from projects import alerts as alert_rules
from projects import services
from projects.forms import ProjectSettingsForm
from projects.models import ProjectSettings
from projects.views.assistance import may_edit_assistance
from units import access
from zhaoshang.web import exports, pagination

# Alerts on one page: a city has tens of thousands (issue 21: 22,184 rows, 6.2 MB of HTML at M).
ALERTS_PER_PAGE = 100


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
        return exports.rows_response(title, headers, rows, request=request, count=len(found))
    # Only the page shown is checked for edit links (the export has none).
    page = pagination.paginate_list(request, found, ALERTS_PER_PAGE)
    for a in page.object_list:
        a.editable = a.item_id is not None and may_edit_assistance(
            user, a.unit_id, a.responsible_unit_id
        )
    return render(
        request,
        "projects/alert_list.html",
        {
            "title": title,
            "export_query": exports.export_query(request),
            "alerts": page.object_list,
            "page": page,
            "query": pagination.page_query(request),
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
