"""Claim entry pages: milestones (签约/开工/竣工), monthly fixed-asset investment and funds
in place, each with evidence files. A claim changes only while `claims.can_edit_claim` allows it;
every milestone change brings the project's stage along (`services.sync_stage`)."""

from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from projects import services
from projects.claims import can_edit_claim
from projects.evidence import EvidenceStorageError, store_evidence
from projects.forms import EvidenceForm, FundsForm, InvestmentForm, MilestoneForm
from projects.models import (
    EDITABLE_STATUSES,
    ClaimStatus,
    Evidence,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    Project,
)
from units import access

STALE_CLAIM_MESSAGE = "该申报已被他人修改、申报或审核，请刷新后重试。"

KINDS = {
    "milestone": (Milestone, MilestoneForm, "项目节点"),
    "investment": (MonthlyInvestment, InvestmentForm, "月度固定资产投资"),
    "funds": (FundsEntry, FundsForm, "到位资金"),
}


def _kind(kind):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def visible_claim_or_404(user, kind, pk):
    model = _kind(kind)[0]
    claim = get_object_or_404(model.objects.select_related("project"), pk=pk)
    if not Project.objects.visible_to(user).filter(pk=claim.project_id).exists():
        raise Http404
    return claim


class ClaimEditView(FormView):
    """Add a claim to a project (`project_pk`) or edit one (`pk`)."""

    template_name = "generic/object_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.model, self.form_class, self.label = _kind(kwargs["kind"])
        user = request.user
        if "pk" in kwargs:
            self.claim = visible_claim_or_404(user, kwargs["kind"], kwargs["pk"])
            self.project = self.claim.project
            access.require(can_edit_claim(user, self.claim))
        else:
            self.claim = None
            self.project = get_object_or_404(
                Project.objects.visible_to(user), pk=kwargs["project_pk"]
            )
            access.require(services.can_edit_project(user, self.project))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A new claim knows its project before validation, so the model's clean() (the rules
        # every path shares: milestone order, zero reports) can check it.
        instance = self.claim or self.model(project=self.project)
        kwargs.update(instance=instance, project=self.project)
        return kwargs

    def get_initial(self):
        initial = {}
        kind = self.request.GET.get("kind")
        if self.model is Milestone and kind:
            initial["kind"] = kind
        return initial

    @transaction.atomic
    def form_valid(self, form):
        claim = form.save(commit=False)
        claim.project = self.project
        if claim.pk is None:
            claim.status = ClaimStatus.DRAFT
            claim.created_by = self.request.user
        else:
            expected = form.cleaned_data.get("version")
            won = self.model.objects.filter(
                pk=claim.pk, version=expected, status__in=EDITABLE_STATUSES
            ).update(version=F("version") + 1)
            if not won:
                form.add_error(None, STALE_CLAIM_MESSAGE)
                return self.form_invalid(form)
            claim.version = expected + 1
        claim.save()
        uploaded = form.cleaned_data.get("evidence_file")
        if uploaded:
            try:
                store_evidence(
                    claim,
                    uploaded,
                    self.request.user,
                    form.evidence_content_type,
                    kind=form.cleaned_data.get("evidence_kind") or None,
                )
            except EvidenceStorageError as exc:
                transaction.set_rollback(True)  # the claim is not saved without its file
                form.add_error("evidence_file", exc.message)
                return self.form_invalid(form)
        if self.model is Milestone:
            services.sync_stage(self.project)
        messages.success(self.request, f"{self.label}已保存为草稿。")
        return redirect(self.project)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = "编辑" if self.claim else "新增"
        context.update(object=self.project, title=f"{action}{self.label}：{self.project}")
        if self.claim:
            context["evidence"] = self.claim.evidence.all()
        return context


@require_POST
def claim_delete(request, kind, pk):
    claim = visible_claim_or_404(request.user, kind, pk)
    access.require(can_edit_claim(request.user, claim))
    project = claim.project
    with transaction.atomic():
        claim.delete()
        if isinstance(claim, Milestone):
            services.sync_stage(project)
    messages.success(request, f"已删除{_kind(kind)[2]}。")
    return redirect(project)


class EvidenceAddView(FormView):
    form_class = EvidenceForm
    template_name = "generic/object_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.claim = visible_claim_or_404(request.user, kwargs["kind"], kwargs["pk"])
        access.require(can_edit_claim(request.user, self.claim))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "claim": self.claim}

    def form_valid(self, form):
        try:
            store_evidence(
                self.claim,
                form.cleaned_data["file"],
                self.request.user,
                form.content_type,
                kind=form.cleaned_data["kind"],
            )
        except EvidenceStorageError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "佐证材料已上传。")
        return redirect(self.claim.project)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.claim.project, title=f"上传佐证材料：{self.claim}")
        return context


@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related("milestone", "investment", "funds"), pk=pk
    )
    claim = evidence.claim
    if not Project.objects.visible_to(request.user).filter(pk=claim.project_id).exists():
        raise Http404
    access.require(can_edit_claim(request.user, claim))
    evidence.delete()
    messages.success(request, f"已删除佐证材料“{evidence.original_name}”。")
    return redirect("projects:project_detail", pk=claim.project_id)
