"""The 下属单位 pages (issue 20 item 3): a unit's sub-units rolled up, and targets passed down.
Thin views over `units.subunits`; access from `units.access`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from assessment.models import AssessmentYear
from assessment.targets import grid_table
from units import access, subunits
from units.models import Unit
from zhaoshang.guarded import Frozen


def _unit(request, pk):
    """The unit, 404 for one the user may not read (ids cannot be probed)."""
    unit = get_object_or_404(Unit, pk=pk)
    if not access.can_read_subunits(request.user, unit):
        raise Http404
    return unit


def _year(year):
    ay = AssessmentYear.objects.filter(year=year).first()
    if ay is None:
        ay = AssessmentYear.objects.order_by("-year").first()
    return ay


@login_required
def subunit_rollup(request, pk):
    """Each sub-unit's figures per indicator (its own and its sub-units'), their sum against the
    parent's own target, the sub-units ranked among themselves by completion."""
    unit = _unit(request, pk)
    ay = _year(request.GET.get("year") or timezone.localdate().year)
    context = {"unit": unit, "ay": ay, "title": f"{unit.name} · 下属单位"}
    if ay is not None:
        context["rollup"] = subunits.rollup(ay, unit)
        context["can_edit_targets"] = access.can_edit_subunit_targets(request.user, unit)
        years = AssessmentYear.objects.order_by("-year").values_list("year", flat=True)
        context["years"] = list(years)
    return render(request, "units/subunits.html", context)


@login_required
def subunit_targets(request, pk, year):
    """Targets passed down to the sub-units: a grid (sub-units × indicators), validated as a whole,
    with a warning per indicator where the sub-units' targets add up to less than the parent's."""
    unit = _unit(request, pk)
    ay = get_object_or_404(AssessmentYear, year=year)
    may_edit = access.can_edit_subunit_targets(request.user, unit)
    locked = ay.rules_locked()
    children = subunits.children_of(unit)
    indicators = list(ay.indicators.all())
    saved = subunits.subunit_targets(ay, [c.pk for c in children])
    values, errors = {k: f"{v:f}" for k, v in saved.items()}, {}
    if request.method == "POST":
        access.require(may_edit)
        try:
            result = subunits.save_targets(ay, children, request.POST, request.user)
        except Frozen as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        if result.errors:
            values, errors = result.values, result.errors
            messages.error(request, f"有 {len(errors)} 处填写有误，全部未保存，请更正后重新提交。")
        else:
            messages.success(request, "下属单位目标已保存。")
            return redirect(request.path)
    parent_target = subunits.parent_targets(ay, unit)

    return render(
        request,
        "units/subunit_targets.html",
        {
            "unit": unit,
            "ay": ay,
            "title": f"{unit.name} · {ay.year}年度下属单位目标",
            "indicators": indicators,
            "parent_cells": [(i, parent_target.get(i.pk)) for i in indicators],
            "table": grid_table(children, indicators, values, errors),
            "errors": list(errors.values()),
            "shortfalls": subunits.shortfalls(
                indicators, parent_target, saved, {c.pk for c in children}
            ),
            "may_edit": may_edit and not locked,
            "locked": locked,
        },
    )
