"""What the guard refuses of the ledger and of heads in post (registered by `zhaoshang.guard`).

- a confirmed decision (已确认) is frozen: the only change recorded is its withdrawal (status,
  reason, who, when); a withdrawn decision is never changed; neither is deleted — the ledger is
  the record of what was decided;
- a term of a head in post is only validated by its form; it goes through the guard so that the
  change is recorded and cached rankings (escalation may follow the head) are recomputed.
"""

from assessment.models.ledger import DecisionStatus, LedgerDecision
from zhaoshang.guarded import Frozen

CONFIRMED_FROZEN = (
    "该奖惩决定已确认（文号：{}），不能修改或删除；如确需更正，请考核办撤销（填写理由）后重新录入。"
)
WITHDRAWN_FROZEN = "该奖惩决定已撤销，不能再修改或删除。"


def frozen_message(decision):
    if decision.status == DecisionStatus.WITHDRAWN:
        return WITHDRAWN_FROZEN
    return CONFIRMED_FROZEN.format(decision.doc_number or "—")


def _stored(obj):
    if obj.pk is None:
        return None
    return LedgerDecision._base_manager.filter(pk=obj.pk).first()


class LedgerRule:
    def check_save(self, decision):
        stored = _stored(decision)
        if stored is None or stored.status == DecisionStatus.PROPOSED:
            return
        if stored.status == DecisionStatus.CONFIRMED and decision.status == (
            DecisionStatus.WITHDRAWN
        ):
            keep = set(LedgerDecision.WITHDRAW_FIELDS) | {"id"}
            changed = [
                f.attname
                for f in LedgerDecision._meta.concrete_fields
                if f.attname not in keep
                and getattr(stored, f.attname) != getattr(decision, f.attname)
            ]
            if not changed:
                return
        raise Frozen(frozen_message(stored))

    def check_create(self, decisions):
        """A new decision freezes nothing."""

    def check_delete(self, decision):
        stored = _stored(decision) or decision
        if stored.status != DecisionStatus.PROPOSED:
            raise Frozen(frozen_message(stored))


class HeadRule:
    def check_save(self, term):
        pass

    def check_create(self, terms):
        pass

    def check_delete(self, term):
        pass


def register_rules(register):
    from assessment.models.heads import UnitHead

    register(LedgerDecision, LedgerRule())
    register(UnitHead, HeadRule())
