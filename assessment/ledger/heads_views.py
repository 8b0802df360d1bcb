"""Heads in post (一把手任职, issue 20 item 2): a unit's terms, and the office recording them.

Decisions:
- whoever reads the unit reads its terms (they are on the unit page already); only the
  assessment office (`services.can_act`, as for the ledger) adds, edits and ends a term — others
  see no button, and their requests are refused (403);
- adding a new head may end the head in post the day before the new term starts, in one
  transaction with the new term (nothing is saved if either is refused);
- the rules are the model's (`UnitHead.clean`): a name or a registry person, end ≥ start, no
  overlap within the unit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessment.ledger import services
from assessment.ledger.heads_forms import EndTermForm, HeadForm
from assessment.models import UnitHead
from units import access
from units.models import Unit


def _readable_unit(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    if not access.can_view_unit(request.user, unit):
        raise Http404
    return unit


def _current(unit, exclude=None):
    """The unit's open term (the head in post), if any."""
    terms = UnitHead.objects.filter(unit=unit, end__isnull=True).select_related("person")
    if exclude is not None:
        terms = terms.exclude(pk=exclude.pk)
    return terms.order_by("-start").first()


@require_GET
@login_required
def unit_heads(request, pk):
    unit = _readable_unit(request, pk)
    heads = list(UnitHead.objects.filter(unit=unit).select_related("person"))
    return render(
        request,
        "assessment/unit_heads.html",
        {
            "title": f"{unit.name} · 主要负责人任职",
            "unit": unit,
            "heads": heads,
            "can_act": services.can_act(request.user),
            "end_form": EndTermForm(),
        },
    )


def _edit_page(request, unit, form, title):
    return render(
        request,
        "assessment/unit_head_edit.html",
        {"title": title, "unit": unit, "form": form},
    )


@login_required
def unit_head_add(request, pk):
    access.require(services.can_act(request.user))
    unit = get_object_or_404(Unit, pk=pk)
    form = HeadForm(request.POST or None, unit=unit, current=_current(unit))
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                term = form.save_term()
            messages.success(request, f"已登记主要负责人任职：{term}。")
            return redirect("assessment:unit_heads", pk=unit.pk)
        messages.error(request, "任职记录未保存，请更正后重新提交。")
    return _edit_page(request, unit, form, f"{unit.name} · 登记主要负责人")


@login_required
def unit_head_edit(request, pk):
    access.require(services.can_act(request.user))
    term = get_object_or_404(UnitHead.objects.select_related("unit", "person"), pk=pk)
    form = HeadForm(request.POST or None, instance=term, unit=term.unit)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save_term()
            messages.success(request, f"已保存主要负责人任职：{term}。")
            return redirect("assessment:unit_heads", pk=term.unit_id)
        messages.error(request, "任职记录未保存，请更正后重新提交。")
    return _edit_page(request, term.unit, form, f"{term.unit.name} · 修改主要负责人任职")


@require_POST
@login_required
def unit_head_end(request, pk):
    access.require(services.can_act(request.user))
    term = get_object_or_404(UnitHead.objects.select_related("unit", "person"), pk=pk)
    if term.end is not None:
        messages.error(request, f"{term.display_name}的任期已于{term.end:%Y-%m-%d}结束。")
        return redirect("assessment:unit_heads", pk=term.unit_id)
    form = EndTermForm(request.POST)
    if not form.is_valid():
        messages.error(request, "任期未结束：" + "".join(form.errors["end"]))
        return redirect("assessment:unit_heads", pk=term.unit_id)
    term.end = form.cleaned_data["end"]
    try:
        term.full_clean()
    except ValidationError as refused:
        messages.error(request, "任期未结束：" + "".join(refused.messages))
        return redirect("assessment:unit_heads", pk=term.unit_id)
    term.save()
    messages.success(request, f"已结束任期：{term}。")
    return redirect("assessment:unit_heads", pk=term.unit_id)
