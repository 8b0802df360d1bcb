"""Verification pages (SPEC §4): the review queue, one claim with its evidence and timeline, and
我的申报 for units. Views stay thin; the workflow is `projects.claims`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projects import claims, history, services, verification
from projects.evidence import EvidenceStorageError, store_evidence
from projects.locks import Periods
from projects.models import (
    PENDING_STATUSES,
    ClaimEvent,
    ClaimStatus,
    Evidence,
    EvidenceKind,
    kinds_label,
)
from projects.review import offers, tabs
from projects.review.filtersets import (
    ClaimFilterSet,
    MyClaimFilterSet,
    claim_rows,
    rejection_reasons,
)
from projects.review.forms import BulkActionForm, ClaimActionForm, parse_selection
from projects.review.tables import ClaimRowTable, MyClaimTable
from units import access
from zhaoshang.web import confirm, exports
from zhaoshang.web.forms import bootstrapify
from zhaoshang.web.pagination import paginate_table

QUEUE_STATUSES = [*PENDING_STATUSES, ClaimStatus.APPROVED, ClaimStatus.REJECTED]
PER_PAGE = 50
# A bulk action lists the reasons of at most this many refused claims, then counts the rest.
FAILED_SHOWN = 10


def may_act_in_bulk(user):
    """Reviewers, and whoever approves claims (leaders by default)."""
    return access.is_reviewer(user) or (
        access.sees_everything(user) and access.role_of(user) in claims.approver_roles()
    )


def _filtered(user, filterset_class, data, base):
    """Apply one filterset to each claim model; returns (form, querysets)."""
    form, querysets = None, []
    for model in claims.CLAIM_MODELS.values():
        qs = base(model).select_related(None)
        filterset = filterset_class(data, queryset=qs)
        querysets.append(filterset.qs)
        form = form or bootstrapify(filterset.form, small=True)
    return form, querysets


def review_queue(request):
    """审核队列: pending claims of every unit, oldest wait first, in tabs — what the user can act
    on now (the default), what waits on someone else, what lies in locked quarters, everything
    (`projects.review.tabs`); bulk approve or reject."""
    user = request.user
    access.require(access.sees_everything(user))
    data = request.GET.copy()
    tab = tabs.tab_of(data)
    scope = tabs.QueueScope(user)

    def scoped(tab_name):
        def base(model):
            qs = model.objects.visible_to(user)
            status = data.get("status")
            statuses = [status] if status in QUEUE_STATUSES else PENDING_STATUSES
            return qs.filter(status__in=statuses).filter(scope.tab_q(model, tab_name))

        return base

    form, querysets = _filtered(user, ClaimFilterSet, data, scoped(tab))
    table = ClaimRowTable(claim_rows(querysets))
    if exports.wants_export(request):
        return exports.table_response(request, table, "审核队列")
    paginate_table(request, table, PER_PAGE)
    table.offers = offers.page_offers(user, [row.record for row in table.page.object_list])
    context = {
        "export_query": exports.export_query(request),
        "title": "审核队列",
        "filter_form": form,
        "table": table,
        "bulk_form": BulkActionForm() if may_act_in_bulk(user) else None,
        "tab": tab,
        "tabs": _tab_links(request, data, tab, table, scoped),
    }
    return render(request, "review/queue.html", context)


def _tab_links(request, data, current, table, scoped):
    """[(slug, label, count, url, active)] of the queue's tabs under the same filters."""
    links = []
    for slug, label in tabs.TABS:
        if slug == current:
            count = table.paginator.count
        else:
            count = claim_rows(_filtered(request.user, ClaimFilterSet, data, scoped(slug))[1])
            count = count.count()
        query = data.copy()
        query["tab"] = slug
        query.pop("page", None)
        links.append((slug, label, count, f"?{query.urlencode()}", slug == current))
    return links


@require_POST
def review_queue_act(request):
    """Approve (advance) or reject the selected claims with one comment."""
    user = request.user
    access.require(may_act_in_bulk(user))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, "review:queue"))
    if not confirm.confirmed(request):
        confirm.refuse(request, "批量办理")
        return redirect(_back(request, "review:queue"))
    selected = _load_selected(user, form.cleaned_data["selected"])
    result = claims.act_many(
        user, selected, form.cleaned_data["action"], form.cleaned_data["comment"]
    )
    _report(request, result)
    return redirect(_back(request, "review:queue"))


def _back(request, default):
    """Return to the filtered list the form was posted from, never to another site."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return reverse(default)


def _load_selected(user, chosen):
    selected = []
    for slug, pks in chosen.items():
        model = claims.CLAIM_MODELS[slug]
        qs = model.objects.visible_to(user).filter(pk__in=pks).select_related("project")
        selected.extend(qs)
    return selected


def _report(request, result):
    if not result.done and not result.failed:
        messages.warning(request, "没有找到您可办理的申报。")
    elif result.done:
        messages.success(request, result.summary)
    else:
        messages.warning(request, result.summary)
    for claim, message in result.failed[:FAILED_SHOWN]:
        messages.warning(request, f"{claim.project.name}（{claims.claim_label(claim)}）：{message}")
    if len(result.failed) > FAILED_SHOWN:
        rest = len(result.failed) - FAILED_SHOWN
        messages.warning(request, f"另有 {rest} 条未能{result.verb}，请筛选后逐条查看。")


def _claim_or_404(user, kind, pk):
    model = claims.CLAIM_MODELS.get(kind)
    if model is None:
        raise Http404
    qs = model.objects.visible_to(user).select_related("project", "project__unit")
    return get_object_or_404(qs, pk=pk)


def claim_detail(request, kind, pk):
    """One claim: its figures, evidence side by side, timeline, history and the allowed steps."""
    user = request.user
    claim = _claim_or_404(user, kind, pk)
    events = ClaimEvent.objects.select_related("actor").order_by("created", "pk")
    evidence = Evidence.objects.order_by("uploaded", "pk")
    # Re-read with the timeline and evidence prefetched for the templates.
    claim = (
        type(claim)
        .objects.select_related("project", "project__unit")
        .prefetch_related(Prefetch("events", events), Prefetch("evidence", evidence))
        .get(pk=claim.pk)
    )
    files = [
        (e, reverse("projects:evidence_download", args=[e.pk]), e.content_type.startswith("image/"))
        for e in claim.evidence.all()
    ]
    periods = Periods()
    actions = [
        (a, claims.ACTION_LABELS[a], a in claims.REASON_REQUIRED)
        for a in claims.allowed_actions(user, claim, periods)
    ]
    required = verification.required_kinds(claim, periods)
    editable = claims.can_edit_claim(user, claim, periods)
    context = {
        "title": f"{claim.project.name} · {claims.claim_label(claim)}",
        "claim": claim,
        "kind": kind,
        "type_label": claims.claim_label(claim),
        "files": files,
        "actions": actions,
        "date_locked": periods.is_locked(claim.claim_date),
        "history_entries": history.claim_history(claim, user),
        "project_url": reverse("projects:project_detail", args=[claim.project_id]),
        "edit_url": reverse("projects:claim_edit", args=[kind, claim.pk]) if editable else None,
        "site_assessment": periods.site_assessment(claim.claim_date.year),
        "required_evidence": kinds_label(required) if required else "",
        "evidence_missing": verification.evidence_missing(claim, periods),
        "duty_notice": _duty_notice(user, claim, periods),
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "review/claim_detail.html", context)


@require_POST
def claim_act(request, kind, pk):
    """Take one step on one claim; refusals of the role are 403, of the moment a message."""
    user = request.user
    claim = _claim_or_404(user, kind, pk)
    form = ClaimActionForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("review:claim_detail", kind, pk)
    data = form.cleaned_data
    # Only a withdrawal that could succeed asks for the confirmation; any other is refused
    # below with the workflow's own reason.
    withdraw = data["action"] == claims.Action.WITHDRAW
    if withdraw and not confirm.confirmed(request) and withdraw_allowed(user, claim):
        confirm.refuse(request, "撤回")
        return redirect("review:claim_detail", kind, pk)
    try:
        _take_step(user, claim, form)
    except claims.ClaimError as exc:
        if exc.forbidden:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    except EvidenceStorageError as exc:
        messages.error(request, exc.message)
    else:
        label = claims.ACTION_LABELS[data["action"]]
        messages.success(request, f"已{label}，当前状态：{claim.get_status_display()}。")
    return redirect("review:claim_detail", kind, pk)


def withdraw_allowed(user, claim):
    return claims.Action.WITHDRAW in claims.allowed_actions(user, claim)


def _duty_notice(user, claim, periods):
    """Why a reviewer sees no step on a pending claim they already took another step of."""
    if claim.status not in PENDING_STATUSES:
        return None
    done = {status for actor, status in verification.step_actors(claim) if actor == user.pk}
    if not done or not periods.separate_duties(claim.claim_date.year):
        return None
    labels = "、".join(verification.STEP_LABELS[s] for s in verification.STEP_STATUSES if s in done)
    return f"您已办理本申报的“{labels}”环节；按分人办理的要求，其他环节由其他人员办理。"


def _take_step(user, claim, form):
    """The step with its record; 现场照片 are attached as the claim's evidence in the same
    transaction, so a refused step leaves none behind."""
    data = form.cleaned_data
    record = form.record()
    with transaction.atomic():
        if data["action"] == claims.Action.SITE_ASSESS and data["photos"]:
            names = []
            for uploaded, content_type in zip(data["photos"], form.photo_types, strict=True):
                store_evidence(claim, uploaded, user, content_type, kind=EvidenceKind.SITE_PHOTO)
                names.append(uploaded.name)
            record.details["photos"] = "、".join(names)
        claims.transition(
            user, claim, data["action"], data["comment"], version=data["version"], record=record
        )


def my_claims(request):
    """我的申报: a unit's claims in every state, why any was sent back, and what is verified."""
    user = request.user
    access.require(access.is_unit_user(user) and user.unit_id)

    def base(model):
        return model.objects.visible_to(user).filter(project__unit_id=user.unit_id)

    form, querysets = _filtered(user, MyClaimFilterSet, request.GET, base)
    if exports.wants_export(request):
        table = MyClaimTable(claim_rows(querysets, reasons=True))
        return exports.table_response(request, table, "我的申报")
    table = MyClaimTable(claim_rows(querysets))
    paginate_table(request, table, PER_PAGE)
    rows = [row.record for row in table.page.object_list]
    table.offers = offers.page_offers(user, rows)
    table.reasons = rejection_reasons(rows)
    totals = {
        slug: services.claim_totals(base(model)) for slug, model in claims.CLAIM_MODELS.items()
    }
    context = {"title": "我的申报", "filter_form": form, "table": table, "totals": totals}
    context["export_query"] = exports.export_query(request)
    return render(request, "review/my_claims.html", context)


@require_POST
def my_claims_submit(request):
    """Submit (or resubmit) the chosen drafts and rejected claims of the user's unit."""
    user = request.user
    access.require(access.is_unit_user(user) and user.unit_id)
    only = request.POST.get("only")
    chosen = parse_selection([only] if only else request.POST.getlist("selected"))
    if not chosen:
        messages.error(request, "请至少勾选一条申报。")
        return redirect(_back(request, "review:my_claims"))
    if not only and not confirm.confirmed(request):  # one row's button needs no confirmation
        confirm.refuse(request, "批量申报")
        return redirect(_back(request, "review:my_claims"))
    result = claims.submit_many(user, _load_selected(user, chosen))
    _report(request, result)
    return redirect(_back(request, "review:my_claims"))
