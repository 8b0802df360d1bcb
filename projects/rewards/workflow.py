"""The reward list's workflow (issue 19 item 4): 拟奖励 → 公示 → 已审定 → 已发放.

- 拟奖励: `compute_list` (re)writes every row from `compute_rewards`; amounts may be adjusted
  (a reason is optional, the change is logged all the same).
- 公示: `publicise` with a period (start ≤ end). From here on every change of an amount needs a
  reason and is logged; recomputing does not overwrite: `differences` lists what a new
  computation would change and `apply_difference` applies one, with its reason.
- 已审定: `approve`, once the 公示 period has ended.
- 已发放: `record_payment` (who paid, the date, the 文号); every row is frozen from then on.

Every function raises `WorkflowError` with a Chinese message for a step that is not allowed; the
rows' own freezing is the guard's (`projects.rewards.guard`), which holds on every path.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from projects.models.rewards import Reward, RewardChange, RewardList, RewardStatus
from projects.rewards.compute import basis_json, compute_rewards
from zhaoshang.guarded import trusted

ZERO = Decimal(0)


class WorkflowError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def list_for(year_obj):
    return RewardList.objects.get_or_create(year=year_obj)[0]


def _expect(reward_list, status, message):
    if reward_list.status != status:
        raise WorkflowError(message)


@transaction.atomic
def compute_list(year_obj, user):
    """拟奖励: the rows as computed now (only while the list is 拟奖励)."""
    reward_list = RewardList.objects.select_for_update().get(pk=list_for(year_obj).pk)
    _expect(reward_list, RewardStatus.DRAFT, "奖励名单已公示，不能重新生成；请核对差异后逐条调整。")
    rows = compute_rewards(year_obj)
    reward_list.rewards.all().delete()
    Reward.objects.bulk_create(
        Reward(
            reward_list=reward_list,
            person=row["person"],
            funds=row["funds"],
            computed_amount=row["amount"],
            amount=row["amount"],
            basis=basis_json(row["basis"]),
        )
        for row in rows
    )
    reward_list.computed = timezone.now()
    reward_list.recorded_by = user
    reward_list.save()
    return reward_list


def _move(reward_list, status, **fields):
    for name, value in fields.items():
        setattr(reward_list, name, value)
    reward_list.status = status
    reward_list.save()
    with trusted("奖励名单流转"):
        reward_list.rewards.update(status=status)


@transaction.atomic
def publicise(reward_list, start, end, user):
    _expect(reward_list, RewardStatus.DRAFT, "只有拟奖励名单可以开始公示。")
    if reward_list.computed is None:
        raise WorkflowError("请先计算拟奖励名单，再开始公示。")
    if end < start:
        raise WorkflowError("公示结束日期不能早于开始日期。")
    _move(reward_list, RewardStatus.PUBLICISED, publicity_start=start, publicity_end=end)


@transaction.atomic
def approve(reward_list, user, today=None):
    _expect(reward_list, RewardStatus.PUBLICISED, "只有公示中的名单可以审定。")
    today = today or timezone.localdate()
    if reward_list.publicity_end and today <= reward_list.publicity_end:
        raise WorkflowError(
            f"公示期至 {reward_list.publicity_end:%Y-%m-%d} 止，公示期满后方可审定。"
        )
    _move(reward_list, RewardStatus.APPROVED, approved=timezone.now(), approved_by=user)


@transaction.atomic
def record_payment(reward_list, paid_by, paid_on, document_no, user):
    _expect(reward_list, RewardStatus.APPROVED, "只有已审定的名单可以登记发放。")
    if not (paid_by or "").strip() or not (document_no or "").strip() or paid_on is None:
        raise WorkflowError("请填写发放经办、发放日期和发放文号。")
    _move(
        reward_list,
        RewardStatus.PAID,
        paid_by=paid_by.strip(),
        paid_on=paid_on,
        document_no=document_no.strip(),
        recorded_by=user,
    )


def _needs_reason(reward_list, reason):
    if reward_list.is_public and not (reason or "").strip():
        raise WorkflowError("名单已公示，调整奖励金额须填写理由。")


@transaction.atomic
def change_amount(reward, amount, reason, user):
    """Set `reward`'s amount, logging old → new (a reason is required from 公示 on)."""
    reward = Reward.objects.select_related("reward_list").get(pk=reward.pk)
    if reward.status == RewardStatus.PAID:
        raise WorkflowError("该奖励已发放，金额不能再修改。")
    if amount is None or amount < 0:
        raise WorkflowError("奖励金额不能为负数。")
    _needs_reason(reward.reward_list, reason)
    if amount == reward.amount:
        return reward
    old = reward.amount
    reward.amount = amount
    with trusted("奖励金额调整"):
        reward.save()
    RewardChange.objects.create(
        reward=reward,
        old_amount=old,
        new_amount=amount,
        reason=(reason or "").strip(),
        changed_by=user,
    )
    return reward


def differences(reward_list, rows=None):
    """[{person, old, new, funds, basis, reward}] where a computation now differs from the list:
    a changed amount, a person newly qualifying (reward None) or no longer qualifying (new 0).
    A row is compared by the amount it was computed at (`computed_amount`), so an amount the
    office adjusted by hand (with its reason) is not a difference until the figures move."""
    rows = compute_rewards(reward_list.year) if rows is None else rows
    stored = {r.person_id: r for r in reward_list.rewards.select_related("person")}
    found = []
    for row in rows:
        reward = stored.pop(row["person_id"], None)
        if reward is None or reward.computed_amount != row["amount"]:
            found.append(
                {
                    "person": row["person"],
                    "old": reward.amount if reward else None,
                    "new": row["amount"],
                    "funds": row["funds"],
                    "basis": row["basis"],
                    "reward": reward,
                }
            )
    for reward in stored.values():
        if reward.computed_amount != 0:
            found.append(
                {
                    "person": reward.person,
                    "old": reward.amount,
                    "new": ZERO,
                    "funds": ZERO,
                    "basis": [],
                    "reward": reward,
                }
            )
    found.sort(key=lambda d: (d["person"].name, d["person"].pk))
    return found


@transaction.atomic
def apply_difference(reward_list, person_id, reason, user):
    """Apply the recomputed figure of one person (with a reason once publicised)."""
    if reward_list.status == RewardStatus.PAID:
        raise WorkflowError("奖励名单已发放，不能再调整。")
    _needs_reason(reward_list, reason)
    match = [d for d in differences(reward_list) if d["person"].pk == person_id]
    if not match:
        raise WorkflowError("该人员的奖励与重新计算结果一致，无需调整。")
    diff = match[0]
    reward = diff["reward"]
    with trusted("奖励重新计算"):
        if reward is None:
            reward = Reward.objects.create(
                reward_list=reward_list,
                person=diff["person"],
                funds=diff["funds"],
                computed_amount=diff["new"],
                amount=diff["new"],
                basis=basis_json(diff["basis"]),
                status=reward_list.status,
            )
            old = ZERO
        else:
            old = reward.amount
            reward.amount = reward.computed_amount = diff["new"]
            reward.funds = diff["funds"]
            reward.basis = basis_json(diff["basis"])
            reward.save()
    RewardChange.objects.create(
        reward=reward,
        old_amount=old,
        new_amount=diff["new"],
        reason=f"重新计算：{(reason or '').strip()}".rstrip("："),
        changed_by=user,
    )
    return reward
