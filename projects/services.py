"""Project services that need no request: who may edit, the stage that follows the milestones,
optimistic-concurrency saves, termination, lead conversion, and the figures pages show (the
project page's investment curve, 我的申报's verified and pending totals).

Who may *read* a record is its model's `visible_to(user)` (`Project.objects.visible_to(user)`)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from projects import newness, notices
from projects.models import (
    MILESTONE_ORDER,
    PENDING_STATUSES,
    ClaimStatus,
    LeadStatus,
    Milestone,
    MilestoneKind,
    Project,
    Stage,
)
from units import access

STALE_MESSAGE = "该项目已被他人修改，请刷新后重试。"

STAGE_BY_MILESTONE = {
    MilestoneKind.SIGNED: Stage.SIGNED,
    MilestoneKind.STARTED: Stage.STARTED,
    MilestoneKind.COMPLETED: Stage.COMPLETED,
}
# Stages a user may choose by hand; the others follow the milestones or termination.
EARLY_STAGES = [Stage.LEAD, Stage.NEGOTIATING]
LATE_STAGES = [Stage.COMPLETED, Stage.PRODUCING]


class StaleVersion(Exception):
    """The project changed since the form was read."""


def today():
    return timezone.localdate()


# --- scoping -------------------------------------------------------------------------------


def can_edit_project(user, project):
    return access.can_edit_unit_data(user, project.unit_id)


def can_convert_lead(user, lead):
    """Turning a lead into a project marks the lead 已转项目, a change to the lead: only its own
    unit, or a unit it was shared with, may do that (a coordinator only reads member units)."""
    if lead.status != LeadStatus.OPEN or lead.project_id:
        return False
    if not access.editable_units(user).exists():
        return False
    if access.can_edit_unit_data(user, lead.unit_id):
        return True
    return bool(user.unit_id) and lead.shared_with.filter(pk=user.unit_id).exists()


# --- lifecycle -----------------------------------------------------------------------------


def stage_from_milestones(current, kinds):
    """The stage a project is in, given the milestone kinds it has verified.

    Termination is kept; 达效 is kept while the completion milestone stands; without milestones a
    project is back in negotiation (or stays a lead).
    """
    if current == Stage.TERMINATED:
        return current
    for kind in reversed(MILESTONE_ORDER):
        if kind in kinds:
            stage = STAGE_BY_MILESTONE[kind]
            if stage == Stage.COMPLETED and current == Stage.PRODUCING:
                return Stage.PRODUCING
            return stage
    return current if current in EARLY_STAGES else Stage.NEGOTIATING


# The Project column holding each verified milestone kind's date.
DATE_FIELD = {
    MilestoneKind.SIGNED: "signed_on",
    MilestoneKind.STARTED: "started_on",
    MilestoneKind.COMPLETED: "completed_on",
}


def verified_kinds(project):
    """The milestone kinds the project has verified (approved). Only these move its stage: a
    unit's draft or a pending claim is not a fact others may see (issue 15)."""
    return set(
        project.milestones.filter(status=ClaimStatus.APPROVED).values_list("kind", flat=True)
    )


def sync_stage(project):
    """Bring the project's stage and milestone dates in line with its verified milestones;
    called on every milestone change: edits and deletions of drafts, and every workflow step
    (`projects.claims`)."""
    sync_stages({project.pk})
    project.refresh_from_db(fields=["stage", "updated", *DATE_FIELD.values()])
    return project.stage


def sync_stages(project_ids, user=None):
    """Bring the stage and the verified milestone dates (`Project.signed_on`, `started_on`,
    `completed_on`) of many projects in line with their approved milestones, in a fixed number of
    queries however many (the workflow moves claims in bulk): read the approved milestones and the
    projects, write the changed rows in bulk, with history rows for changed stages.

    A date is the approved milestone's date, or empty: a draft, pending or rejected milestone says
    nothing to others (SPEC §1), so a rejection or a reopening clears the date again."""
    project_ids = set(project_ids)
    if not project_ids:
        return
    verified = defaultdict(dict)
    approved = Milestone.objects.filter(project_id__in=project_ids, status=ClaimStatus.APPROVED)
    for project_id, kind, day in approved.order_by().values_list("project_id", "kind", "date"):
        verified[project_id][kind] = day
    now, staged, dated = timezone.now(), [], []
    for project in Project.objects.filter(pk__in=project_ids).order_by():
        dates = verified[project.pk]
        stage = stage_from_milestones(project.stage, set(dates))
        if stage != project.stage:
            project.stage, project.updated = stage, now
            staged.append(project)
        wanted = {name: dates.get(kind) for kind, name in DATE_FIELD.items()}
        if any(getattr(project, name) != day for name, day in wanted.items()):
            for name, day in wanted.items():
                setattr(project, name, day)
            dated.append(project)
    changed = list({p.pk: p for p in staged + dated}.values())
    if changed:
        fields = ["stage", "updated", *DATE_FIELD.values()]
        Project.objects.bulk_update(changed, fields, batch_size=500)
    if staged:
        Project.history.bulk_history_create(staged, update=True, default_user=user)


def fill_milestone_dates(projects=None):
    """Set the verified milestone dates of `projects` (a Project queryset; all by default) in one
    UPDATE, from their approved milestones: for loaders that write milestones in bulk past the
    workflow (the demo, the bench generator), where `sync_stages` per project would be slow.
    Stages are left as the loader wrote them."""
    projects = Project.objects.all() if projects is None else projects
    dates = {}
    for kind, name in DATE_FIELD.items():
        approved = Milestone.objects.filter(
            project=OuterRef("pk"), kind=kind, status=ClaimStatus.APPROVED
        )
        dates[name] = Subquery(approved.order_by().values("date")[:1])
    return projects.order_by().update(**dates)


def choosable_stages(project):
    """Stages the project form may offer: early stages before any milestone, 竣工/达效 after a
    verified completion (a draft 竣工 offers nothing by hand); in between the stage follows the
    verified milestones alone."""
    if project is None or project.pk is None:
        return EARLY_STAGES
    if project.stage == Stage.TERMINATED:
        return []
    if not project.milestones.exists():
        return EARLY_STAGES
    if MilestoneKind.COMPLETED in verified_kinds(project):
        return LATE_STAGES
    return []


@transaction.atomic
def save_project(form, user):
    """Save a project form. An edit must carry the version it read: the version is bumped with a
    conditional UPDATE, so of two concurrent saves exactly one wins and the other is refused.

    Once a project has milestones its stage follows the verified ones, and the workflow moves it
    without touching the version (an approval must not make every open edit form stale). So when
    the form does not offer the stage, it is read again once the UPDATE holds the row — the row an
    approval locks before it moves the stage: an edit read before an approval never writes the old
    stage back (issue 15, path 5)."""
    project = form.save(commit=False)
    if project.pk:
        expected = form.cleaned_data["version"]
        won = Project.objects.filter(pk=project.pk, version=expected).update(version=expected + 1)
        if not won:
            raise StaleVersion
        project.version = expected + 1
        if "stage" not in form.fields:
            project.stage = Project.objects.values_list("stage", flat=True).get(pk=project.pk)
    else:
        project.created_by = user
    project.save()
    form.save_m2m()
    data = form.cleaned_data
    newness.record(
        project, form.newness_year, data["is_new"], data["new_reason"], user, amend_reason=True
    )
    return project


@transaction.atomic
def terminate_project(project, reason, day, expected_version):
    """Terminate a project, if it is still at the version the user read (else StaleVersion)."""
    won = Project.objects.filter(pk=project.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not won:
        raise StaleVersion
    project.version = expected_version + 1
    project.stage = Stage.TERMINATED
    project.termination_reason = reason
    project.terminated_on = day
    project.save()
    return project


@transaction.atomic
def save_project_from_lead(form, user, lead):
    """Create the project a lead turns into; the lead becomes 已转项目 and links it."""
    project = save_project(form, user)
    lead.status = LeadStatus.CONVERTED
    lead.project = project
    lead.save(update_fields=["status", "project"])
    notices.lead_converted(lead, project, user)
    return project


@transaction.atomic
def save_assistance(form, user, project):
    """Save an assistance item of `project`; the responsible unit is told when the item is new
    for it (created for it, or handed over from another unit)."""
    item = form.instance
    previous = None
    if item.pk is not None:
        previous = (
            type(item).objects.filter(pk=item.pk).values_list("responsible_unit_id", flat=True)
        ).first()
    else:
        item.created_by = user
    item.project = project
    item = form.save()
    notices.assistance_assigned(item, user, previous)
    return item


def project_initial_from_lead(lead):
    return {
        "investor_name": lead.investor_name,
        "name": f"{lead.investor_name}投资项目",
        "industry": lead.industry_id,
        "total_investment": lead.intended_investment,
        "description": lead.description,
        "stage": Stage.NEGOTIATING,
    }


# --- figures for the project page -----------------------------------------------------------


def investment_curve(investments):
    """Monthly fixed-asset investment and its running total, for the chart and its table."""
    rows = []
    total = Decimal(0)
    for inv in sorted(investments, key=lambda i: i.month):
        total += inv.amount
        rows.append({"month": inv.month, "amount": inv.amount, "cumulative": total, "claim": inv})
    chart = {
        "months": [r["month"].strftime("%Y-%m") for r in rows],
        "amounts": [str(r["amount"]) for r in rows],
        "cumulative": [str(r["cumulative"]) for r in rows],
    }
    return rows, chart, total


@dataclass
class ClaimTotals:
    """Sums split into verified (approved) and reported-not-verified (pending)."""

    verified: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    verified_count: int = 0
    pending_count: int = 0


def claim_totals(queryset):
    """Split a claim queryset's amounts (or, for milestones, counts) into 已审定 and 待核实."""
    approved = Q(status=ClaimStatus.APPROVED)
    pending = Q(status__in=PENDING_STATUSES)
    aggregates = {
        "verified_count": Count("pk", filter=approved),
        "pending_count": Count("pk", filter=pending),
    }
    has_amount = any(f.name == "amount" for f in queryset.model._meta.get_fields())
    if has_amount:
        aggregates["verified"] = Sum("amount", filter=approved)
        aggregates["pending"] = Sum("amount", filter=pending)
    values = queryset.order_by().aggregate(**aggregates)
    return ClaimTotals(
        verified=values.get("verified") or Decimal(0),
        pending=values.get("pending") or Decimal(0),
        verified_count=values["verified_count"],
        pending_count=values["pending_count"],
    )
