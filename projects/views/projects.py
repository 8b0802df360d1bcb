"""Project pages: the registry list, the one-screen project page, the project form (with optimistic
concurrency), termination, and credit shares with introducers. Scoping is the models'
`visible_to(user)` (built on `units.access`); figures come from services."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import FormView

from projects import history, newness, services
from projects.claims import Action, allowed_actions, can_edit_claim
from projects.filtersets import ProjectFilterSet
from projects.forms import (
    CreditShareFormSetFactory,
    IntroducerFormSetFactory,
    ProjectForm,
    TerminateForm,
)
from projects.locks import Periods
from projects.models import (
    MILESTONE_ORDER,
    AssistanceItem,
    AssistanceStatus,
    ClaimEvent,
    CreditShare,
    FundsEntry,
    Introducer,
    Lead,
    Milestone,
    MonthlyInvestment,
    Project,
)
from projects.tables import STAGE_CSS, ProjectTable, project_export_rows
from projects.views.assistance import can_edit_assistance
from units import access
from zhaoshang.web.forms import bootstrapify
from zhaoshang.web.generic import ObjectDetailView, ObjectEditView, ObjectListView


def visible_project_or_404(user, pk):
    """Projects outside the user's scope are 404, so ids cannot be probed."""
    return get_object_or_404(Project.objects.visible_to(user), pk=pk)


def can_add_projects(user):
    return access.editable_units(user).exists()


class ProjectListView(ObjectListView):
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = "招商项目"
    add_url = "projects:project_add"

    def can_add(self):
        return can_add_projects(self.request.user)

    def export_rows(self, table, columns):
        # The one list that reaches 50,000 rows: read value rows, not model objects.
        return project_export_rows(table.data.data, [column.name for column in columns])

    def get_base_queryset(self):
        # 签约日期 is the verified (approved) signing's date, kept on the project (issue 21): a
        # draft or pending signing leaves it empty, even for its own unit (drafts stay private).
        projects = Project.objects.select_related("unit", "industry")
        # The 标识 column's 结转 and the 新引进 filter speak of the current assessment year.
        return newness.annotate_new(projects, newness.current_year()).visible_to(self.request.user)


class ProjectDetailView(ObjectDetailView):
    template_name = "projects/project_detail.html"

    def get_base_queryset(self):
        user = self.request.user
        events = ClaimEvent.objects.select_related("actor")
        # Another unit's drafts are not shown (SPEC §1): claims come through their `visible_to`.
        return (
            Project.objects.select_related(
                "unit",
                "industry",
                "created_by",
                "sponsor_leader",
                "sponsor_leader__unit",
                "deputy_leader",
            )
            .prefetch_related(
                "cooperating_units",
                Prefetch(
                    "milestones", queryset=Milestone.objects.visible_to(user).order_by("date")
                ),
                "milestones__evidence",
                Prefetch("milestones__events", queryset=events),
                Prefetch("investments", queryset=MonthlyInvestment.objects.visible_to(user)),
                "investments__evidence",
                Prefetch("investments__events", queryset=events),
                Prefetch("funds", queryset=FundsEntry.objects.visible_to(user)),
                "funds__evidence",
                Prefetch("funds__events", queryset=events),
                Prefetch("credit_shares", queryset=CreditShare.objects.select_related("unit")),
                Prefetch(
                    "introducers",
                    queryset=Introducer.objects.select_related("person", "person__unit"),
                ),
                Prefetch(
                    "assistance_items",
                    queryset=AssistanceItem.objects.select_related("responsible_unit"),
                ),
                "visits",
            )
            .visible_to(user)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        user = self.request.user
        today = services.today()
        milestones = {m.kind: m for m in project.milestones.all()}
        claims = [
            *milestones.values(),
            *project.investments.all(),
            *project.funds.all(),
        ]
        periods = Periods()
        for claim in claims:
            claim.editable = can_edit_claim(user, claim, periods)
            # 申报 / 重新申报 only where the workflow lets it succeed (evidence, locks; issue 18).
            claim.submittable = claim.editable and Action.SUBMIT in allowed_actions(
                user, claim, periods
            )
        curve_rows, chart, fai_total = services.investment_curve(project.investments.all())
        funds = sorted(project.funds.all(), key=lambda f: f.date)
        items = list(project.assistance_items.all())
        for item in items:
            item.overdue = item.status != AssistanceStatus.RESOLVED and item.deadline < today
            item.editable = can_edit_assistance(user, item)  # no link that would be a 403
        lead = Lead.objects.filter(project=project).select_related("unit").first()
        newness_year = newness.current_year()
        context.update(
            {
                "stage_css": STAGE_CSS.get(project.stage, "light"),
                "timeline": [
                    (kind.label, kind.value, milestones.get(kind)) for kind in MILESTONE_ORDER
                ],
                "missing_kinds": [k for k in MILESTONE_ORDER if k not in milestones],
                "curve_rows": curve_rows,
                "chart": chart,
                "fai_total": fai_total,
                "funds_rows": funds,
                "funds_total": sum((f.amount for f in funds), 0),
                "assistance": items,
                "open_assistance": [i for i in items if i.status != AssistanceStatus.RESOLVED],
                "history": history.project_history(project, user),
                "lead": lead,
                "can_edit": services.can_edit_project(user, project),
                "newness_year": newness_year,
                "newness_label": newness.label(newness.is_new_in(project, newness_year)),
            }
        )
        return context


class ProjectEditView(ObjectEditView):
    model = Project
    form_class = ProjectForm
    success_message = "项目已保存。"
    lead = None

    def check_permission(self, obj):
        user = self.request.user
        if obj is None:
            access.require(can_add_projects(user))
        else:
            if not Project.objects.visible_to(user).filter(pk=obj.pk).exists():
                raise Http404
            access.require(services.can_edit_project(user, obj))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        return services.save_project(form, self.request.user)

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except services.StaleVersion:
            form.add_error(None, services.STALE_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.object)


class LeadConvertView(ProjectEditView):
    """The project form pre-filled from a lead; saving turns the lead into 已转项目."""

    def get_object(self):
        self.lead = get_object_or_404(
            Lead.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return None

    def check_permission(self, obj):
        access.require(services.can_convert_lead(self.request.user, self.lead))

    def get_initial(self):
        return services.project_initial_from_lead(self.lead)

    def save(self, form):
        return services.save_project_from_lead(form, self.request.user, self.lead)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"线索转项目：{self.lead}"
        return context


class ProjectTerminateView(FormView):
    form_class = TerminateForm
    template_name = "generic/object_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = visible_project_or_404(request.user, kwargs["pk"])
        access.require(services.can_edit_project(request.user, self.object))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"terminated_on": services.today(), "version": self.object.version}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.terminate_project(
                self.object, data["reason"], data["terminated_on"], data["version"]
            )
        except services.StaleVersion:
            form.add_error(None, services.STALE_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, f"项目“{self.object}”已终止。")
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, title=f"终止项目：{self.object}")
        return context


def project_shares(request, pk):
    """Credit shares (分成, summing to exactly 100 %) and introducers (引资人) of a project."""
    project = visible_project_or_404(request.user, pk)
    access.require(services.can_edit_project(request.user, project))
    data = request.POST if request.method == "POST" else None
    shares = CreditShareFormSetFactory(data, instance=project, prefix="shares")
    introducers = IntroducerFormSetFactory(data, instance=project, prefix="intro")
    for formset in (shares, introducers):
        for form in formset.forms:
            bootstrapify(form, small=True)
    if data is not None and shares.is_valid() and introducers.is_valid():
        with transaction.atomic():
            # Deletions first, so a unit can move from a deleted row to a new one.
            shares.save(commit=False)
            for obj in shares.deleted_objects:
                obj.delete()
            for obj in shares.new_objects + [o for o, _ in shares.changed_objects]:
                obj.save()
            introducers.save()
        messages.success(request, "分成比例和引资人已保存。")
        return redirect(project)
    return render(
        request,
        "projects/project_shares.html",
        {"object": project, "shares": shares, "introducers": introducers, "title": "分成与引资人"},
    )
