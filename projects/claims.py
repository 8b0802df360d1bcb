"""Claims workflow (SPEC §4): who may change a claim, and its transitions.

A claim (Milestone, MonthlyInvestment, FundsEntry) is editable by its unit only while it is a draft
or rejected, and never when its date lies in a published quarter.

The workflow is `draft → submitted → reviewed → site_assessed → confirmed → approved`, with
`rejected` (reason required) from any pending step back to the unit. Every step writes a
ClaimEvent (who, when, comment) and a history record of the status change.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from assessment import locks
from projects.models import (
    EDITABLE_STATUSES,
    PENDING_STATUSES,
    ClaimEvent,
    ClaimStatus,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
)
from units import access

# A claim type's slug is also the name of the ClaimEvent / Evidence foreign key to it.
CLAIM_MODELS = {"milestone": Milestone, "investment": MonthlyInvestment, "funds": FundsEntry}
CLAIM_TYPE_LABELS = {"milestone": "项目节点", "investment": "固定资产投资", "funds": "到位资金"}

STALE_MESSAGE = "该申报已被他人处理，请刷新后重试。"
LOCKED_PERIOD_MESSAGE = "该申报所属季度已发布通报，数据已锁定，不能办理。"


class Action:
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REVIEW = "review"
    SITE_ASSESS = "site_assess"
    CONFIRM = "confirm"
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"


ACTION_LABELS = {
    Action.SUBMIT: "申报",
    Action.WITHDRAW: "撤回",
    Action.REVIEW: "审核通过",
    Action.SITE_ASSESS: "现场评估通过",
    Action.CONFIRM: "会办确认",
    Action.APPROVE: "审定",
    Action.REJECT: "退回",
    Action.REOPEN: "重新打开",
}
# Actions that need a reason in the comment.
REASON_REQUIRED = {Action.REJECT, Action.REOPEN}
# The order buttons appear in: forward steps first, then the way back.
ACTION_ORDER = list(ACTION_LABELS)


class ClaimError(Exception):
    """A transition that may not happen; `message` is shown to the user as is."""

    def __init__(self, message, forbidden=False):
        super().__init__(message)
        self.message = message
        # True when the user's role may never take this step here (a view answers 403);
        # False for refusals of the moment: stale page, locked period, missing reason.
        self.forbidden = forbidden


def claim_type(claim):
    """The slug of a claim instance's type: 'milestone', 'investment' or 'funds'."""
    for slug, model in CLAIM_MODELS.items():
        if isinstance(claim, model):
            return slug
    raise TypeError(f"not a claim: {claim!r}")


def claim_label(claim):
    """签约 / 开工 / 竣工 for milestones, otherwise the claim type's name."""
    if isinstance(claim, Milestone):
        return claim.get_kind_display()
    return CLAIM_TYPE_LABELS[claim_type(claim)]


def is_date_locked(day):
    """Ask the assessment app whether `day` lies in a published quarter (looked up at call time,
    so tests may patch either this function or `assessment.locks.is_date_locked`)."""
    return locks.is_date_locked(day)


def claim_is_locked(claim):
    """Read-only for everyone: past the unit's hands, or dated inside a published quarter."""
    return claim.status not in EDITABLE_STATUSES or is_date_locked(claim.claim_date)


def can_edit_claim(user, claim):
    return access.can_edit_unit_data(user, claim.project.unit_id) and not claim_is_locked(claim)


def site_assessment_enabled(year):
    """Whether the site-assessment step (现场评估) is part of the workflow in `year`.

    Read from the assessment app's year settings when they exist; on by default.
    """
    try:
        from assessment.models import AssessmentYear
    except ImportError:
        return True
    field_names = {f.name for f in AssessmentYear._meta.get_fields()}
    if "site_assessment" not in field_names or "year" not in field_names:
        return True
    value = AssessmentYear.objects.filter(year=year).values_list("site_assessment", flat=True)
    value = value.first()
    return True if value is None else bool(value)


def approver_roles():
    """Roles that may approve (审定) a confirmed claim; settings.CLAIM_APPROVERS, default leader."""
    return set(getattr(settings, "CLAIM_APPROVERS", ("leader",)))


def _is_own_unit_user(user, claim):
    return access.is_unit_user(user) and user.unit_id == claim.project.unit_id


def _may_approve(user, claim):
    if _is_own_unit_user(user, claim):
        return False  # a unit never approves its own claim, whatever the settings say
    return access.is_admin(user) or access.role_of(user) in approver_roles()


def _next_step(claim):
    """The forward action from a pending status, honouring the year's site-assessment switch."""
    status = claim.status
    if status == ClaimStatus.SUBMITTED:
        return Action.REVIEW
    if status == ClaimStatus.REVIEWED:
        if site_assessment_enabled(claim.claim_date.year):
            return Action.SITE_ASSESS
        return Action.CONFIRM
    if status == ClaimStatus.SITE_ASSESSED:
        return Action.CONFIRM
    if status == ClaimStatus.CONFIRMED:
        return Action.APPROVE
    return None


TARGET_STATUS = {
    Action.SUBMIT: ClaimStatus.SUBMITTED,
    Action.WITHDRAW: ClaimStatus.DRAFT,
    Action.REVIEW: ClaimStatus.REVIEWED,
    Action.SITE_ASSESS: ClaimStatus.SITE_ASSESSED,
    Action.CONFIRM: ClaimStatus.CONFIRMED,
    Action.APPROVE: ClaimStatus.APPROVED,
    Action.REJECT: ClaimStatus.REJECTED,
    Action.REOPEN: ClaimStatus.SUBMITTED,
}


def allowed_actions(user, claim):
    """The actions `user` may take on `claim` now, in display order (SPEC §1, §4)."""
    if not user.is_authenticated or is_date_locked(claim.claim_date):
        return []
    status = claim.status
    reviewer = access.is_reviewer(user)
    allowed = set()
    if status in EDITABLE_STATUSES and access.can_edit_unit_data(user, claim.project.unit_id):
        allowed.add(Action.SUBMIT)
    if status == ClaimStatus.SUBMITTED and (
        access.is_admin(user) or (access.is_unit_head(user) and _is_own_unit_user(user, claim))
    ):
        allowed.add(Action.WITHDRAW)
    step = _next_step(claim)
    if step == Action.APPROVE:
        if _may_approve(user, claim):
            allowed.add(Action.APPROVE)
    elif step is not None and reviewer:
        allowed.add(step)
    if status in PENDING_STATUSES and (
        reviewer or (status == ClaimStatus.CONFIRMED and _may_approve(user, claim))
    ):
        allowed.add(Action.REJECT)
    if status == ClaimStatus.APPROVED and reviewer:
        allowed.add(Action.REOPEN)
    return [a for a in ACTION_ORDER if a in allowed]


def _refusal(user, claim, action):
    if action not in ACTION_LABELS:
        return "未知的操作。"
    if is_date_locked(claim.claim_date):
        return LOCKED_PERIOD_MESSAGE
    if claim.status == ClaimStatus.APPROVED and action != Action.REOPEN:
        return "该申报已审定，不能再修改；如确需更正，请考核办说明理由后重新打开。"
    if action == Action.APPROVE and _is_own_unit_user(user, claim):
        return "不能审定本单位的申报。"
    label = ACTION_LABELS[action]
    return f"您无权对状态为“{claim.get_status_display()}”的申报执行“{label}”。"


def _record(user, claim, from_status, to_status, comment, read_version):
    """Move `claim` to `to_status` if nobody changed it since `read_version`; log it twice over:
    a ClaimEvent for the timeline and a history record for the audit trail."""
    model = type(claim)
    current = model.objects.select_for_update().filter(pk=claim.pk).first()
    if current is None or current.version != read_version or current.status != from_status:
        raise ClaimError(STALE_MESSAGE)
    now = timezone.now()
    rows = model.objects.filter(pk=claim.pk, version=read_version).update(
        status=to_status, version=read_version + 1, updated=now
    )
    if rows != 1:
        raise ClaimError(STALE_MESSAGE)
    current.status, current.version, current.updated = to_status, read_version + 1, now
    model.history.bulk_history_create(
        [current], update=True, default_user=user, default_change_reason=comment[:100]
    )
    ClaimEvent.objects.create(
        **{claim_type(claim): current},
        actor=user,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    claim.status, claim.version, claim.updated = to_status, current.version, now


def transition(user, claim, action, comment="", version=None):
    """Take `action` on `claim` as `user`; raise ClaimError with a Chinese message if refused.

    `version` is the claim version the user saw (a form's hidden field); by default the version of
    the instance passed in. When someone else moved the claim since, the loser is told
    "该申报已被他人处理，请刷新后重试。" — the row lock plus the conditional UPDATE make sure two
    reviewers acting at once cannot both succeed.
    """
    comment = (comment or "").strip()
    read_version = claim.version if version is None else int(version)
    if read_version != claim.version:
        raise ClaimError(STALE_MESSAGE)
    if action not in allowed_actions(user, claim):
        frozen = is_date_locked(claim.claim_date) or claim.status == ClaimStatus.APPROVED
        raise ClaimError(_refusal(user, claim, action), forbidden=not frozen)
    if action in REASON_REQUIRED and not comment:
        raise ClaimError(f"“{ACTION_LABELS[action]}”必须填写理由。")
    with transaction.atomic():
        _record(user, claim, claim.status, TARGET_STATUS[action], comment, read_version)
    return claim


def force_reject(user, claim, reason):
    """Send a claim back to its unit outside the normal steps (a rejected duplicate project).

    Only reviewers; never for claims dated in a published quarter (the caller reports those).
    """
    access.require(access.is_reviewer(user))
    if is_date_locked(claim.claim_date):
        raise ClaimError(LOCKED_PERIOD_MESSAGE)
    if not (reason or "").strip():
        raise ClaimError("退回必须填写理由。")
    with transaction.atomic():
        _record(user, claim, claim.status, ClaimStatus.REJECTED, reason.strip(), claim.version)
    return claim


@dataclass
class BulkResult:
    """What a bulk action did: the claims moved and, for the others, why not."""

    done: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (claim, message)

    @property
    def summary(self):
        text = f"成功办理 {len(self.done)} 条"
        if self.failed:
            text += f"，{len(self.failed)} 条未办理"
        return text + "。"


ADVANCE = "advance"  # bulk only: each claim's own next forward step


def act_many(user, claims, action, comment=""):
    """Apply one action (or ADVANCE) with one comment to many claims, each in its own transaction,
    so one refusal does not undo the others. Returns a BulkResult."""
    result = BulkResult()
    for claim in claims:
        step = action
        if action == ADVANCE:
            forward = [
                a
                for a in allowed_actions(user, claim)
                if a not in {Action.REJECT, Action.WITHDRAW, Action.REOPEN}
            ]
            if not forward:
                message = f"状态为“{claim.get_status_display()}”的申报没有您可办理的下一环节。"
                result.failed.append((claim, message))
                continue
            step = forward[0]
        try:
            transition(user, claim, step, comment)
        except ClaimError as exc:
            result.failed.append((claim, exc.message))
        else:
            result.done.append(claim)
    return result


def submit_many(user, claims, comment=""):
    """Submit (or resubmit) many of a unit's drafts and rejected claims at once."""
    return act_many(user, claims, Action.SUBMIT, comment)


def latest_rejection(claim):
    """The most recent rejection event of a claim, or None."""
    return (
        ClaimEvent.objects.filter(**{claim_type(claim): claim}, to_status=ClaimStatus.REJECTED)
        .select_related("actor")
        .order_by("-created", "-pk")
        .first()
    )


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


def visible_claims(user, model):
    """Claims of `model` the user may read. Drafts stay with their own unit until submitted."""
    year_field = "month__year" if model is MonthlyInvestment else "date__year"
    qs = model.objects.filter(
        access.visible_unit_filter(user, field="project__unit", year_field=year_field)
    )
    if not access.is_admin(user):
        own = Q(project__unit_id=user.unit_id) if access.is_unit_user(user) else Q(pk__in=[])
        qs = qs.filter(~Q(status=ClaimStatus.DRAFT) | own)
    return qs
