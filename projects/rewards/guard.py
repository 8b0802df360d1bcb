"""The guard's rule for reward rows (registered in `zhaoshang.guard.register_rules`).

- a paid (已发放) row is frozen: no change, no deletion;
- from 公示 on, an amount changes (and a row is added or removed) only through the recorded
  path `projects.rewards.workflow` — which writes the reason into a `RewardChange` in the same
  transaction — so the admin or a shell cannot change a publicised amount without a reason.
"""

from projects.models.rewards import Reward, RewardList, RewardStatus
from zhaoshang.guarded import Frozen, is_trusted

PAID_FROZEN = "该奖励已发放，金额不能再修改或删除。"
REASON_NEEDED = "奖励名单已公示，金额只能在奖励名单页面填写调整理由后修改（调整记录留存）。"
DELETE_REFUSED = "奖励名单已公示，奖励记录不能删除；如不予奖励，请填写理由将金额调整为 0。"


def _stored(reward):
    if not reward.pk:
        return None
    return Reward.objects.filter(pk=reward.pk).values("amount", "status").first()


def save_refusal(reward):
    """The guard's message for saving `reward` as it is, or None."""
    stored = _stored(reward)
    if stored is None:
        status = RewardList.objects.filter(pk=reward.reward_list_id).values_list("status")
        list_status = status.first()
        if list_status and list_status[0] != RewardStatus.DRAFT and not is_trusted():
            return REASON_NEEDED
        return None
    if stored["status"] == RewardStatus.PAID:
        return PAID_FROZEN
    if stored["status"] != RewardStatus.DRAFT and stored["amount"] != reward.amount:
        return None if is_trusted() else REASON_NEEDED
    return None


class RewardRowRule:
    def check_save(self, reward):
        message = save_refusal(reward)
        if message:
            raise Frozen(message, "amount")

    def check_create(self, rewards):
        for reward in rewards:
            self.check_save(reward)

    def check_delete(self, reward):
        stored = _stored(reward)
        if stored is None:
            return
        if stored["status"] == RewardStatus.PAID:
            raise Frozen(PAID_FROZEN, "amount")
        if stored["status"] != RewardStatus.DRAFT and not is_trusted():
            raise Frozen(DELETE_REFUSED, "amount")
