"""The one write guard (issue 15, SPEC §5): what is frozen, refused under every write path.

`zhaoshang.guarded` hooks every save, delete, bulk create and bulk update of the models below;
this module says what each may not do. The questions themselves (which days are locked, whether a
project's basis is frozen, whether a year is published) stay where they were decided —
`projects.locks` and `assessment.locks` — and forms ask them first to put a message beside the
field. What the guard refuses:

- **Claims** (签约/开工/竣工, 固定资产投资, 到位资金): nothing dated in a published quarter is
  created, changed, moved into or out of it, or deleted; an approved claim is changed or deleted
  only by a recorded path (the workflow reopens it with a reason; the verified import of
  historical data) and only such a path sets a claim approved.
- **Evidence** of a frozen claim is neither attached nor removed.
- **A project's assessment basis** (`projects.locks.ASSESSMENT_BASIS_FIELDS`, credit shares,
  introducers) once any of its claims is verified; a project with verified claims is never
  deleted (terminate it instead).
- **A published year's configuration**: its rules, indicators (weights) and targets while the
  rules are locked (`AssessmentYear.rules_locked`: a recorded unlock lifts it); its score
  adjustments (none added once the whole year is sealed, none changed or removed while any quarter
  is published); its groups' year, name and lead unit, and its memberships.

Serialising with publication: every check first takes the row lock of the years it asks about
(`lock_years`), the same lock publishing and computing take (`assessment.snapshots`), inside the
write's transaction — so a write either commits before a publication reads the data, or sees the
publication and is refused. On SQLite every write transaction is IMMEDIATE, which serialises them
anyway. Lock order everywhere: years, then claims, then projects.

While a workbook import writes (`assessment.workbooks.serial`), the years it has touched are
marked on its lease in the same transactions, and `import_refusal` is the one answer every path
that would stop it halfway (publication, computation, unlock, approval) asks.
"""

from django.db import transaction

from assessment import locks as assessment_locks
from assessment.models import (
    AssessmentYear,
    Indicator,
    RecognitionExclusion,
    ScoreAdjustment,
    Target,
)
from assessment.workbooks import serial
from projects import locks
from projects.models import (
    ClaimStatus,
    CreditShare,
    Evidence,
    FundsEntry,
    Introducer,
    Milestone,
    MonthlyInvestment,
    NewnessOverride,
    Project,
)
from projects.models.rewards import Reward
from projects.rewards.guard import RewardRowRule
from units.models import CollaborationGroup, GroupMembership
from zhaoshang.guarded import Frozen, is_building, is_trusted, register

APPROVED_MESSAGE = (
    "该申报已审定，不能直接修改或删除；如确需更正，请考核办在审核流程中说明理由后重新打开。"
)
APPROVE_OUTSIDE_WORKFLOW = "申报只能通过审核流程审定。"
EVIDENCE_FROZEN = "该申报已审定或所在季度已发布，佐证材料不能增删。"
PROJECT_DELETE_REFUSED = (
    "项目“{}”已有审定的申报，不能删除；如项目不再推进，请将其终止（填写终止原因）。"
)
RULES_LOCKED = (
    "{} 年度已有发布的季度，考核规则、指标和目标已锁定；"
    "如确需修改，请在考核年度页面说明理由解锁后再改。"
)
ADJUSTMENT_CLOSED = "{} 年度已发布的季度已计入加减分，不能新增、修改或删除。"
GROUP_FROZEN = "{} 年已有发布的季度，协作组的年度、名称、牵头单位和成员不能修改。"
GROUP_FIELDS = ("year", "name", "lead_unit_id")
NEWNESS_FROZEN = (
    "项目“{}”{} 年度的新引进/结转属于考核口径：该项目已有审定的申报或该年度已有发布的季度，"
    "不能修改；如确需更正，请联系考核办将相关申报退回或解锁后再改。"
)
# The basis fields stored on the project row (新引进/结转 is a per-year row of its own).
BASIS_COLUMNS = set(locks.ASSESSMENT_BASIS_FIELDS)


def lock_years(years, periods=None):
    """Take the row locks of `years` (as publishing does) and read their locks afresh: a
    `projects.locks.Periods` that is true for the rest of the transaction. Pass `periods` to
    add the years to one already read (each year is locked before it is first read)."""
    years = sorted({y for y in years if y is not None})
    if years and _row_locks():
        list(AssessmentYear.objects.select_for_update().filter(year__in=years).values_list("pk"))
    if years and serial.is_holding():  # a workbook import: these years are being imported
        serial.mark_years(years)
    periods = periods or locks.Periods()
    for year in years:  # one query a year; the workflow switches are not the guard's business
        periods.locked_through(year)
    return periods


def import_refusal(years):
    """Why publishing, computing, unlocking or approving in `years` must wait for the workbook
    import now writing them (`assessment.workbooks.serial`), or None. Asked after the years'
    locks are taken (`lock_years`), so an import's chunk either committed its mark first or
    runs after this act and sees it. The chunked import is thus never refused halfway by such
    an act: it stays all or nothing (issue 16)."""
    return serial.refusal(years)


def _row_locks():
    """Whether row locks can be taken here. SQLite has none, and needs none: its write
    transactions are IMMEDIATE, so the whole check-then-write runs alone."""
    connection = transaction.get_connection()
    return connection.features.has_select_for_update and connection.in_atomic_block


def _stored(obj):
    """The row as stored, locked for the rest of the transaction; None for a new object."""
    if obj.pk is None:
        return None
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    return (rows.select_for_update() if _row_locks() else rows).first()


class ClaimRule:
    def check_save(self, claim):
        # The stored row names the years to lock (lock order: years, then the claim); where
        # rows can be locked it is read again under its lock.
        old = type(claim)._base_manager.filter(pk=claim.pk).first() if claim.pk else None
        day = type(claim)._meta.get_field(claim.claim_date_field).to_python(claim.claim_date)
        old_day = None if old is None else old.claim_date
        periods = lock_years({getattr(d, "year", None) for d in (day, old_day)})
        if old is not None and _row_locks():
            old = _stored(claim)
        self._refuse(claim, old, periods)

    def check_create(self, claims):
        periods = lock_years({c.claim_date.year for c in claims if c.claim_date})  # dates here
        for claim in claims:
            self._refuse(claim, None, periods)

    def check_delete(self, claim):
        periods = lock_years({claim.claim_date.year} if claim.claim_date else set())
        refusal = claim_delete_refusal(claim, periods)
        # A recorded path only may delete an approved claim: taking back a failed import's
        # approved historical figures (`assessment.workbooks.undo`).
        if refusal == APPROVED_MESSAGE and is_trusted():
            refusal = None
        if refusal:
            raise Frozen(refusal)

    def _refuse(self, claim, old, periods):
        refusal = claim_refusal(
            claim,
            periods,
            old_day=None if old is None else old.claim_date,
            old_status=None if old is None else old.status,
        )
        if refusal:
            raise Frozen(*refusal)


def claim_refusal(claim, periods, old_day=None, old_status=None):
    """Why writing `claim` is refused, as (message, field), or None. `old_day` and `old_status`
    are the stored row's (None for a new claim); `periods` holds the years' locks, taken with
    `lock_years` in the write's transaction. The workbook import asks this row by row, with one
    `periods` for the whole workbook, to say where in the file a refusal comes from."""
    field = claim.claim_date_field
    day = type(claim)._meta.get_field(field).to_python(claim.claim_date)  # a form's string
    if periods.is_locked(old_day) or periods.is_locked(day):
        return locks.LOCKED_DATE_MESSAGE, field
    if old_status == ClaimStatus.APPROVED and not is_trusted():
        return APPROVED_MESSAGE, None
    approving = claim.status == ClaimStatus.APPROVED and old_status != ClaimStatus.APPROVED
    if approving and not is_trusted():
        return APPROVE_OUTSIDE_WORKFLOW, None
    return None


def claim_delete_refusal(claim, periods):
    """Why deleting `claim` is refused, or None: dated in a published quarter, or approved.
    The workbook import asks it for the removals it lists, with the import's `periods`."""
    if periods.is_locked(claim.claim_date):
        return locks.LOCKED_DATE_MESSAGE
    if claim.status == ClaimStatus.APPROVED:
        return APPROVED_MESSAGE
    return None


class EvidenceRule:
    def _check(self, evidence):
        claim = evidence.claim
        if claim is None:
            return
        periods = lock_years({claim.claim_date.year})
        if periods.is_locked(claim.claim_date) or (claim.is_approved and not is_building()):
            raise Frozen(EVIDENCE_FROZEN)

    def check_save(self, evidence):
        if evidence.pk is None:  # moving the stored file of an existing row changes no figure
            self._check(evidence)

    def check_create(self, items):
        for evidence in items:
            self._check(evidence)

    def check_delete(self, evidence):
        self._check(evidence)


def _basis_frozen(project_id):
    """`projects.locks.basis_frozen`, with the project's row locked: an approval (which locks
    the projects of the claims it moves) and a change of the basis cannot cross."""
    if is_building():
        return False
    rows = Project._base_manager.filter(pk=project_id)
    project = (rows.select_for_update() if _row_locks() else rows).first()
    return project is not None and locks.basis_frozen(project)


class ProjectRule:
    def check_save(self, project):
        if project.pk is None:
            return
        fields = [f.attname for f in Project._meta.concrete_fields if f.name in BASIS_COLUMNS]
        stored = Project._base_manager.filter(pk=project.pk).values(*fields).first()
        if stored is None:
            return
        changed = [name for name in fields if stored[name] != getattr(project, name)]
        if changed and _basis_frozen(project.pk):
            raise Frozen(locks.BASIS_LOCKED_MESSAGE, changed[0].removesuffix("_id"))

    def check_create(self, projects):
        """New projects have no verified claims."""

    def check_delete(self, project):
        if not is_building() and not locks.project_deletable(project):
            raise Frozen(PROJECT_DELETE_REFUSED.format(project.name))


class BasisRowRule:
    """Credit shares and introducers: part of the basis of their project."""

    def __init__(self, message):
        self.message = message

    def check_save(self, row):
        if row.project_id and _basis_frozen(row.project_id):
            raise Frozen(self.message)

    def check_create(self, rows):
        for project_id in {row.project_id for row in rows}:
            if _basis_frozen(project_id):
                raise Frozen(self.message)

    check_delete = check_save


class NewnessRule:
    """新引进/结转 of a year (`projects.newness`): part of the project's basis, and a figure of
    its year — frozen once any of the project's claims is verified or the year is published."""

    def check_save(self, override):
        years = {override.year, _stored_value(NewnessOverride, override, "year")} - {None}
        for year in sorted(years):
            if _published(year) or _basis_frozen(override.project_id):
                raise Frozen(NEWNESS_FROZEN.format(override.project, year), "is_new")

    def check_create(self, overrides):
        for override in overrides:
            self.check_save(override)

    check_delete = check_save


def _year_row(year):
    """The AssessmentYear of number `year`, locked; None when the year has no settings."""
    rows = AssessmentYear._base_manager.filter(year=year)
    return (rows.select_for_update() if _row_locks() else rows).first()


def _rules_locked(year_number):
    lock_years({year_number})
    year = _year_row(year_number)
    return year is not None and year.rules_locked()


class YearRule:
    # Not rules: the recorded unlock switch itself, the free-text note, and the workflow's
    # settings — whether it has the site-assessment step, which evidence a submission needs,
    # whether steps need different people (issue 17). They decide who may act next, never a
    # figure already counted, so a published year may still tighten them.
    FREE = {"id", "rules_unlocked", "note", "site_assessment", "evidence_rules", "separate_duties"}

    def check_save(self, year):
        if year.pk is None:
            return
        stored = _stored(year)
        if stored is None:
            return
        changed = [
            f.attname
            for f in AssessmentYear._meta.concrete_fields
            if f.attname not in self.FREE and getattr(stored, f.attname) != getattr(year, f.attname)
        ]
        if changed and stored.rules_locked():
            raise Frozen(RULES_LOCKED.format(stored.year), changed[0])

    def check_create(self, years):
        """A new year has nothing published."""

    def check_delete(self, year):
        if assessment_locks.year_is_published(year.year):
            raise Frozen(RULES_LOCKED.format(year.year))


class YearConfigRule:
    """Indicators and targets: frozen with their year's rules. `years_of(objs)` names the year
    numbers a write of `objs` touches (an object moved between years touches both), in a fixed
    number of queries however many objects."""

    def __init__(self, years_of):
        self.years_of = years_of

    def check_save_many(self, objs):
        for year in sorted(self.years_of(objs)):
            if _rules_locked(year):
                raise Frozen(RULES_LOCKED.format(year))

    def check_save(self, obj):
        self.check_save_many([obj])

    check_create = check_delete_many = check_save_many
    check_delete = check_save


def _indicator_years(indicators):
    years = {i.year.year for i in indicators if i.year_id}
    stored = [i.pk for i in indicators if i.pk is not None]
    if stored:
        rows = Indicator._base_manager.filter(pk__in=stored).values_list("year__year", flat=True)
        years |= set(rows)
    return years


def _target_years(targets):
    indicator_ids = {t.indicator_id for t in targets}
    stored = [t.pk for t in targets if t.pk is not None]
    if stored:
        rows = Target._base_manager.filter(pk__in=stored).values_list("indicator_id", flat=True)
        indicator_ids |= set(rows)
    rows = Indicator._base_manager.filter(pk__in=indicator_ids - {None})
    return set(rows.values_list("year__year", flat=True))


def _exclusion_years(entries):
    """The years a write of 不予认定清单 entries touches (an entry moved touches both)."""
    years = {e.year.year for e in entries if e.year_id}
    stored = [e.pk for e in entries if e.pk is not None]
    if stored:
        rows = RecognitionExclusion._base_manager.filter(pk__in=stored)
        years |= set(rows.values_list("year__year", flat=True))
    return years


def _stored_value(model, obj, attname):
    if obj.pk is None:
        return None
    return model._base_manager.filter(pk=obj.pk).values_list(attname, flat=True).first()


class AdjustmentRule:
    def check_save(self, adjustment):
        year = adjustment.year.year
        lock_years({year})
        if adjustment.pk is None:
            if assessment_locks.adjustments_closed(year):
                raise Frozen(ADJUSTMENT_CLOSED.format(year))
        elif assessment_locks.year_is_published(year):
            raise Frozen(ADJUSTMENT_CLOSED.format(year))

    def check_create(self, adjustments):
        for adjustment in adjustments:
            self.check_save(adjustment)

    def check_delete(self, adjustment):
        year = adjustment.year.year
        lock_years({year})
        if assessment_locks.year_is_published(year):
            raise Frozen(ADJUSTMENT_CLOSED.format(year))


def _published(year):
    lock_years({year})
    return assessment_locks.year_is_published(year)


class GroupRule:
    """A group's year, name and lead unit decide how its members' figures are reported; its
    leader's name and title and its sort order only label it and stay editable."""

    def check_save(self, group):
        stored = _stored(group)
        if stored is not None and _published(stored.year):
            changed = [f for f in GROUP_FIELDS if getattr(stored, f) != getattr(group, f)]
            if changed:
                raise Frozen(GROUP_FROZEN.format(stored.year), changed[0].removesuffix("_id"))
        if (stored is None or stored.year != group.year) and _published(group.year):
            raise Frozen(GROUP_FROZEN.format(group.year), "year")

    def check_create(self, groups):
        for group in groups:
            self.check_save(group)

    def check_delete(self, group):
        if _published(group.year):
            raise Frozen(GROUP_FROZEN.format(group.year))


class MembershipRule:
    def _year(self, membership):
        return membership.group.year if membership.group_id else membership.year

    def check_save(self, membership):
        years = {self._year(membership), _stored_value(GroupMembership, membership, "year")}
        for year in sorted(y for y in years if y is not None):
            if _published(year):
                raise Frozen(GROUP_FROZEN.format(year), "members")

    def check_create(self, memberships):
        for membership in memberships:
            self.check_save(membership)

    def check_delete(self, membership):
        if _published(membership.year):
            raise Frozen(GROUP_FROZEN.format(membership.year), "members")


def register_rules():
    """Called once when the apps are ready (`projects.apps.ProjectsConfig.ready`)."""
    claims = ClaimRule()
    for model in (Milestone, MonthlyInvestment, FundsEntry):
        register(model, claims)
    register(Evidence, EvidenceRule())
    register(Project, ProjectRule())
    register(CreditShare, BasisRowRule(locks.SHARES_LOCKED_MESSAGE))
    register(Introducer, BasisRowRule(locks.INTRODUCERS_LOCKED_MESSAGE))
    register(NewnessOverride, NewnessRule())
    register(AssessmentYear, YearRule())
    register(Indicator, YearConfigRule(_indicator_years))
    register(Target, YearConfigRule(_target_years))
    register(RecognitionExclusion, YearConfigRule(_exclusion_years))
    register(ScoreAdjustment, AdjustmentRule())
    register(CollaborationGroup, GroupRule())
    register(GroupMembership, MembershipRule())
    # The ledger of rewards and sanctions and heads in post (issue 20).
    from assessment.ledger.rules import register_rules as register_ledger_rules

    register_ledger_rules(register)
    # 周报/旬报 of a campaign, frozen once their period's 简报 is issued (issue 20 item 4).
    from assessment.campaigns.reports import register_guard

    register_guard(register)
    register(Reward, RewardRowRule())
