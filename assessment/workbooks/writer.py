"""The import's writer: saves with the import's history reason and user, counts what it did into
the report, and applies the freeze rule to every claim (a claim dated in a locked quarter, or an
approved one outside a `--verified` import, is refused; the refusal rolls the whole import back).
New claims are inserted in bulk with their history rows and workflow events."""

from collections import defaultdict

from assessment.locks import locked_through
from assessment.workbooks.cells import RowError
from projects.models import ClaimEvent, ClaimStatus, FundsEntry, Milestone, MonthlyInvestment

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
        self._locked_through = {}

    def is_locked(self, day):
        """assessment.locks.is_date_locked, with one query per year instead of per claim."""
        if day.year not in self._locked_through:
            self._locked_through[day.year] = locked_through(day.year)
        end = self._locked_through[day.year]
        return end is not None and day <= end

    def save(self, obj, sheet, created, **kwargs):
        obj._change_reason = self.reason
        if self.user is not None:
            obj._history_user = self.user
        obj.save(**kwargs)
        self.report.count(sheet, "created" if created else "updated")

    def refuse(self, sheet, column, message):
        self.report.errors.append(RowError(sheet, None, column, message))

    def claim(self, obj, sheet, created, label, old_date=None):
        """Create or update a claim unless frozen (locked quarter; approved and not verified)."""
        for day in {obj.claim_date, old_date} - {None}:
            if self.is_locked(day):
                self.refuse(sheet, "", f"{label}：所在季度已发布通报并锁定，不能通过导入修改。")
                return
        if error := obj.zero_report_error():  # the data layer's rule, as in the claim forms
            self.refuse(sheet, "", f"{label}：{error}")
            return
        if not created and obj.status == ClaimStatus.APPROVED and not self.verified:
            self.refuse(sheet, "", f"{label}：该数据已审定，不能通过导入修改。")
            return
        from_status = "" if created else obj.status
        obj.status = self.status
        if created:
            # New claims are written in bulk by flush(); a year holds thousands of them.
            obj.created_by = self.user
            self.new_claims[type(obj)].append(obj)
            self.report.count(sheet, "created")
            return
        obj.version += 1
        self.save(obj, sheet, created)
        self.event(obj, from_status)

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
        """Insert new claims with their history rows and workflow events, in batches."""
        for model, objs in self.new_claims.items():
            model.objects.bulk_create(objs, batch_size=BATCH)
            model.history.bulk_history_create(
                objs, batch_size=BATCH, default_user=self.user, default_change_reason=self.reason
            )
            for obj in objs:
                self.event(obj, "")
        self.new_claims.clear()
        ClaimEvent.objects.bulk_create(self.events, batch_size=BATCH)
        self.events = []

    def unchanged_claim(self, obj, sheet, label):
        # A verified re-import of a still-pending claim approves it.
        if self.verified and obj.status != ClaimStatus.APPROVED:
            self.claim(obj, sheet, False, label)
        else:
            self.report.count(sheet, "unchanged")
