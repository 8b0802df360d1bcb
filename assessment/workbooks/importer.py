"""Import a year from the SPEC §6 workbook: validate everything, then write everything or nothing.

`import_workbook(fileobj, verified=False, dry_run=False, user=None, apply_removals=False)` →
ImportReport. Every bad cell
is reported as sheet / row / column / reason; one error anywhere means nothing is saved. What the
reader skipped or read generously (a title row, a 合计 row, a merged cell, a 说明 sheet) is listed
in the report's notes, in the same shape (`assessment.workbooks.reader`). A dry run
writes inside the transaction and rolls it back, so its counts are exactly what a real run does.

Decisions:
- An unknown 产业 (industry) is created, not refused: past years are migrated into fresh databases
  whose industry list is still empty. New industries are listed in the report (a dry run shows
  them), so a misspelling is seen before anything is saved.
- A group listed in 协作组 gets exactly the members the workbook lists for that year.
- Rows are matched by their stable identity (`assessment.workbooks.identity`): a corrected row
  is an update. What the file no longer has (a cleared date, a funds or monthly row of the
  year gone from its sheet) is listed in the report and deleted only with `apply_removals`
  (the user confirmed it: `--apply-removals`, the job page's checkbox).
- One import writes at a time (`assessment.workbooks.serial`): a second one started meanwhile,
  here or on the web, is refused with a message saying which import is running.
- Verified (approved) figures and figures dated in a published quarter are never changed by an
  import unless it is itself a `--verified` historical import (published quarters: never).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from assessment.workbooks import serial
from assessment.workbooks.apply import apply_plan
from assessment.workbooks.cells import RowError
from assessment.workbooks.reader import read_workbook
from assessment.workbooks.validation import validate


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=dict)
    new_industries: list[str] = field(default_factory=list)
    dry_run: bool = False
    verified: bool = False
    apply_removals: bool = False
    # sheet → {"lines": [first changes, readable Chinese], "more": how many more}
    changes: dict = field(default_factory=dict)
    removal_refusals: int = 0  # listed removals the guard would refuse

    @property
    def ok(self):
        return not self.errors

    def count(self, sheet, what, n=1):
        self.counts.setdefault(sheet, Counter())[what] += n

    def count_rows(self):
        """[(sheet, created, updated, unchanged)] for pages and the command line."""
        return [
            (sheet, c["created"], c["updated"], c["unchanged"]) for sheet, c in self.counts.items()
        ]

    def removed_rows(self):
        """[(sheet, n)] of what is to be removed or cleared (removed, with apply_removals)."""
        return [(sheet, c["removed"]) for sheet, c in self.counts.items() if c["removed"]]


def import_workbook(
    fileobj, verified=False, dry_run=False, user=None, holder=None, apply_removals=False
):
    """Validate the whole workbook, then (if it is clean) write it in one transaction.

    A real import holds the import lease (`assessment.workbooks.serial`) from before it reads
    the database until it has committed: a second import meanwhile is refused, never doubled.
    A dry run writes nothing that stays and needs no lease."""
    report = ImportReport(dry_run=dry_run, verified=verified, apply_removals=apply_removals)
    if dry_run:
        return _import(fileobj, report, verified, user)
    try:
        with serial.holding(holder or serial.COMMAND_HOLDER):
            return _import(fileobj, report, verified, user)
    except serial.ImportBusy as exc:
        report.errors.append(RowError("", None, "", exc.message))
        report.counts = {}
        return report


def _import(fileobj, report, verified, user):
    dry_run = report.dry_run
    sheets = read_workbook(fileobj, report.errors, report.notes)
    plan = validate(sheets, report.errors)
    plan.apply_removals = report.apply_removals
    if report.errors:
        return report
    with transaction.atomic():
        apply_plan(plan, report, verified=verified, user=user)
        if report.errors or dry_run:
            transaction.set_rollback(True)
    if report.errors:
        report.counts, report.changes = {}, {}
    return report
