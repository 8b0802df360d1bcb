"""Duplicate and fraud signals (SPEC §3 "One project is counted once").

`scan()` looks for five signals and records each as a DuplicateFlag, at most one per kind and pair,
so scanning again changes nothing already found (and keeps resolved flags resolved). `resolve()`
records a reviewer's decision: merge, keep both with a reason, or reject.
"""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from projects import claims
from projects.locks import Periods
from projects.models import (
    PENDING_STATUSES,
    ClaimStatus,
    DuplicateFlag,
    DuplicateKind,
    Evidence,
    FlagStatus,
    Milestone,
    MilestoneKind,
    Project,
    Stage,
)
from units import access

SIMILARITY = 0.85
BLOCK_PREFIX = 2  # candidates share the first characters of their normalised investor name
# Longest first, so 股份有限公司 is removed whole rather than leaving 股份.
COMPANY_SUFFIXES = sorted(
    ["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"], key=len, reverse=True
)
_SPACE_OR_PUNCT = re.compile(r"\s+")


def normalise(name):
    """Compare names without company suffixes, whitespace, punctuation or letter case."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith(("P", "S")))
    text = _SPACE_OR_PUNCT.sub("", text)
    changed = True
    while changed:
        changed = False
        for suffix in COMPANY_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text.replace("集团", "")


def similar(a, b):
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILARITY


@dataclass
class ScanResult:
    created: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self):
        return sum(self.created.values())

    @property
    def summary(self):
        if not self.total:
            return "扫描完成，未发现新的重复或异常。"
        parts = [f"{DuplicateKind(k).label} {n} 条" for k, n in self.created.items()]
        return "扫描完成，新发现：" + "，".join(parts) + "。"


def _flag(result, kind, a_id, b_id, detail):
    _, created = DuplicateFlag.objects.get_or_create(
        kind=kind,
        project_a_id=a_id,
        project_b_id=b_id,
        defaults={"detail": detail},
    )
    if created:
        result.created[kind] += 1


def _ordered(p, q):
    return (p, q) if p.pk < q.pk else (q, p)


def _same_investor(result, projects):
    by_code = defaultdict(list)
    for p in projects:
        if p.investor_credit_code:
            by_code[p.investor_credit_code].append(p)
    for code, group in by_code.items():
        for p, q in combinations(group, 2):
            if p.unit_id != q.unit_id:
                a, b = _ordered(p, q)
                detail = f"统一社会信用代码 {code} 同时由{a.unit}、{b.unit}申报。"
                _flag(result, DuplicateKind.SAME_INVESTOR, a.pk, b.pk, detail)


def _similar_names(result, projects):
    blocks = defaultdict(set)
    for p in projects:
        if p.norm_investor:
            blocks["n:" + p.norm_investor[:BLOCK_PREFIX]].add(p)
        if p.investor_credit_code:
            blocks["c:" + p.investor_credit_code].add(p)
    seen = set()
    for members in blocks.values():
        for p, q in combinations(sorted(members, key=lambda x: x.pk), 2):
            if p.unit_id == q.unit_id or (p.pk, q.pk) in seen:
                continue
            seen.add((p.pk, q.pk))
            if similar(p.norm_investor, q.norm_investor) and similar(p.norm_name, q.norm_name):
                detail = (
                    f"{p.unit}“{p.investor_name}·{p.name}”与{q.unit}“{q.investor_name}·{q.name}”"
                    "名称高度相似。"
                )
                _flag(result, DuplicateKind.SIMILAR_NAME, p.pk, q.pk, detail)


def _signed_again(result, projects):
    by_id = {p.pk: p for p in projects}
    signed = Milestone.objects.filter(kind=MilestoneKind.SIGNED).values_list("project_id", "date")
    signed_year = {pid: day for pid, day in signed if pid in by_id}
    keys = defaultdict(set)
    for pid in signed_year:
        p = by_id[pid]
        if p.investor_credit_code:
            keys["c:" + p.investor_credit_code].add(pid)
        keys[f"n:{p.norm_investor}|{p.norm_name}"].add(pid)
    done = set()
    for members in keys.values():
        for pid, qid in combinations(sorted(members), 2):
            first, later = sorted((pid, qid), key=lambda i: (signed_year[i], i))
            if signed_year[first].year == signed_year[later].year or (first, later) in done:
                continue
            done.add((first, later))
            a, b = by_id[first], by_id[later]
            detail = (
                f"“{a.name}”已于 {signed_year[first]:%Y-%m-%d} 签约，"
                f"“{b.name}”于 {signed_year[later]:%Y-%m-%d} 再次签约。"
            )
            _flag(result, DuplicateKind.SIGNED_AGAIN, a.pk, b.pk, detail)


def _same_evidence(result):
    shared = (
        Evidence.objects.values("sha256").annotate(n=Count("pk")).filter(n__gt=1).values("sha256")
    )
    rows = Evidence.objects.filter(sha256__in=shared).select_related(
        "milestone__project", "investment__project", "funds__project"
    )
    by_hash = defaultdict(list)
    for ev in rows.order_by("pk"):
        by_hash[ev.sha256].append(ev)
    for items in by_hash.values():
        for e, f in combinations(items, 2):
            if (claims.claim_type(e.claim), e.claim.pk) == (claims.claim_type(f.claim), f.claim.pk):
                continue
            p, q = e.claim.project, f.claim.project
            a, b = (p, q) if p.pk <= q.pk else (q, p)
            detail = f"同一文件“{e.original_name}”同时用于“{e.claim}”和“{f.claim}”。"
            _flag(result, DuplicateKind.SAME_EVIDENCE, a.pk, b.pk, detail)


def _shares_over(result):
    over = (
        Project.objects.annotate(total=Sum("credit_shares__percent"))
        .filter(total__gt=Decimal(100))
        .values_list("pk", "total")
    )
    for pk, total in over:
        _flag(result, DuplicateKind.SHARES_OVER, pk, None, f"各单位分成比例合计 {total}%。")


def scan():
    """Find every duplicate/fraud signal and record new ones; returns a ScanResult."""
    result = ScanResult()
    projects = list(
        Project.objects.select_related("unit").only(
            "pk", "name", "investor_name", "investor_credit_code", "unit__name", "stage"
        )
    )
    for p in projects:
        p.norm_investor = normalise(p.investor_name)
        p.norm_name = normalise(p.name)
    # A project already terminated (e.g. merged away) no longer competes for credit.
    active = [p for p in projects if p.stage != Stage.TERMINATED]
    with transaction.atomic():
        _same_investor(result, active)
        _similar_names(result, active)
        _signed_again(result, projects)
        _same_evidence(result)
        _shares_over(result)
    return result


class ResolveError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def resolutions_for(flag):
    """The decisions that make sense for a flag: merging needs two different projects."""
    choices = [FlagStatus.KEPT, FlagStatus.REJECTED]
    if flag.project_b_id and flag.project_b_id != flag.project_a_id:
        choices.insert(0, FlagStatus.MERGED)
    return choices


def resolve(user, flag, decision, reason=""):
    """Record a reviewer's decision on a flag; returns a message describing what was done.

    merge: project B is terminated as merged into project A (its claims no longer count);
    kept: both stand, the reason is recorded;
    rejected: project B's (or A's, for single-project flags) approved and pending claims go back to
    the unit as rejected with the reason; claims dated in a published quarter are left alone and
    reported.
    """
    access.require(access.is_reviewer(user))
    reason = (reason or "").strip()
    if flag.status != FlagStatus.OPEN:
        raise ResolveError("该标记已处理，不能重复处理。")
    if decision not in resolutions_for(flag):
        raise ResolveError("该标记不能这样处理。")
    if decision in {FlagStatus.KEPT, FlagStatus.REJECTED} and not reason:
        raise ResolveError("请填写处理理由。")
    message = "已处理。"
    with transaction.atomic():
        if decision == FlagStatus.MERGED:
            project = flag.project_b
            project.stage = Stage.TERMINATED
            project.termination_reason = f"与项目“{flag.project_a.name}”合并。{reason}".strip()
            project.terminated_on = timezone.localdate()
            project._history_user = user
            project.save()
            # A terminated project's approved claims would still count: send them back too.
            merged_into = f"与项目“{flag.project_a.name}”合并，不重复计算"
            returned = _reject_claims(user, project, merged_into)
            message = f"已将“{project.name}”作为重复项目终止，其申报不再计入。{returned}"
        elif decision == FlagStatus.REJECTED:
            message = _reject_claims(user, flag.project_b or flag.project_a, reason)
        flag.status = decision
        flag.resolution_reason = reason or "与项目甲合并"
        flag.resolved_by = user
        flag.resolved_at = timezone.now()
        flag._history_user = user
        flag.save()
    return message


def _reject_claims(user, project, reason):
    statuses = [ClaimStatus.APPROVED, *PENDING_STATUSES]
    rejected, frozen = 0, 0
    periods = Periods()
    for related in ("milestones", "investments", "funds"):
        for claim in getattr(project, related).filter(status__in=statuses):
            try:
                claims.force_reject(user, claim, f"重复/异常标记驳回：{reason}", periods)
            except claims.ClaimError:
                frozen += 1
            else:
                rejected += 1
    message = f"已将“{project.name}”的 {rejected} 条申报退回。"
    if frozen:
        message += f"另有 {frozen} 条位于已发布季度，未退回，请先解锁该季度。"
    return message
