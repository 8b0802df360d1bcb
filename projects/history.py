"""Change history (SPEC §4 "who changed what from which value to which"): the one renderer.

simple-history keeps a row per save; `entries` turns consecutive rows into readable field changes —
choices by their label, foreign keys by the related object's name (one query per related model,
however many rows), yes/no for booleans, lists joined — for any model with `HistoricalRecords`: the
project page, the claim page, the flag page and the reviewers' history search here, and the
configuration history (a year's rules, indicators, targets, adjustments and campaigns; units,
groups and memberships) on the year, unit and group pages. The rest of this module collects the
projects' own records.

Claims' rows are read through `readable_claim_records` (SPEC §1 "a user never sees another unit's
drafts"): only who may see a claim (its model's `visible_to`) sees its history, and its draft
stage stays private to its unit even after submission — see that function.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from projects.models import (
    AssistanceItem,
    ClaimStatus,
    CreditShare,
    DuplicateFlag,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    NewnessOverride,
    Project,
)
from projects.models.claims import drafts_filter
from units import access

# slug → (model, label, how to reach the project name, related rows to join)
TRACKED = {
    "project": (Project, "招商项目", "name", ()),
    "creditshare": (CreditShare, "分成", "project__name", ("project", "unit")),
    "milestone": (Milestone, "项目节点", "project__name", ("project",)),
    "investment": (MonthlyInvestment, "月度固定资产投资", "project__name", ("project",)),
    "funds": (FundsEntry, "到位资金", "project__name", ("project",)),
    "newness": (NewnessOverride, "新引进/结转年度认定", "project__name", ("project",)),
    "assistance": (AssistanceItem, "帮办事项", "project__name", ("project",)),
    "flag": (DuplicateFlag, "重复/异常标记", "project_a__name", ("project_a",)),
}
HISTORY_TYPES = {"+": "新建", "~": "修改", "-": "删除"}
CLAIM_TYPES = (Milestone, MonthlyInvestment, FundsEntry)
# The first row another unit's reader sees of a claim that began as a draft: its submission.
SUBMITTED_KIND = "申报"
# Bookkeeping fields that change on every save (or are set once by the app) and say nothing to a
# reader; `submitted_at` is the workflow's own bookkeeping, its steps are in the timeline.
IGNORED = {"updated", "version", "created", "created_by", "submitted_at"}


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
    subject: str = ""  # what the row is about, where one page mixes objects (the project page)

    @property
    def user(self):
        return self.record.history_user

    @property
    def when(self):
        return self.record.history_date


def _display(model_field, value, names, labels=None):
    if value is None or value == "":
        return "—"
    if labels:
        # Codes a field stores without choices of its own (a list of categories, say).
        values = value if isinstance(value, list) else [value]
        return "、".join(str(labels.get(v, v)) for v in values) or "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        # A related row deleted since keeps its id: better than nothing.
        return names.get((model_field.related_model, value), str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, Decimal):
        # Amounts (their field names say 万元), weights, percentages: the field's own places with
        # thousands separators (issue 22: a raw "166500.00" in the history).
        return f"{value:,}"
    return str(value)


def _raw_changes(record, previous, hidden=()):
    """(model field, old value, new value) for every shown field that differs."""
    fields = {f.name: f for f in record.instance_type._meta.concrete_fields}
    delta = record.diff_against(previous, excluded_fields=IGNORED | set(hidden))
    return [
        (fields[change.field], change.old, change.new)
        for change in delta.changes
        if change.field in fields
    ]


def _values(record, hidden, created):
    """A created (or deleted) row's filled fields, as changes from (or to) nothing."""
    out = []
    for model_field in record.instance_type._meta.concrete_fields:
        name = model_field.name
        if model_field.primary_key or not model_field.editable or name in IGNORED | set(hidden):
            continue
        value = getattr(record, model_field.attname)
        if value is None or value == "" or value == []:
            continue
        out.append((model_field, None, value) if created else (model_field, value, None))
    return out


def _as_submitted(record, hidden):
    """The first row of a claim another unit's reader sees, after its private draft stage: its
    values, and its status from 草稿 (the one thing known of that stage)."""
    out = []
    for model_field, old, new in _values(record, hidden, created=True):
        if model_field.name == "status" and new == ClaimStatus.SUBMITTED:
            old = ClaimStatus.DRAFT
        out.append((model_field, old, new))
    return out


def _names(raw):
    """Names of every related object the changes mention: one query per related model."""
    wanted = defaultdict(set)
    for changes in raw:
        for model_field, old, new in changes:
            if model_field.is_relation:
                wanted[model_field.related_model].update(v for v in (old, new) if v is not None)
    names = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def entries(records, subject=None, hide_unchanged=False, with_values=False, hidden=(), labels=None):
    """Readable entries, newest first, for history records of one or more objects.

    Pairs each record with the previous record of the same object in `records` (so pass every
    record of the objects shown, in any order; records of several models may be mixed) — no query
    per record. `subject(record)` names what a row is about; `hide_unchanged` drops saves that
    changed no shown field (the project page, where they would only be noise). `with_values`
    lists a created row's values as "— → value" and a deleted row's as "value → —" (a target
    set or cleared, a member added or removed); `hidden` names fields never listed because the
    subject already says them (the indicator and unit of a target): a set, or {model: set}.
    `labels`: {(model, field name): {code: label}} for fields that store codes without choices.
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    last = {}
    rows = []
    for record in ordered:
        key = (record.instance_type, record.id)
        previous = last.get(key)
        last[key] = record
        skip = hidden.get(record.instance_type, ()) if isinstance(hidden, dict) else hidden
        first_seen = previous is None and record.history_type == "~"
        if first_seen and record.instance_type in CLAIM_TYPES:
            # Its earlier rows are a draft stage the reader may not see: the claim as submitted.
            raw = _as_submitted(record, skip)
        elif with_values and record.history_type == "+":
            raw = _values(record, skip, created=True)
        elif with_values and record.history_type == "-":
            raw = _values(record, skip, created=False)
        elif record.history_type == "-":
            # A deletion changes no field; compared with the reader's previous row it would show
            # edits the reader may not see (`readable_claim_records`).
            raw = []
        else:
            raw = _raw_changes(record, previous, skip) if previous is not None else []
        if hide_unchanged and record.history_type == "~" and not raw:
            continue
        rows.append((record, raw, first_seen))
    names = _names(raw for _record, raw, _first in rows)
    labels = labels or {}
    result = []
    for record, raw, first_seen in reversed(rows):
        changes = []
        for model_field, old, new in raw:
            codes = labels.get((record.instance_type, model_field.name))
            changes.append(
                Change(
                    str(model_field.verbose_name),
                    _display(model_field, old, names, codes),
                    _display(model_field, new, names, codes),
                )
            )
        kind = HISTORY_TYPES.get(record.history_type, record.history_type)
        if first_seen and getattr(record, "status", None) == ClaimStatus.SUBMITTED:
            kind = SUBMITTED_KIND
        result.append(Entry(record, kind, changes, subject(record) if subject else ""))
    return result


def readable_claim_records(records, viewer):
    """The rows of `records` (one claim model's history rows) that `viewer` may read.

    A claim's history is shown only to who may see the claim (`visible_to`, the one policy: a
    draft to its unit, a coordinator's member claims by year). Its draft stage stays private to
    its unit — the unit's own and the admin (`drafts_filter`) read every row; everyone else
    reads no row written while the claim was a draft, nor the unit's fixes after a rejection (a
    row in 已退回 after a row in 已退回; the rejection itself, the reviewer's step, and the
    deletion of a rejected claim are shared).
    Deleted claims (a discarded draft, a rejected claim withdrawn) answer by their rows' own unit
    and date — the same rule — so the audit trail keeps them.
    Decision (SPEC §4 "drafts are private to their unit"): a submission does not publish the
    draft edits before it. From submission on the history is shared; the first row others see
    lists the claim as submitted (`entries`: kind 申报), and a resubmission's row compares with
    the rejection before it, so it shows what the fixes changed, not how they got there.

    Filters in the database (the previous row's status is a subquery), so a page of it costs the
    same queries whatever the data size.
    """
    model = records.model.instance_type
    history = records.model
    live = Q(id__in=model.objects.visible_to(viewer).values("pk"))
    gone = ~Q(id__in=model.objects.values("pk")) & access.visible_unit_filter(
        viewer, field="project__unit", year_field=f"{model.claim_date_field}__year"
    )
    records = records.filter(live | gone)
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    previous = (
        history.objects.filter(earlier, id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("status")[:1]
    )
    fixes = Q(status=ClaimStatus.REJECTED, previous_status=ClaimStatus.REJECTED)
    private = Q(status=ClaimStatus.DRAFT) | (fixes & ~Q(history_type="-"))
    own = drafts_filter(viewer)
    if own == Q():  # the admin reads every draft
        return records
    return records.annotate(previous_status=Subquery(previous)).exclude(private & ~own)


def claim_history(claim, viewer):
    """Entries for one claim, newest first, as far as `viewer` may read them."""
    records = readable_claim_records(claim.history.select_related("history_user"), viewer)
    return entries(records)


def _newness_subject(record):
    if record.history_type == "-":
        return f"新引进/结转 · {record.year} 年度认定撤销（{record.history_change_reason}）"
    return f"新引进/结转 · {record.year} 年度认定为{record.instance.label}：{record.reason}"


PROJECT_SUBJECTS = {
    Project: lambda r: "项目信息",
    Milestone: lambda r: f"节点 · {r.get_kind_display()}",
    MonthlyInvestment: lambda r: f"固定资产投资 · {r.month:%Y-%m}",
    FundsEntry: lambda r: f"到位资金 · {r.date}",
    NewnessOverride: _newness_subject,
}


def project_history(project, viewer):
    """Changes to the project, its claims and its yearly 新引进/结转 overrides, newest first (the
    project page); claims' rows as far as `viewer` may read them (`readable_claim_records`)."""
    records = list(project.history.select_related("history_user"))
    for model in CLAIM_TYPES:
        rows = model.history.filter(project_id=project.pk).select_related("history_user")
        records += readable_claim_records(rows, viewer)
    records += NewnessOverride.history.filter(project_id=project.pk).select_related("history_user")
    return entries(
        records, subject=lambda r: PROJECT_SUBJECTS[r.instance_type](r), hide_unchanged=True
    )


def _readable(model, records, viewer):
    return readable_claim_records(records, viewer) if model in CLAIM_TYPES else records


def search(model_slug, viewer, user=None, date_from=None, date_to=None, project_name=""):
    """History records of one tracked model that `viewer` may read, newest first, filtered for
    the search page (`user`: who made the change)."""
    model, _label, name_path, related = TRACKED[model_slug]
    qs = model.history.select_related("history_user", *related).order_by(
        "-history_date", "-history_id"
    )
    qs = _readable(model, qs, viewer)
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


def entries_for_page(model_slug, records, viewer):
    """Entries for one page of search results, with diffs against each record's predecessor
    among the rows `viewer` may read.

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
    everything = _readable(model, everything, viewer)
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
    if model_slug == "newness":
        return f"{record.project.name} · {record.year} 年度{record.instance.label}"
    return f"{record.project.name} · {record.get_category_display()}"
