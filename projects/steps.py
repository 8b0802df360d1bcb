"""What a reviewer records with a step beyond its comment (SPEC §4, issue 17).

- **认定** at 审核 or 现场评估: the recognised amount (认定金额, at most the claimed amount) of a
  funds or monthly-investment claim, or 不予认定 (any claim, milestones included: a 不予认定
  milestone does not count), with a reason whenever the office recognises something other than
  the claim. The claimed amount stays on the claim; the recognised one is stored beside it
  (`Claim.recognised_amount`, `not_recognised`, `recognition_reason`) and is what the engine
  counts (`projects.models.counted_amount`). Each step's event keeps the claimed and the
  recognised figure it saw, so the timeline and the history show both. A resubmission starts
  afresh: the unit's corrected claim is recognised as claimed until a step says otherwise.
- **现场评估** records the visit's date, the inspectors and the result (photos are evidence files
  of kind 现场照片 attached with the step); **会办确认** records the departments present and the
  decision. They are kept in the step's event (`ClaimEvent.details`), shown on the claim page
  and carried into the 佐证明细 lines.

`validate` is the one rule for every path that records a step; it raises `StepError`. The
fields of 现场评估 and 会办确认 are required on every path (the claim page, a bulk action, a
programmatic transition): a step without them is refused, never recorded bare. The review
queue's bulk 通过 does not take those two steps at all (`projects.claims.ON_CLAIM_PAGE_ONLY`):
an office records one visit or one 会办 per claim, so the same date, inspectors and result
stamped on twenty claims at once would be the kind of paper verification issue 17 is against.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from projects.models import Milestone

RECOGNISING_ACTIONS = {"review", "site_assess"}
SITE_FIELDS = {"visit_date": "评估日期", "inspectors": "评估人员", "result": "评估结果"}
CONFIRM_FIELDS = {"departments": "参加会办部门", "decision": "会办意见"}
DETAIL_LABELS = {**SITE_FIELDS, **CONFIRM_FIELDS, "photos": "现场照片"}


class StepError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class StepRecord:
    """What one step records besides its comment; empty for a plain step."""

    recognised_amount: Decimal | None = None
    not_recognised: bool = False
    reason: str = ""
    details: dict = field(default_factory=dict)

    @property
    def recognises(self):
        return self.recognised_amount is not None or self.not_recognised


def validate(claim, action, record, today=None):
    """Raise StepError unless `record` may go with `action` on `claim`."""
    if record is None:
        record = StepRecord()
    if record.recognises:
        _validate_recognition(claim, action, record)
    if action == "site_assess":
        _require(record.details, SITE_FIELDS, "现场评估")
        visit = record.details.get("visit_date")
        if isinstance(visit, str):
            try:
                visit = datetime.date.fromisoformat(visit)
            except ValueError as exc:
                raise StepError("评估日期格式不对。") from exc
        if visit > (today or datetime.date.today()):
            raise StepError("评估日期不能晚于今天。")
    if action == "confirm":
        _require(record.details, CONFIRM_FIELDS, "会办确认")


def _require(details, fields, step):
    missing = [label for key, label in fields.items() if not str(details.get(key) or "").strip()]
    if missing:
        raise StepError(f"{step}须填写：{'、'.join(missing)}。")


def _validate_recognition(claim, action, record):
    if action not in RECOGNISING_ACTIONS:
        raise StepError("只有审核或现场评估环节可以认定金额或不予认定。")
    if record.recognised_amount is not None and record.not_recognised:
        raise StepError("不能同时填写认定金额和选择不予认定。")
    amount = record.recognised_amount
    if amount is not None:
        if isinstance(claim, Milestone):
            raise StepError("项目节点不设认定金额；如不予认定，请选择“不予认定”。")
        if amount < 0:
            raise StepError("认定金额不能为负数。")
        if amount > claim.amount:
            raise StepError(f"认定金额不能高于申报金额（{claim.amount} 万元）。")
    differs = record.not_recognised or amount != getattr(claim, "amount", None)
    if differs and not record.reason.strip():
        raise StepError("认定金额低于申报金额或不予认定时，必须填写认定理由。")


def claim_fields(record, clear=False):
    """The claim columns a step writes: its 认定, or (a resubmission, `clear`) none left."""
    if clear:
        return {"recognised_amount": None, "not_recognised": False, "recognition_reason": ""}
    if record is None or not record.recognises:
        return {}
    return {
        "recognised_amount": record.recognised_amount,
        "not_recognised": record.not_recognised,
        "recognition_reason": record.reason.strip(),
    }


def event_fields(claim, record):
    """The ClaimEvent columns a step writes beside actor, statuses and comment."""
    fields = {"claimed_amount": getattr(claim, "amount", None)}
    if record is not None:
        details = {k: str(v) for k, v in record.details.items() if str(v or "").strip()}
        fields["details"] = details
        if record.recognises:
            fields["recognised_amount"] = record.recognised_amount
            fields["not_recognised"] = record.not_recognised
    return fields
