"""The import's writer: saves with the import's history reason and user, counts what it did into
the report, and puts every write through the write guard (`zhaoshang.guard`): a claim dated in a
published quarter, an approved claim outside a `--verified` import, a verified project's basis
(amounts, category, credit shares), a published year's groups and memberships — each refusal is
reported with its sheet and the object, and rolls the whole import back.

The years' locks are taken in the import's transaction as each year is first met, so an import
and a publication serialise. New claims are inserted in bulk with their history rows and
workflow events; a `--verified` import writes under `zhaoshang.guarded.trusted` (historical data
arrives verified) and never into a published quarter."""

from collections import defaultdict

from django.utils import timezone

from assessment.workbooks.cells import RowError
from projects.locks import Periods
from projects.models import ClaimEvent, ClaimStatus, FundsEntry, Milestone, MonthlyInvestment
from projects.review import counted_once
from zhaoshang import guard
from zhaoshang.guarded import Frozen

VERIFIED_REASON = "导入（历史数据，已审定）"
VERIFIED_EVENT = "历史数据导入"
IMPORT_REASON = "Excel 导入"
BATCH = 500
EVENT_FIELD = {Milestone: "milestone", MonthlyInvestment: "investment", FundsEntry: "funds"}


class Writer:
    def __init__(self, report, verified, user):
        self.report = report
        self.verified = verified
        self.user = user
        self.reason = VERIFIED_REASON if verified else IMPORT_REASON
        self.status = ClaimStatus.APPROVED if verified else ClaimStatus.SUBMITTED
        self.events = []
        self.new_claims = defaultdict(list)
        self.periods = Periods()
        self._locked_years = set()
        self.created_projects = set()  # pks of the projects this import creates
        self.written = []  # claims written since the last flush, for the counted-once check

    def lock(self, *days):
        """Lock the years of `days` (once each) and return the import's Periods."""
        years = {day.year for day in days if day is not None} - self._locked_years
        if years:
            guard.lock_years(years, self.periods)
            self._locked_years |= years
        return self.periods

    def save(self, obj, sheet, created, label="", at=None, columns=None, **kwargs):
        """Save through the guard; False (and the refusal reported) when it refuses. A refusal
        is reported under `sheet`, or at `at` = (sheet, row, column); `columns` names the
        column of a refused field (the guard's `Frozen.field`)."""
        obj._change_reason = self.reason
        if self.user is not None:
            obj._history_user = self.user
        try:
            obj.save(**kwargs)
        except Frozen as exc:
            where, row, column = at or (sheet, None, "")
            column = (columns or {}).get(exc.field, column)
            self.refuse(where, column, f"{label or obj}：{exc.message}", row)
            return False
        self.report.count(sheet, "created" if created else "updated")
        return True

    def delete(self, obj, sheet, label="", at=None):
        """Delete through the guard; a refusal is reported under `sheet`, or at `at` =
        (sheet, row, column)."""
        obj._change_reason = self.reason
        if self.user is not None:
            obj._history_user = self.user
        try:
            obj.delete()
        except Frozen as exc:
            where, row, column = at or (sheet, None, "")
            self.refuse(where, column, f"{label or obj}：{exc.message}", row)
            return False
        return True

    def refuse(self, sheet, column, message, row=None):
        self.report.errors.append(RowError(sheet, row, column, message))

    def claim(self, obj, sheet, created, label, old_date=None, at=None):
        """Create or update a claim unless the guard refuses it (`zhaoshang.guard.claim_refusal`:
        a published quarter; an approved claim outside a `--verified` import). A refusal is
        reported under `sheet`, or at `at` = (sheet, row, column) when the claim's cell is on
        another sheet (milestones are counted as 项目节点 but typed in the 项目 sheet)."""
        where, row, column = at or (sheet, None, "")
        periods = self.lock(obj.claim_date, old_date)
        if not created and old_date is None:
            old_date = obj.claim_date
        old_status = None if created else obj.status
        incoming = obj.status
        obj.status = self.status  # what the import would write
        refusal = guard.claim_refusal(obj, periods, old_day=old_date, old_status=old_status)
        obj.status = incoming
        if refusal:
            self.refuse(where, column, f"{label}：{refusal[0]}", row)
            return
        if error := obj.zero_report_error():  # the data layer's rule, as in the claim forms
            self.refuse(where, column, f"{label}：{error}", row)
            return
        from_status = "" if created else obj.status
        obj.status = self.status
        if self.status == ClaimStatus.SUBMITTED:
            # An imported 已申报 row waits in the review queue from now (issue 21).
            obj.submitted_at = timezone.now()
        if created:
            # New claims are written in bulk by flush(); a year holds thousands of them.
            obj.created_by = self.user
            self.new_claims[type(obj)].append(obj)
            self.report.count(sheet, "created")
            return
        obj.version += 1
        if self.save(obj, sheet, created, label, at=at):
            self.event(obj, from_status)
            self.written.append(obj)

    def event(self, obj, from_status):
        comment = VERIFIED_EVENT if self.verified else IMPORT_REASON
        self.events.append(
            ClaimEvent(
                **{EVENT_FIELD[type(obj)]: obj},
                actor=self.user,
                from_status=from_status,
                to_status=self.status,
                comment=comment,
            )
        )

    def flush(self):
        """Insert new claims with their history rows and workflow events, in batches, and flag
        what the claims written duplicate (`projects.review.counted_once`)."""
        for model, objs in self.new_claims.items():
            model.objects.bulk_create(objs, batch_size=BATCH)
            model.history.bulk_history_create(
                objs, batch_size=BATCH, default_user=self.user, default_change_reason=self.reason
            )
            for obj in objs:
                self.event(obj, "")
            self.written.extend(objs)
        self.new_claims.clear()
        ClaimEvent.objects.bulk_create(self.events, batch_size=BATCH)
        self.events = []
        # Counted once (issue 17): an imported claim is checked as a submitted one is.
        counted_once.check(self.written)
        self.written = []

    def unchanged_claim(self, obj, sheet, label, at=None):
        # A verified re-import of a still-pending claim approves it.
        if self.verified and obj.status != ClaimStatus.APPROVED:
            self.claim(obj, sheet, False, label, at=at)
        else:
            self.report.count(sheet, "unchanged")
