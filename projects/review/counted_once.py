"""Counted once, at entry (SPEC §3, issue 17): the duplicate signals looked for when a claim is
submitted (the workflow's submit, from a claim page or in bulk) or brought in by the workbook
import, not only when a reviewer presses 重新扫描 (`projects.review.duplicates.scan`).

For the projects of the claims written:
- another project with the same investor 统一社会信用代码 and a near-identical project name (the
  scan's own rule, `duplicates.normalise` + `duplicates.similar`) in another unit → 同一投资方被两个
  单位申报 (SAME_INVESTOR); starting in another year → 以后年度重复签约 (SIGNED_AGAIN, the earlier
  project first). A project's year is that of its signing once submitted, else of its
  registration — the start `Project.in_year` uses;
- the same evidence file (its sha256) on another claim — not a draft — of another unit or an
  earlier year → 同一佐证材料用于不同申报 (SAME_EVIDENCE).

Flags are the scan's (one per kind and pair, so a flag found twice is one flag and a resolved one
stays resolved). A claim whose project has an open flag is not approved until it is resolved
(`projects.verification.flag_refusal`). The check costs a fixed number of queries per 500
claims, however many projects share a code.
"""

from collections import defaultdict

from django.db.models import OuterRef, Q, Subquery

from projects.models import (
    NOT_STARTING,
    ClaimStatus,
    DuplicateKind,
    Evidence,
    Milestone,
    MilestoneKind,
    Project,
    Stage,
)
from projects.review.duplicates import ScanResult, _flag, _ordered, normalise, similar

CHUNK = 500
CLAIM_FIELDS = ("milestone", "investment", "funds")


def _with_start(qs):
    signing = Milestone.objects.filter(project=OuterRef("pk"), kind=MilestoneKind.SIGNED).exclude(
        status__in=NOT_STARTING
    )
    return qs.select_related("unit").annotate(signed=Subquery(signing.values("date")[:1]))


def _start_year(project):
    return project.signed.year if project.signed else project.created.year


def _same_project(result, project_ids):
    mine = list(_with_start(Project.objects.filter(pk__in=project_ids)))
    codes = {p.investor_credit_code for p in mine if p.investor_credit_code}
    if not codes:
        return
    others = defaultdict(list)
    rows = _with_start(Project.objects.filter(investor_credit_code__in=codes))
    for q in rows.exclude(stage=Stage.TERMINATED):
        others[q.investor_credit_code].append(q)
    for p in mine:
        if not p.investor_credit_code or p.stage == Stage.TERMINATED:
            continue
        for q in others[p.investor_credit_code]:
            if q.pk == p.pk or not similar(normalise(p.name), normalise(q.name)):
                continue
            code = p.investor_credit_code
            if p.unit_id != q.unit_id:
                a, b = _ordered(p, q)
                detail = (
                    f"统一社会信用代码 {code}：{a.unit}“{a.name}”与{b.unit}“{b.name}”"
                    "名称高度相似（申报时发现）。"
                )
                _flag(result, DuplicateKind.SAME_INVESTOR, a.pk, b.pk, detail)
            if _start_year(p) != _start_year(q):
                a, b = sorted((p, q), key=lambda x: (_start_year(x), x.pk))
                detail = (
                    f"统一社会信用代码 {code}：“{a.name}”（{_start_year(a)}年）与"
                    f"“{b.name}”（{_start_year(b)}年）名称高度相似，疑似以后年度重复申报"
                    "（申报时发现）。"
                )
                _flag(result, DuplicateKind.SIGNED_AGAIN, a.pk, b.pk, detail)


def _claim_of(evidence):
    return evidence.milestone or evidence.investment or evidence.funds


def _same_evidence(result, by_field):
    own = Q()
    for name, ids in by_field.items():
        own |= Q(**{f"{name}_id__in": ids})
    hashes = set(Evidence.objects.filter(own).values_list("sha256", flat=True))
    if not hashes:
        return
    related = [f"{name}__project__unit" for name in CLAIM_FIELDS]
    rows = list(Evidence.objects.filter(sha256__in=hashes).select_related(*related))
    by_hash = defaultdict(list)
    for ev in rows:
        by_hash[ev.sha256].append(ev)
    for ev in rows:
        claim = _claim_of(ev)
        if claim.pk not in by_field.get(_field_of(ev), ()):
            continue
        for other in by_hash[ev.sha256]:
            theirs = _claim_of(other)
            if _field_of(other) == _field_of(ev) and theirs.pk == claim.pk:
                continue
            if theirs.status == ClaimStatus.DRAFT:
                continue  # a unit's draft is its own (SPEC §1)
            p, q = claim.project, theirs.project
            if p.unit_id == q.unit_id and theirs.claim_date.year >= claim.claim_date.year:
                continue
            a, b = (p, q) if p.pk <= q.pk else (q, p)
            detail = f"同一文件“{ev.original_name}”同时用于“{claim}”和“{theirs}”（申报时发现）。"
            _flag(result, DuplicateKind.SAME_EVIDENCE, a.pk, b.pk, detail)


def _field_of(evidence):
    return next(name for name in CLAIM_FIELDS if getattr(evidence, f"{name}_id"))


def _field_of_claim(claim):
    from projects.claims import claim_type  # the workflow imports this module lazily

    return claim_type(claim)


def check(claims):
    """Flag what the claims just submitted or imported duplicate; returns a ScanResult."""
    result = ScanResult()
    claims = [c for c in claims if c.pk is not None]
    for start in range(0, len(claims), CHUNK):
        chunk = claims[start : start + CHUNK]
        by_field = defaultdict(set)
        for claim in chunk:
            by_field[_field_of_claim(claim)].add(claim.pk)
        _same_project(result, {claim.project_id for claim in chunk})
        _same_evidence(result, by_field)
    return result
