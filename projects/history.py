"""Change history helpers (SPEC §4 "who changed what from which value to which").

simple-history keeps a row per save; these helpers turn consecutive rows into readable field
changes, and search the history of every tracked project model for the reviewers' page.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from projects.models import (
    AssistanceItem,
    CreditShare,
    DuplicateFlag,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    Project,
)

# slug → (model, label, how to reach the project name, related rows to join)
TRACKED = {
    "project": (Project, "招商项目", "name", ()),
    "creditshare": (CreditShare, "分成", "project__name", ("project", "unit")),
    "milestone": (Milestone, "项目节点", "project__name", ("project",)),
    "investment": (MonthlyInvestment, "月度固定资产投资", "project__name", ("project",)),
    "funds": (FundsEntry, "到位资金", "project__name", ("project",)),
    "assistance": (AssistanceItem, "帮办事项", "project__name", ("project",)),
    "flag": (DuplicateFlag, "重复/异常标记", "project_a__name", ("project_a",)),
}
HISTORY_TYPES = {"+": "新建", "~": "修改", "-": "删除"}
# Bookkeeping fields that change on every save and say nothing to a reader.
IGNORED = {"updated", "version", "created"}


@dataclass
class Change:
    field: str  # verbose name
    old: str
    new: str


@dataclass
class Entry:
    record: object
    kind: str  # 新建 / 修改 / 删除
    changes: list = field(default_factory=list)

    @property
    def user(self):
        return self.record.history_user

    @property
    def when(self):
        return self.record.history_date


def _display(model_field, value):
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _changes(record, previous):
    model = record.instance_type
    fields = {f.attname: f for f in model._meta.concrete_fields}
    fields.update({f.name: f for f in model._meta.concrete_fields})
    delta = record.diff_against(previous)
    changes = []
    for change in delta.changes:
        if change.field in IGNORED:
            continue
        model_field = fields.get(change.field)
        if model_field is None:
            continue
        changes.append(
            Change(
                str(model_field.verbose_name),
                _display(model_field, change.old),
                _display(model_field, change.new),
            )
        )
    return changes


def entries(records):
    """Readable entries, newest first, for history records of one or more objects.

    Pairs each record with the previous record of the same object in `records` (so pass every
    record of the objects shown, oldest to newest or any order) — no query per record.
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    last = {}
    result = []
    for record in ordered:
        previous = last.get(record.id)
        kind = HISTORY_TYPES.get(record.history_type, record.history_type)
        changes = _changes(record, previous) if previous is not None else []
        result.append(Entry(record, kind, changes))
        last[record.id] = record
    result.reverse()
    return result


def claim_history(claim):
    """Entries for one claim, newest first."""
    return entries(claim.history.select_related("history_user"))


def search(model_slug, user=None, date_from=None, date_to=None, project_name=""):
    """History records of one tracked model, newest first, filtered for the search page."""
    model, _label, name_path, related = TRACKED[model_slug]
    qs = model.history.select_related("history_user", *related).order_by(
        "-history_date", "-history_id"
    )
    if user is not None:
        qs = qs.filter(history_user=user)
    if date_from:
        qs = qs.filter(history_date__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(history_date__lt=_start_of(date_to) + timedelta(days=1))
    if project_name:
        condition = Q(**{f"{name_path}__icontains": project_name})
        if model is DuplicateFlag:
            condition |= Q(project_b__name__icontains=project_name)
        qs = qs.filter(condition)
    return qs


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def entries_for_page(model_slug, records):
    """Entries for one page of search results, with diffs against each record's predecessor.

    One extra query fetches the other records of the objects on the page.
    """
    records = list(records)
    if not records:
        return []
    model = TRACKED[model_slug][0]
    newest = max(r.history_date for r in records)
    page = {r.history_id: r for r in records}
    everything = model.history.filter(
        id__in={r.id for r in records}, history_date__lte=newest
    ).exclude(history_id__in=page)
    # Page rows keep their joined project/user; earlier rows only serve as "before" values.
    shown = entries(list(everything) + records)
    return [e for e in shown if e.record.history_id in page]


def object_label(model_slug, record):
    """What a history row is about, without touching the database."""
    if model_slug == "project":
        return record.name
    if model_slug == "flag":
        return f"{record.get_kind_display()}：{record.project_a.name}"
    if model_slug == "creditshare":
        return f"{record.project.name} · {record.unit.name} {record.percent}%"
    if model_slug == "milestone":
        return f"{record.project.name} · {record.get_kind_display()} {record.date}"
    if model_slug == "investment":
        return f"{record.project.name} · {record.month:%Y-%m}"
    if model_slug == "funds":
        return f"{record.project.name} · {record.get_source_display()} {record.date}"
    return f"{record.project.name} · {record.get_category_display()}"
