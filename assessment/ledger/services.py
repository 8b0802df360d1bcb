"""Ledger services: who reads and acts, the lists, confirming, withdrawing, recording, export.

Access (issue 20): only the assessment office (考核办, `access.is_reviewer`) generates, confirms,
withdraws and records; leaders (and the office) read every decision, proposals included; a
unit's users read their own unit's *confirmed* decisions only — a proposal is not a decision,
and a withdrawn one was never in force.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessment.models import DecisionStatus, LedgerDecision, UnitHead, head_on
from units import access

EXPORT_HEADERS = [
    "年度",
    "会战",
    "单位",
    "人员",
    "奖惩类别",
    "状态",
    "决定日期",
    "文号",
    "事由",
    "时任主要负责人",
    "排名",
    "得分",
    "总体完成率（%）",
    "方阵",
    "连续未完成年数",
    "确认人",
    "撤销理由",
]


def can_act(user):
    return access.is_reviewer(user)


def visible_decisions(user):
    qs = LedgerDecision.objects.select_related(
        "year", "campaign", "unit", "person", "head", "head__person", "confirmed_by"
    )
    if access.sees_everything(user):
        return qs
    if not access.is_unit_user(user) or not user.unit_id:
        return qs.none()
    return qs.filter(unit_id=user.unit_id, status=DecisionStatus.CONFIRMED)


def unit_history(user, unit):
    """A unit's decisions the user may read, newest first (one query)."""
    return list(
        visible_decisions(user).filter(unit=unit).order_by("-year__year", "-decided_on", "-pk")
    )


def head_for(unit_id, day):
    return head_on(list(UnitHead.objects.filter(unit_id=unit_id).on(day)), unit_id, day)


@transaction.atomic
def confirm(decision, user, decided_on, doc_number, reason=None):
    decision.status = DecisionStatus.CONFIRMED
    decision.decided_on = decided_on
    decision.doc_number = doc_number.strip()
    if reason:
        decision.reason = reason
    decision.confirmed_by = user
    decision.confirmed_at = timezone.now()
    decision.save()
    return decision


@transaction.atomic
def withdraw(decision, user, reason):
    decision.status = DecisionStatus.WITHDRAWN
    decision.withdrawn_reason = reason.strip()
    decision.withdrawn_by = user
    decision.withdrawn_at = timezone.now()
    decision.save()
    return decision


def _number(text):
    """A figure of `basis` (stored as text, exact) as a Decimal cell, or blank."""
    return Decimal(text) if text not in (None, "") else None


def export_row(d):
    basis = d.basis or {}
    return [
        d.year.year,
        d.campaign.name if d.campaign_id else "",
        d.unit.name,
        d.person.name if d.person_id else "",
        d.get_kind_display(),
        d.get_status_display(),
        d.decided_on,
        d.doc_number,
        d.reason,
        d.head_name,
        basis.get("rank"),
        _number(basis.get("score")),
        _number(basis.get("overall")),
        {1: "第一方阵", 2: "第二方阵", 3: "第三方阵"}.get(basis.get("echelon"), ""),
        basis.get("years_not_completed") or "",
        (d.confirmed_by.get_full_name() or d.confirmed_by.username) if d.confirmed_by_id else "",
        d.withdrawn_reason,
    ]
