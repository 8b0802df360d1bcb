"""Ledger pages: the year's and the campaign's ledger (filters, xlsx), one decision (confirm,
withdraw), generating proposals and recording a decision by hand. Thin: the rules are in
`proposals`, access and writes in `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessment.campaigns.services import visible_campaigns
from assessment.ledger import proposals, services
from assessment.ledger.forms import ConfirmForm, DecisionForm, LedgerFilterForm, WithdrawForm
from assessment.ledger.rules import frozen_message
from assessment.models import AssessmentYear, Campaign, DecisionStatus
from units import access
from zhaoshang.web import exports


def _list(request, *, year, campaign=None):
    decisions = services.visible_decisions(request.user).filter(year=year)
    if campaign is not None:
        decisions = decisions.filter(campaign=campaign)
    form = LedgerFilterForm(request.GET or None)
    decisions = form.apply(decisions)
    title = f"{campaign.name} · 奖惩台账" if campaign else f"{year.year}年度奖惩台账"
    if exports.wants_export(request):
        rows = (services.export_row(d) for d in decisions.iterator(chunk_size=500))
        return exports.rows_response(
            title, services.EXPORT_HEADERS, rows, filters=exports.describe_filters(form)
        )
    decisions = list(decisions)
    can_act = services.can_act(request.user)
    return render(
        request,
        "assessment/ledger_list.html",
        {
            "title": title,
            "year": year,
            "campaign": campaign,
            "decisions": decisions,
            "filter_form": form,
            "export_query": exports.export_query(request),
            "can_act": can_act,
            "campaign_ended": campaign is not None and campaign.end < timezone.localdate(),
            "proposed_count": sum(1 for d in decisions if d.is_proposed),
        },
    )


@login_required
def ledger_latest(request):
    """The navigation's 奖惩台账: the newest year's ledger."""
    year = AssessmentYear.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        messages.info(request, "尚未设置考核年度，暂无奖惩台账。")
        return redirect("assessment:index")
    return redirect("assessment:ledger_year", year=year)


@login_required
def year_ledger(request, year):
    return _list(request, year=get_object_or_404(AssessmentYear, year=year))


@login_required
def campaign_ledger(request, pk):
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    return _list(request, year=campaign.year, campaign=campaign)


@require_POST
@login_required
def year_generate(request, year):
    access.require(services.can_act(request.user))
    year_obj = get_object_or_404(AssessmentYear, year=year)
    try:
        messages.success(request, proposals.propose_for_year(year_obj).message())
    except proposals.NothingToPropose as refused:
        messages.error(request, refused.message)
    return redirect("assessment:ledger_year", year=year)


@require_POST
@login_required
def campaign_generate(request, pk):
    access.require(services.can_act(request.user))
    campaign = get_object_or_404(Campaign.objects.select_related("year"), pk=pk)
    try:
        messages.success(request, proposals.propose_for_campaign(campaign).message())
    except proposals.NothingToPropose as refused:
        messages.error(request, refused.message)
    return redirect("assessment:ledger_campaign", pk=pk)


def _visible(request, pk):
    return get_object_or_404(services.visible_decisions(request.user), pk=pk)


def _back(decision):
    if decision.campaign_id:
        return reverse("assessment:ledger_campaign", args=[decision.campaign_id])
    return reverse("assessment:ledger_year", args=[decision.year.year])


@login_required
def decision_detail(request, pk, confirm_form=None, withdraw_form=None):
    decision = _visible(request, pk)
    can_act = services.can_act(request.user)
    initial = {"decided_on": timezone.localdate(), "reason": decision.reason}
    return render(
        request,
        "assessment/ledger_decision.html",
        {
            "title": str(decision),
            "d": decision,
            "can_act": can_act,
            "back": _back(decision),
            "confirm_form": confirm_form or ConfirmForm(initial=initial),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "frozen": None if decision.is_proposed else frozen_message(decision),
        },
    )


@require_POST
@login_required
def decision_confirm(request, pk):
    decision = _visible(request, pk)
    access.require(services.can_act(request.user))
    if not decision.is_proposed:
        messages.error(request, frozen_message(decision))
        return redirect("assessment:ledger_decision", pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "确认未保存，请更正后重新提交。")
        return decision_detail(request, pk, confirm_form=form)
    data = form.cleaned_data
    services.confirm(decision, request.user, data["decided_on"], data["doc_number"], data["reason"])
    messages.success(
        request, f"已确认：{decision.unit} {decision.get_kind_display()}（{decision.doc_number}）。"
    )
    return redirect(_back(decision))


@require_POST
@login_required
def decision_withdraw(request, pk):
    decision = _visible(request, pk)
    access.require(services.can_act(request.user))
    if decision.status == DecisionStatus.WITHDRAWN:
        messages.error(request, frozen_message(decision))
        return redirect("assessment:ledger_decision", pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤销未保存，请填写撤销理由。")
        return decision_detail(request, pk, withdraw_form=form)
    services.withdraw(decision, request.user, form.cleaned_data["withdrawn_reason"])
    messages.success(request, f"已撤销：{decision.unit} {decision.get_kind_display()}。")
    return redirect(_back(decision))


@login_required
def decision_add(request, year):
    access.require(services.can_act(request.user))
    year_obj = get_object_or_404(AssessmentYear, year=year)
    form = DecisionForm(request.POST or None, year=year_obj)
    if request.method == "POST" and form.is_valid():
        decision = form.save(commit=False)
        decision.head = services.head_for(
            decision.unit_id, decision.decided_on or timezone.localdate()
        )
        if form.cleaned_data["confirm_now"]:
            decision.status = DecisionStatus.CONFIRMED
            decision.confirmed_by = request.user
            decision.confirmed_at = timezone.now()
        decision.save()
        messages.success(request, f"已登记：{decision.unit} {decision.get_kind_display()}。")
        return redirect(_back(decision))
    return render(
        request,
        "generic/object_edit.html",
        {"title": f"{year_obj.year}年度 · 登记奖惩决定", "form": form, "object": None},
    )
