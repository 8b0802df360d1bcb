"""Taking back what a chunked import wrote when a later chunk of it fails (issue 16: all or
nothing, in short transactions).

The chunked import (`assessment.workbooks.staged`) commits each chunk so that other users are not
locked out for minutes. While it writes it holds the import lease (`assessment.workbooks.serial`),
so it is the only import, and publishing, computing and approving in its years wait for it: what
could still stop a later chunk is rare (a zero report filed meanwhile, a database error, a bug).
When it happens, `revert(mark)` takes back every row the import wrote since `mark()`, in one
transaction, and the database holds what it held before the import.

Decisions:
- The import's rows are read back from the value history, which records every write of the
  models it writes, bulk inserts included: rows after the mark whose reason is the import's
  (`IMPORT_REASON`, `VERIFIED_REASON`, and what starts with them): while the lease is held,
  every history row written without a reason in the import's own context gets the import's
  reason (`_tag_import_rows`), and nobody else's row does. The one write of the import without
  a history reason, the stage that follows verified milestones (`services.sync_stages`, a bulk
  write), is derived again once the milestones are back.
- A row the import created is deleted; a row it changed or deleted is written back as its last
  history row before the import says — even if another user edited it between two chunks (the
  import is all or nothing; that edit was made on the import's data). The taking back is itself
  recorded: history rows with the reason UNDO_REASON, and a workflow event on every claim set
  back (events are append-only; those of deleted claims go with them).
- It writes under `trusted` and `building`: it restores approved claims and verified projects'
  bases as they were, which no user may do; published quarters still hold (none can have been
  published in the import's years meanwhile).
"""

from django.db import transaction
from django.db.models import Max, Q
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from assessment.models import AssessmentYear, Indicator, Target
from assessment.workbooks import serial
from assessment.workbooks.writer import IMPORT_REASON, VERIFIED_REASON
from projects import services
from projects.models import (
    ClaimEvent,
    CreditShare,
    FundsEntry,
    Industry,
    Milestone,
    MonthlyInvestment,
    NewnessOverride,
    Project,
)
from units.models import CollaborationGroup, GroupMembership, Unit
from zhaoshang.guarded import building, trusted

UNDO_REASON = "撤销未完成的导入"
# Children before parents: created rows are deleted and changed rows written back in this order.
MODELS = [
    FundsEntry,
    MonthlyInvestment,
    Milestone,
    NewnessOverride,
    CreditShare,
    Project,
    Target,
    Indicator,
    GroupMembership,
    CollaborationGroup,
    AssessmentYear,
    Unit,
]
CLAIMS = {Milestone: "milestone", MonthlyInvestment: "investment", FundsEntry: "funds"}


@receiver(pre_create_historical_record, dispatch_uid="import-undo-tag")
def _tag_import_rows(sender, history_instance, **kwargs):
    if serial.is_holding() and not history_instance.history_change_reason:
        history_instance.history_change_reason = IMPORT_REASON


def mark():
    """Where the import begins: the last history row of every model it writes, and the last
    industry (industries have no history; the import creates them, never changes them)."""
    marks = {
        model._meta.label: model.history.aggregate(m=Max("history_id"))["m"] or 0
        for model in MODELS
    }
    marks["industry"] = Industry.objects.aggregate(m=Max("pk"))["m"] or 0
    return marks


OURS = Q(history_change_reason__startswith=IMPORT_REASON) | Q(
    history_change_reason__startswith=VERIFIED_REASON
)


def _first_rows(model, since):
    """{object pk: (history_id, history_type)} of each object's first row written by the import."""
    rows = model.history.filter(history_id__gt=since).filter(OURS).order_by("history_id")
    first = {}
    for pk, history_id, kind in rows.values_list("id", "history_id", "history_type"):
        first.setdefault(pk, (history_id, kind))
    return first


def revert(marks, user=None, new_industries=()):
    """Take back everything the import wrote since `marks` (see the module docstring)."""
    with transaction.atomic(), trusted(UNDO_REASON), building(UNDO_REASON):
        work = []
        for model in MODELS:
            created, restore = [], []
            for pk, (history_id, kind) in _first_rows(model, marks[model._meta.label]).items():
                before = (
                    model.history.filter(id=pk, history_id__lt=history_id)
                    .order_by("-history_id")
                    .first()
                )
                if kind == "+" or before is None or before.history_type == "-":
                    created.append(pk)
                else:
                    restore.append(before)
            work.append((model, created, restore))
        staged_projects = set()  # projects whose milestones come and go: their stage follows
        for model, created, _restore in work:
            for obj in model._base_manager.filter(pk__in=created):
                if model is Milestone:
                    staged_projects.add(obj.project_id)
                obj._change_reason = UNDO_REASON
                obj.delete()
        for model, _created, restore in work:
            for before in restore:
                _write_back(model, before, user)
                if model is Milestone:
                    staged_projects.add(before.project_id)
        unused = Industry.objects.filter(pk__gt=marks["industry"], name__in=list(new_industries))
        unused.filter(projects__isnull=True, leads__isnull=True).delete()
        services.sync_stages(staged_projects, user)


def _write_back(model, before, user):
    obj = before.instance
    current = model._base_manager.filter(pk=obj.pk).first()
    obj._change_reason = UNDO_REASON
    if user is not None:
        obj._history_user = user
    if model in CLAIMS and current is not None:
        obj.version = current.version + 1  # a page opened on the import's figure is stale
    obj.save()  # a project's stage comes back with it, as stored before the import
    if model in CLAIMS:
        ClaimEvent.objects.create(
            **{CLAIMS[model]: obj},
            actor=user,
            from_status=current.status if current is not None else "",
            to_status=obj.status,
            comment=UNDO_REASON,
        )
