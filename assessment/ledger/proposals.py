"""Proposals from the rules (issue 20 item 1): the ledger's 拟议 rows, generated from results.

- **A year** (`propose_for_year`): from its newest *published* Q4 snapshot — the figures that were
  announced — every unit whose escalation is 批评诫勉 / 黄牌警告 / 建议调整主要负责人 gets that
  decision proposed (the engine counted the consecutive years, by unit or by head in post as the
  year says). Nothing is proposed before Q4 is published.
- **A campaign** (`propose_for_campaign`): once it has ended, from its result over its whole
  period (`assessment.campaigns.services.standing` at its end): R below `sanction_below_rate`
  → 离岗招商; 完成任务 → 表彰（单位） when `commend_on_completion`, 恢复省标工资 when
  `restore_salary_on_completion`.

Idempotent: a proposal is keyed by (year, campaign, unit, kind). Re-running refreshes an
existing 拟议 row's figures, adds what is new and removes rule proposals the result no longer
supports; a confirmed or withdrawn decision is never touched (and its key is not proposed again).
Each proposal records the figures it rests on (`basis`) and the head in post on the day they
stand for. Returns a `Generated` summary for the page's message.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from assessment.engine import STATUS_DONE
from assessment.models import (
    DecisionKind,
    DecisionSource,
    DecisionStatus,
    LedgerDecision,
    Snapshot,
    SnapshotStatus,
    UnitHead,
    head_on,
)
from assessment.models.ledger import ESCALATION_KINDS
from assessment.snapshots import result_of


class NothingToPropose(Exception):
    """The result the rules need is not there yet; `message` says why (Chinese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Generated:
    added: int = 0
    refreshed: int = 0
    removed: int = 0
    kept: int = 0  # keys already confirmed or withdrawn, left alone

    def message(self):
        return (
            f"已按规则生成拟议：新增 {self.added} 条，更新 {self.refreshed} 条，"
            f"移除 {self.removed} 条；已确认或已撤销的 {self.kept} 条未改动。"
        )


def _pct(value):
    return None if value is None else str(value)


def basis_of(entity, source, **extra):
    """The figures a decision rests on, as stored in `LedgerDecision.basis` (JSON-safe)."""
    return {
        "source": source,
        "rank": entity.rank,
        "score": _pct(entity.score),
        "overall": _pct(entity.overall),
        "echelon": entity.echelon,
        "status": entity.status,
        "escalation": entity.escalation,
        "years_not_completed": entity.years_not_completed,
        **extra,
    }


def published_q4(year):
    return (
        Snapshot.objects.filter(year=year, quarter=4, status=SnapshotStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )


def year_wanted(year):
    """{(unit_id, kind): (reason, basis)} the year's published Q4 supports."""
    snapshot = published_q4(year)
    if snapshot is None:
        raise NothingToPropose(f"{year.year} 年度第四季度尚未发布，暂不能按问责规则生成拟议。")
    result = result_of(snapshot)
    wanted = {}
    for e in result.units:
        kind = ESCALATION_KINDS.get(e.escalation)
        if kind is None:
            continue
        reason = (
            f"{year.year}年度总体完成率 {e.overall}%，连续 {e.years_not_completed} 年未完成任务"
        )
        source = f"{year.year}年第四季度考核结果（第{snapshot.version}版）"
        wanted[(e.id, kind)] = (reason, basis_of(e, source, snapshot=snapshot.pk))
    return wanted, datetime.date(year.year, 12, 31)


def campaign_wanted(campaign, today):
    from assessment.campaigns.services import standing

    if today <= campaign.end:
        raise NothingToPropose(f"会战“{campaign.name}”尚未结束，结束后再按规则生成拟议。")
    result = standing(campaign, today=campaign.end).result
    wanted = {}
    rate = campaign.sanction_below_rate
    source = f"{campaign.name}最终结果（{campaign.start:%Y-%m-%d}至{campaign.end:%Y-%m-%d}）"
    for e in result.units if result is not None else []:
        if e.overall is None:
            continue
        base = basis_of(e, source, campaign=campaign.pk)
        done = e.status == STATUS_DONE
        if rate is not None and e.overall < rate:
            reason = f"会战结束时总体完成率 {e.overall}%，低于 {rate.normalize():f}%"
            wanted[(e.id, DecisionKind.OFF_POST)] = (reason, base)
        if done and campaign.commend_on_completion:
            reason = f"会战结束时总体完成率 {e.overall}%，完成会战任务"
            wanted[(e.id, DecisionKind.COMMEND_UNIT)] = (reason, base)
        if done and campaign.restore_salary_on_completion:
            reason = f"会战结束时总体完成率 {e.overall}%，完成会战任务，恢复缓发的省标工资"
            wanted[(e.id, DecisionKind.RESTORE_SALARY)] = (reason, base)
    return wanted, campaign.end


def propose_for_year(year):
    wanted, day = year_wanted(year)
    return _write(year, None, wanted, day)


def propose_for_campaign(campaign, today=None):
    from django.utils import timezone

    wanted, day = campaign_wanted(campaign, today or timezone.localdate())
    return _write(campaign.year, campaign, wanted, day)


@transaction.atomic
def _write(year, campaign, wanted, day):
    out = Generated()
    existing = LedgerDecision.objects.filter(
        year=year, campaign=campaign, source=DecisionSource.RULE
    )
    if campaign is None:
        existing = existing.filter(kind__in=list(ESCALATION_KINDS.values()))
    by_key = {}
    for decision in existing:
        by_key.setdefault((decision.unit_id, decision.kind), []).append(decision)
    unit_ids = {unit_id for unit_id, _kind in wanted}
    terms = list(UnitHead.objects.filter(unit_id__in=unit_ids))
    for key, (reason, basis) in wanted.items():
        rows = by_key.pop(key, [])
        if any(not d.is_proposed for d in rows):
            out.kept += 1
            continue
        head = head_on(terms, key[0], day)
        if rows:
            decision = rows[0]
            head_id = head.pk if head else None
            if decision.reason != reason or decision.basis != basis or decision.head_id != head_id:
                decision.reason, decision.basis, decision.head = reason, basis, head
                decision.save()
                out.refreshed += 1
            continue
        LedgerDecision.objects.create(
            year=year,
            campaign=campaign,
            unit_id=key[0],
            kind=key[1],
            reason=reason,
            basis=basis,
            head=head,
            status=DecisionStatus.PROPOSED,
            source=DecisionSource.RULE,
        )
        out.added += 1
    for rows in by_key.values():  # proposals the result no longer supports
        for decision in rows:
            if decision.is_proposed:
                decision.delete()
                out.removed += 1
            else:
                out.kept += 1
    return out
