"""The import as a background job: a preview that writes nothing, then the confirmed import, both
in short transactions so that other users keep working while a large workbook goes in.

`preview_workbook(fileobj, …)` and `apply_workbook(fileobj, …)` → ImportReport, like
`importer.import_workbook` (which the command line keeps: one transaction, all or nothing).
`progress(stage, done, total)` is called between transactions, never inside one: stage "read"
(bytes of the file read), "validate" (rows checked cell by cell) and "apply" (rows written, or
trial-written by the preview).

Decisions (issue 16):
- A 45-second import in one transaction locks every other writer out on SQLite. So the plan is
  cut into chunks — the year's rules (units, groups, indicators, targets) first, then projects
  with their own claim rows, about CHUNK_ROWS rows each — and each chunk is its own transaction.
  Chunks are independent: a project's shares, monthly figures and funds travel with it.
- The preview trial-writes each chunk (after the rules, when the workbook changes them) and
  rolls it back: its counts and refusals are exactly what the import will do, and it never holds
  the database for longer than one chunk.
- All or nothing: the whole workbook is validated and previewed before anything is written, and
  the confirmed import validates it again. What the import can still refuse depends on data other
  users change (a quarter published, a claim approved, a zero report filed): `state_stamp()`
  records that state with the preview, and a confirmation after it changed runs the preview
  again instead of writing. While the import writes it holds the import lease
  (`assessment.workbooks.serial`): no other import runs, and publishing, computing and
  approving in the years it writes are refused until it ends (`zhaoshang.guard.import_refusal`).
  Should a chunk still be refused or fail (a zero report filed meanwhile, a database error), what
  the earlier chunks wrote is taken back in one transaction (`assessment.workbooks.undo`): the
  database is as before the import, and the report lists the refusal.
- Not covered: a worker killed while writing leaves the chunks it committed (nothing can run
  the taking back); importing the same workbook again completes it without duplicating anything.
"""

import datetime
from collections import Counter
from dataclasses import fields

from django.db import transaction
from django.db.models import Max

from assessment.models import AssessmentLog, AssessmentYear, Indicator, Target
from assessment.workbooks import serial, undo
from assessment.workbooks.apply import INDUSTRIES, MILESTONES, apply_plan
from assessment.workbooks.cells import RowError
from assessment.workbooks.contract import PROJECTS, SHEETS
from assessment.workbooks.importer import ImportReport
from assessment.workbooks.reader import read_workbook
from assessment.workbooks.validation import Plan, validate
from projects.models import (
    ClaimEvent,
    CreditShare,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    MonthlyReport,
    Project,
)
from units.models import CollaborationGroup, GroupMembership, Unit

# About a second of writing on SQLite; the lock other writers wait for is never much longer.
CHUNK_ROWS = 2000
RULE_FIELDS = ("units", "groups", "indicators", "targets")
PROJECT_FIELDS = ("projects", "shares", "investments", "funds", "db_projects")
PROGRESS_EVERY = 500  # rows between two "validate" progress calls


def _quiet(stage, done, total):
    pass


class _ProgressFile:
    """A file object that reports how much of it has been read (openpyxl reads the zip parts
    in order, so bytes read is the reading progress)."""

    def __init__(self, fileobj, progress):
        self._f = fileobj
        self._progress = progress
        fileobj.seek(0, 2)
        self._size = fileobj.tell() or 1
        fileobj.seek(0)
        self._last = 0

    def read(self, n=-1):
        data = self._f.read(n)
        position = self._f.tell()
        if position - self._last > self._size // 50:
            self._last = position
            self._progress("read", position, self._size)
        return data

    def seek(self, *args):
        return self._f.seek(*args)

    def tell(self):
        return self._f.tell()

    def seekable(self):
        return True


class _CountedRows(list):
    """A sheet's rows that call `tick()` as validation walks over them."""

    def __init__(self, rows, tick):
        super().__init__(rows)
        self._tick = tick

    def __iter__(self):
        for row in super().__iter__():
            yield row
            self._tick()


def _read_and_validate(fileobj, report, progress):
    sheets = read_workbook(_ProgressFile(fileobj, progress), report.errors, report.notes)
    total = sum(len(rows) for rows in sheets.values())
    checked = 0
    progress("validate", 0, total)

    def tick():
        nonlocal checked
        checked += 1
        if checked % PROGRESS_EVERY == 0:
            progress("validate", min(checked, total), total)

    plan = validate(
        {name: _CountedRows(rows, tick) for name, rows in sheets.items()}, report.errors
    )
    progress("validate", total, total)
    return plan, total


def _rows(plan):
    count = sum(len(getattr(plan, name)) for name in RULE_FIELDS)
    count += len(plan.projects) + len(plan.investments) + len(plan.funds)
    return count + sum(len(rows) for rows in plan.shares.values())


def split_plan(plan):
    """(rules, [chunk, …]): the plan's rules, then its projects with their claim rows. Every
    other field of the plan (the workbook's year…) is carried by the rules and every chunk."""
    carried = {
        f.name: getattr(plan, f.name)
        for f in fields(Plan)
        if f.name not in RULE_FIELDS + PROJECT_FIELDS
    }
    rules = Plan(**carried, **{name: getattr(plan, name) for name in RULE_FIELDS})
    names = [row["name"] for row in plan.projects]
    in_sheet = set(names)
    claims = {}
    for row in plan.investments:
        claims.setdefault(row["project"], {"investments": [], "funds": []})["investments"].append(
            row
        )
    for row in plan.funds:
        claims.setdefault(row["project"], {"investments": [], "funds": []})["funds"].append(row)
    names += [name for name in list(plan.shares) + list(claims) if name not in in_sheet]
    names = list(dict.fromkeys(names))
    projects = {row["name"]: row for row in plan.projects}
    chunks, current, size = [], None, 0
    for name in names:
        if current is None or size >= CHUNK_ROWS:
            current, size = Plan(**carried), 0
            chunks.append(current)
        if name in projects:
            current.projects.append(projects[name])
            size += 1
        elif name in plan.db_projects:
            current.db_projects[name] = plan.db_projects[name]
        if name in plan.shares:
            current.shares[name] = plan.shares[name]
            size += len(plan.shares[name])
        rows = claims.get(name, {"investments": [], "funds": []})
        current.investments += rows["investments"]
        current.funds += rows["funds"]
        size += len(rows["investments"]) + len(rows["funds"])
    return rules, chunks


def _changes_rules(report):
    return any(c["created"] or c["updated"] for c in report.counts.values())


def _tidy(report):
    """Chunks add up their counts; an industry new to several chunks is one new industry, and
    the sheets are listed in the workbook's order whatever chunk met them first."""
    report.new_industries = list(dict.fromkeys(report.new_industries))
    if report.new_industries:
        report.counts.setdefault(INDUSTRIES, Counter())["created"] = len(report.new_industries)
    sheets = list(SHEETS)
    at = sheets.index(PROJECTS) + 1
    sheets[at:at] = [MILESTONES, INDUSTRIES]
    order = {sheet: n for n, sheet in enumerate(sheets)}
    report.counts = dict(sorted(report.counts.items(), key=lambda item: order.get(item[0], 99)))


def preview_workbook(fileobj, verified=False, user=None, progress=_quiet):
    """Validate and trial-write the whole workbook chunk by chunk; nothing is kept."""
    report = ImportReport(dry_run=True, verified=verified)
    plan, total = _read_and_validate(fileobj, report, progress)
    if report.errors:
        return report
    rules, chunks = split_plan(plan)
    with transaction.atomic():
        apply_plan(rules, report, verified=verified, user=user)
        transaction.set_rollback(True)
    replay_rules = _changes_rules(report)
    done = _rows(rules)
    progress("apply", done, total)
    for chunk in chunks:
        with transaction.atomic():
            if replay_rules:
                apply_plan(rules, ImportReport(), verified=verified, user=user)
            apply_plan(chunk, report, verified=verified, user=user)
            transaction.set_rollback(True)
        done += _rows(chunk)
        progress("apply", done, total)
    _tidy(report)
    if report.errors:
        report.counts, report.changes = {}, {}
    return report


def apply_workbook(
    fileobj, verified=False, user=None, progress=_quiet, holder=None, apply_removals=False
):
    """Validate again, then write the rules and each chunk in its own transaction: all of it,
    or — when a chunk is refused or fails — nothing (what earlier chunks wrote is taken back,
    `undo.revert`). With `apply_removals` (the user confirmed them) it also deletes what the
    preview listed as removed or cleared.

    Holds the import lease throughout (`serial.holding`), validation included: a second import
    meanwhile is refused (`report.busy`), and the plan is matched against a database no other
    import is writing."""
    report = ImportReport(verified=verified, apply_removals=apply_removals)
    report.busy = report.reverted = False
    try:
        with serial.holding(holder or serial.COMMAND_HOLDER):
            plan, total = _read_and_validate(fileobj, report, progress)
            if not report.errors:
                plan.apply_removals = apply_removals
                _write(plan, report, verified, user, progress, total)
    except serial.ImportBusy as exc:
        report.busy = True
        report.errors.append(RowError("", None, "", exc.message))
    if report.errors:
        report.counts, report.changes = {}, {}
    _tidy(report)
    return report


def plan_years(plan):
    """The years a plan writes: the workbook's year and those of its dates."""
    years = {plan.year}
    for row in [*plan.projects, *plan.investments, *plan.funds]:
        years |= {v.year for v in row.values() if isinstance(v, datetime.date)}
    return years - {None}


def _write(plan, report, verified, user, progress, total):
    rules, chunks = split_plan(plan)
    with transaction.atomic():  # publication and approval in these years wait from now on
        serial.mark_years(plan_years(plan))
    marks = undo.mark()
    done = 0
    try:
        for chunk in [rules, *chunks]:
            with transaction.atomic():
                serial.beat()
                apply_plan(chunk, report, verified=verified, user=user)
                if report.errors:
                    transaction.set_rollback(True)
            if report.errors:
                break
            done += _rows(chunk)
            progress("apply", done, total)
    except BaseException:
        undo.revert(marks, user, report.new_industries)
        raise
    if report.errors:
        undo.revert(marks, user, report.new_industries)
        report.reverted = True


STAMPED = [
    Unit,
    CollaborationGroup,
    GroupMembership,
    AssessmentYear,
    Indicator,
    Target,
    Project,
    CreditShare,
    Milestone,
    MonthlyInvestment,
    FundsEntry,
]


def state_stamp():
    """What, besides the workbook, decides what the import does: every change to the data it
    writes (their history rows), workflow steps (claim events), zero reports and published or
    unlocked quarters (the assessment log). Equal stamps: the preview still holds."""
    stamp = {}
    for model in STAMPED:
        history = getattr(model, "history", None)
        if history is not None:
            stamp[model._meta.label] = history.aggregate(m=Max("history_id"))["m"]
    for model in (ClaimEvent, AssessmentLog, MonthlyReport):
        stamp[model._meta.label] = model.objects.aggregate(m=Max("pk"))["m"]
    stamp["reports"] = MonthlyReport.objects.count()
    return stamp
