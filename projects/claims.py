"""Claims workflow (SPEC §4): who may change a claim, and its transitions.

A claim (Milestone, MonthlyInvestment, FundsEntry) is editable by its unit only while it is a draft
or rejected, and never when its date lies in a published quarter (asked through `projects.locks`:
pass one `Periods` per request or bulk action, so each year is read once).

The workflow is `draft → submitted → reviewed → site_assessed → confirmed → approved`, with
`rejected` (reason required) from any pending step back to the unit. Every step writes a
ClaimEvent (who, when, comment) and a history record of the status change.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from projects import notices, services, steps, verification
from projects.locks import Periods
from projects.models import (
    EDITABLE_STATUSES,
    PENDING_STATUSES,
    ClaimEvent,
    ClaimStatus,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    Project,
)
from units import access
from zhaoshang import guard
from zhaoshang.guarded import trusted

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


def claim_is_locked(claim, periods=None):
    """Read-only for everyone: past the unit's hands, or dated inside a published quarter."""
    periods = periods or Periods()
    return claim.status not in EDITABLE_STATUSES or periods.is_locked(claim.claim_date)


def can_edit_claim(user, claim, periods=None):
    return access.can_edit_unit_data(user, claim.project.unit_id) and not claim_is_locked(
        claim, periods
    )


def site_assessment_enabled(year):
    """Whether the site-assessment step (现场评估) is part of the workflow in `year`: the
    assessment year's setting, on for a year without settings."""
    return Periods().site_assessment(year)


def approver_roles():
    """Roles that may approve (审定) a confirmed claim; settings.CLAIM_APPROVERS, default leader."""
    return set(getattr(settings, "CLAIM_APPROVERS", ("leader",)))


def _is_own_unit_user(user, claim):
    return access.is_unit_user(user) and user.unit_id == claim.project.unit_id


# Forward steps: one person takes at most one of them on a claim (`projects.verification`).
FORWARD = {Action.REVIEW, Action.SITE_ASSESS, Action.CONFIRM, Action.APPROVE}
# What a user of the claim's own unit may ever do with it (SPEC §4, issue 17).
OWN_UNIT_ACTIONS = {Action.SUBMIT, Action.WITHDRAW}


def _may_approve(user, claim):
    if _is_own_unit_user(user, claim):
        return False  # a unit never approves its own claim, whatever the settings say
    return access.is_admin(user) or access.role_of(user) in approver_roles()


def _next_step(claim, periods):
    """The forward action from a pending status, honouring the year's site-assessment switch."""
    status = claim.status
    if status == ClaimStatus.SUBMITTED:
        return Action.REVIEW
    if status == ClaimStatus.REVIEWED:
        if periods.site_assessment(claim.claim_date.year):
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


def allowed_actions(user, claim, periods=None):
    """The actions `user` may take on `claim` now, in display order (SPEC §1, §4)."""
    periods = periods or Periods()
    if not user.is_authenticated or periods.is_locked(claim.claim_date):
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
    step = _next_step(claim, periods)
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
    allowed -= {a for a in allowed if _verification_refusal(user, claim, a, periods)}
    return [a for a in ACTION_ORDER if a in allowed]


def _step_status(claim, action, periods):
    """The status of the step `action` takes (or, for a rejection, would have taken)."""
    if action in FORWARD:
        return TARGET_STATUS[action]
    if action == Action.REJECT:
        step = _next_step(claim, periods)
        return TARGET_STATUS[step] if step else None
    return None


def _verification_refusal(user, claim, action, periods):
    """Why the verification rules refuse `action` (own unit, evidence, separation of duties) as
    (message, forbidden), or None (`projects.verification`)."""
    if verification.own_unit(user, claim) and action not in OWN_UNIT_ACTIONS:
        return "不能办理本单位的申报：本单位只能申报或撤回。", True
    if action in (Action.SUBMIT, Action.APPROVE):
        missing = verification.evidence_missing(claim, periods)
        if missing:
            return missing, False
    if action == Action.SUBMIT and (missing := verification.region_missing(claim, periods)):
        return missing, False
    if action == Action.APPROVE and (flagged := verification.flag_refusal(claim)):
        return flagged, False
    step_status = _step_status(claim, action, periods)
    conflict = verification.duty_conflict(user, claim, step_status, periods)
    if conflict:
        return conflict, True
    return None


def _refusal(user, claim, action, periods):
    if action not in ACTION_LABELS:
        return "未知的操作。"
    if periods.is_locked(claim.claim_date):
        return LOCKED_PERIOD_MESSAGE
    if claim.status == ClaimStatus.APPROVED and action != Action.REOPEN:
        return "该申报已审定，不能再修改；如确需更正，请考核办说明理由后重新打开。"
    refusal = _verification_refusal(user, claim, action, periods)
    if refusal:
        return refusal[0]
    label = ACTION_LABELS[action]
    return f"您无权对状态为“{claim.get_status_display()}”的申报执行“{label}”。"


# Claims written per statement: keeps a tampered selection of thousands under every database's
# limit on query parameters (each claim adds four).
BATCH = 500


def _record(user, moves, comment, record=None):
    """Move each (claim, to_status) if nobody changed it since it was read (its version and
    status) and its period is still open; log each move twice over: a ClaimEvent for the
    timeline, a history record for the audit trail. Inside a transaction; returns (stale,
    locked): the claims someone else moved first, and those whose quarter was published since
    the page was read.

    The lock check is repeated here, inside the write's transaction and after taking the years'
    row locks (`zhaoshang.guard.lock_years`, the lock publishing takes): a publication either
    sees these moves or they see it (issue 15, path 5). The projects of the claims are locked
    too, so a unit's change of a project's basis and the approval of its claims cannot cross.

    Queries per claim type, however many claims: lock and re-read the rows, one conditional
    UPDATE (pk and version must match), one insert of history rows; one insert of events, and
    for returns and approvals the notifications of the claims' units (`projects.notices`).
    `record` (one claim's step only) adds its 认定 and structured record (`projects.steps`);
    a submission clears an earlier 认定.
    """
    now = timezone.now()
    periods = guard.lock_years({claim.claim_date.year for claim, _ in moves})
    # An approval between two chunks of a workbook import would stop it halfway (issue 16).
    approving = {claim.claim_date.year for claim, to in moves if to == ClaimStatus.APPROVED}
    if reason := guard.import_refusal(approving):
        raise ClaimError(reason)
    locked = [claim for claim, _ in moves if periods.is_locked(claim.claim_date)]
    moves = [(claim, to) for claim, to in moves if not periods.is_locked(claim.claim_date)]
    stale, events, moved = [], [], []
    by_model = defaultdict(list)
    for claim, to_status in moves:
        by_model[type(claim)].append((claim, to_status))
    batches = [
        (model, group[start : start + BATCH])
        for model, group in by_model.items()
        for start in range(0, len(group), BATCH)
    ]
    for model, group in batches:
        current = model.objects.select_for_update().in_bulk([claim.pk for claim, _ in group])
        fresh = []
        for claim, to_status in group:
            row = current.get(claim.pk)
            if row is None or row.version != claim.version or row.status != claim.status:
                stale.append(claim)
            else:
                fresh.append((claim, to_status, row))
        if not fresh:
            continue
        project_ids = {row.project_id for _, _, row in fresh}
        list(Project.objects.select_for_update().filter(pk__in=project_ids).values_list("pk"))
        read = Q()
        for claim, _, _ in fresh:
            read |= Q(pk=claim.pk, version=claim.version)
        submitting = all(to == ClaimStatus.SUBMITTED for _, to, _ in fresh)
        written = steps.claim_fields(record, clear=submitting)
        # A move to 已申报 (申报, 重新申报, 重新打开) starts the claim's wait in the queue.
        submitted = [claim.pk for claim, to, _ in fresh if to == ClaimStatus.SUBMITTED]
        if submitted:
            written["submitted_at"] = Case(
                When(pk__in=submitted, then=Value(now)), default=F("submitted_at")
            )
        with trusted("审核流程"):
            rows = model.objects.filter(read).update(
                status=Case(*(When(pk=claim.pk, then=Value(to)) for claim, to, _ in fresh)),
                version=F("version") + 1,
                updated=now,
                **written,
            )
        if rows != len(fresh):
            # Someone wrote between the lock and the update (no row locks, e.g. SQLite): undo
            # this batch; the user retries on a fresh page.
            raise ClaimError(STALE_MESSAGE)
        for claim, to_status, row in fresh:
            events.append(
                ClaimEvent(
                    **{claim_type(claim): row},
                    actor=user,
                    from_status=row.status,
                    to_status=to_status,
                    comment=comment,
                    **steps.event_fields(row, record),
                )
            )
            row.status, row.version, row.updated = to_status, claim.version + 1, now
            claim.status, claim.version, claim.updated = to_status, row.version, now
            for name, value in written.items():
                if name == "submitted_at":
                    value = now if to_status == ClaimStatus.SUBMITTED else row.submitted_at
                setattr(row, name, value)
                setattr(claim, name, value)
            verification.note_step(claim, user, to_status)
            moved.append((claim_type(row), row, claim_label(row)))
        model.history.bulk_history_create(
            [row for _, _, row in fresh],
            update=True,
            default_user=user,
            default_change_reason=comment[:100],
        )
    ClaimEvent.objects.bulk_create(events)
    # Returned and approved claims tell their unit (the e-mail and robots after the commit).
    notices.claims_moved(user, moved, comment)
    # The stage follows verified milestones only: every workflow move may change it.
    services.sync_stages({c.project_id for c, _ in moves if isinstance(c, Milestone)}, user)
    # Counted once (issue 17): duplicates are looked for as claims are submitted.
    from projects.review import counted_once  # it reads the workflow's claim types

    moved = {id(c) for c in stale}
    counted_once.check([c for c, to in moves if to == ClaimStatus.SUBMITTED and id(c) not in moved])
    return stale, locked


def _check(user, claim, action, comment, periods):
    """Raise ClaimError unless `user` may take `action` on `claim` now with this comment."""
    if action not in allowed_actions(user, claim, periods):
        frozen = periods.is_locked(claim.claim_date) or claim.status == ClaimStatus.APPROVED
        refusal = None if frozen else _verification_refusal(user, claim, action, periods)
        forbidden = refusal[1] if refusal else not frozen
        raise ClaimError(_refusal(user, claim, action, periods), forbidden=forbidden)
    if action in REASON_REQUIRED and not comment:
        raise ClaimError(f"“{ACTION_LABELS[action]}”必须填写理由。")
    if action == Action.SUBMIT and isinstance(claim, Milestone) and claim.order_error():
        raise ClaimError(claim.order_error())  # 签约 ≤ 开工 ≤ 竣工, drafts included


def transition(user, claim, action, comment="", version=None, periods=None, record=None):
    """Take `action` on `claim` as `user`; raise ClaimError with a Chinese message if refused.
    `record` is what the step records beyond its comment (认定, 现场评估, 会办确认:
    `projects.steps.StepRecord`), validated by `projects.steps.validate`.

    `version` is the claim version the user saw (a form's hidden field); by default the version of
    the instance passed in. When someone else moved the claim since, the loser is told
    "该申报已被他人处理，请刷新后重试。" — the row lock plus the conditional UPDATE make sure two
    reviewers acting at once cannot both succeed.
    """
    comment = (comment or "").strip()
    read_version = claim.version if version is None else int(version)
    if read_version != claim.version:
        raise ClaimError(STALE_MESSAGE)
    _check(user, claim, action, comment, periods or Periods())
    try:
        steps.validate(claim, action, record)
    except steps.StepError as exc:
        raise ClaimError(exc.message) from exc
    _record_one(user, claim, TARGET_STATUS[action], comment, record)
    return claim


def _record_one(user, claim, to_status, comment, record=None):
    with transaction.atomic():
        stale, locked = _record(user, [(claim, to_status)], comment, record)
        if locked:
            raise ClaimError(LOCKED_PERIOD_MESSAGE)
        if stale:
            raise ClaimError(STALE_MESSAGE)


def force_reject(user, claim, reason, periods=None):
    """Send a claim back to its unit outside the normal steps (a rejected duplicate project).

    Only reviewers; never for claims dated in a published quarter (the caller reports those).
    """
    access.require(access.is_reviewer(user))
    if (periods or Periods()).is_locked(claim.claim_date):
        raise ClaimError(LOCKED_PERIOD_MESSAGE)
    if not (reason or "").strip():
        raise ClaimError("退回必须填写理由。")
    _record_one(user, claim, ClaimStatus.REJECTED, reason.strip())
    return claim


# The verb of a bulk action's summary (issue 22: office wording, "已报送 3 条申报", not
# "成功办理 3 条"); any other action, a forward step among them, is 办理.
BULK_VERBS = {Action.SUBMIT: "报送", Action.REJECT: "退回"}


@dataclass
class BulkResult:
    """What a bulk action did: the claims moved and, for the others, why not."""

    done: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (claim, message)
    verb: str = "办理"

    @property
    def summary(self):
        """'已办理 3 条申报。', '已办理 1 条申报；2 条未能办理，原因如下。' — the reasons follow
        as one message per claim (`failed`)."""
        done, failed = len(self.done), len(self.failed)
        if not failed:
            return f"已{self.verb} {done} 条申报。"
        if not done:
            return f"{failed} 条申报未能{self.verb}，原因如下。"
        return f"已{self.verb} {done} 条申报；{failed} 条未能{self.verb}，原因如下。"


ADVANCE = "advance"  # bulk only: each claim's own next forward step

# Steps that record more than a comment (issue 17, `projects.steps`): a bulk 通过 cannot carry
# their structured fields, so it leaves such a claim where it is and says where to take it.
ON_CLAIM_PAGE_ONLY = {
    Action.SITE_ASSESS: (
        "现场评估须在申报页面逐件办理（填写评估日期、评估人员、评估结果），未批量通过。"
    ),
    Action.CONFIRM: "会办确认须在申报页面逐件办理（填写参加会办部门、会办意见），未批量通过。",
}


def _bulk_step(user, claim, action, comment, periods):
    """The step a bulk action takes on `claim`; ClaimError says why none."""
    if action != ADVANCE:
        _check(user, claim, action, comment, periods)
        if action in ON_CLAIM_PAGE_ONLY:
            raise ClaimError(ON_CLAIM_PAGE_ONLY[action])
        return action
    backwards = {Action.REJECT, Action.WITHDRAW, Action.REOPEN}
    forward = [a for a in allowed_actions(user, claim, periods) if a not in backwards]
    if not forward:
        message = f"状态为“{claim.get_status_display()}”的申报没有您可办理的下一环节。"
        raise ClaimError(message)
    _check(user, claim, forward[0], comment, periods)
    if forward[0] in ON_CLAIM_PAGE_ONLY:
        raise ClaimError(ON_CLAIM_PAGE_ONLY[forward[0]])
    return forward[0]


def act_many(user, claims, action, comment=""):
    """Apply one action (or ADVANCE) with one comment to many claims; a refusal of one claim
    does not stop the others. Returns a BulkResult, in the order the claims came.

    Reads once what every claim needs (their years' locks and site-assessment switches) and writes
    the allowed moves together, so 25 claims cost the queries 5 do.
    """
    comment = (comment or "").strip()
    claims = verification.load_facts(list(claims))
    periods = Periods().read({claim.claim_date.year for claim in claims})
    refused, moves = {}, []
    for claim in claims:
        try:
            step = _bulk_step(user, claim, action, comment, periods)
        except ClaimError as exc:
            refused[id(claim)] = exc.message
        else:
            moves.append((claim, TARGET_STATUS[step]))
    try:
        with transaction.atomic():
            stale, locked = _record(user, moves, comment)
    except ClaimError as exc:  # the whole write refused: every move, with its reason
        refused.update({id(claim): exc.message for claim, _ in moves})
        stale, locked = [], []
    refused.update({id(claim): STALE_MESSAGE for claim in stale})
    refused.update({id(claim): LOCKED_PERIOD_MESSAGE for claim in locked})
    result = BulkResult(verb=BULK_VERBS.get(action, "办理"))
    for claim in claims:
        if id(claim) in refused:
            result.failed.append((claim, refused[id(claim)]))
        else:
            result.done.append(claim)
    return result


def submit_many(user, claims, comment=""):
    """Submit (or resubmit) many of a unit's drafts and rejected claims at once."""
    return act_many(user, claims, Action.SUBMIT, comment)
