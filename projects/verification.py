"""The rules that make a claim 考实考准 (SPEC §4, issue 17), asked by the workflow
(`projects.claims`) for every path — the claim page's buttons, the bulk actions of 我的申报 and the
review queue, and the service itself:

- **Evidence of the right kind** (`evidence_missing`): a claim is submitted only with one file of a
  kind its year requires for its type (`AssessmentYear.evidence_rules`, defaults in
  `projects.models.verification`), and no forward step (审核 … 审定) is taken on a claim that
  lacks it. The workbook import may bring claims in as 已申报 without files (historical data
  has its evidence on paper): they are allowed in, shown as “缺少佐证” in the queue and on the
  claim page, and cannot be reviewed or approved until the office sends them back and the unit
  attaches the file and resubmits.
- **Separation of duties** (`duty_conflict`, per-year switch `separate_duties`, on by default):
  one person performs at most one of the steps 审核, 现场评估, 会办确认, 审定 of a claim — over
  the claim's whole timeline, so a resubmitted claim cannot reach the reviewer of its first
  round at another step — and one who performed a step may not send the claim back at another
  step either (the way back is a decision of that step).
- **资金来源地** (`region_missing`, issue 17): in a year whose funds indicator counts only funds
  from outside the city (`Indicator.outside_city_only`), a funds claim is submitted only with its
  来源地.
- **Counted once** (`open_flag`, issue 17): a claim whose project has an open 重复/异常标记 (found
  at submission or import, `projects.review.counted_once`, or by 重新扫描) is not approved
  (审定) until a reviewer resolves the flag: merge, keep both with a reason, or reject.
- **Own unit** (`own_unit`): a user belonging to the claim's unit, whatever the role, only ever
  submits or withdraws it.

What each rule reads of a claim (its evidence kinds, who took which step) is read once per claim
type for a whole selection (`load_facts`), or taken from the claim page's prefetched relations.
"""

from collections import defaultdict

from django.db.models import Q

from projects.models import (
    REQUIREMENT_LABELS,
    ClaimEvent,
    ClaimStatus,
    DuplicateFlag,
    Evidence,
    FlagStatus,
    FundsEntry,
    Milestone,
    kinds_label,
)

# The statuses a forward step leads to: the steps that need different people.
STEP_STATUSES = [
    ClaimStatus.REVIEWED,
    ClaimStatus.SITE_ASSESSED,
    ClaimStatus.CONFIRMED,
    ClaimStatus.APPROVED,
]
STEP_LABELS = {
    ClaimStatus.REVIEWED: "审核",
    ClaimStatus.SITE_ASSESSED: "现场评估",
    ClaimStatus.CONFIRMED: "会办确认",
    ClaimStatus.APPROVED: "审定",
}
MISSING_TAG = "缺少佐证"
_KINDS = "_zs_evidence_kinds"
_ACTORS = "_zs_step_actors"
_FLAGS = "_zs_open_flag"
FIELD = {"milestone": "milestone", "investment": "investment", "funds": "funds"}


def requirement_key(claim):
    """'signed' / 'started' / 'completed' for a milestone, else 'investment' or 'funds'."""
    if isinstance(claim, Milestone):
        return claim.kind
    return _slug(claim)


def _slug(claim):
    from projects.claims import claim_type  # the workflow module imports this one

    return claim_type(claim)


def load_facts(claims):
    """Read, for every claim at once (two queries per claim type), its evidence kinds and who
    took which step; cached on the instances for `evidence_missing` and `duty_conflict`."""
    by_type = defaultdict(list)
    for claim in claims:
        by_type[_slug(claim)].append(claim)
    for slug, group in by_type.items():
        ids = [c.pk for c in group]
        kinds, actors = defaultdict(set), defaultdict(set)
        rows = Evidence.objects.filter(**{f"{slug}_id__in": ids}).values_list(f"{slug}_id", "kind")
        for pk, kind in rows:
            kinds[pk].add(kind)
        events = ClaimEvent.objects.filter(
            **{f"{slug}_id__in": ids}, to_status__in=STEP_STATUSES, actor__isnull=False
        ).values_list(f"{slug}_id", "actor_id", "to_status")
        for pk, actor, status in events:
            actors[pk].add((actor, status))
        for claim in group:
            setattr(claim, _KINDS, kinds[claim.pk])
            setattr(claim, _ACTORS, actors[claim.pk])
    _load_flags(claims)
    return claims


def _load_flags(claims):
    """Cache on each claim the first open flag of its project: one query for all, and none when
    no claim is 已会办确认 (the only status an approval is asked of)."""
    project_ids = {c.project_id for c in claims if c.status == ClaimStatus.CONFIRMED}
    first = {}
    if project_ids:
        rows = DuplicateFlag.objects.filter(
            Q(project_a_id__in=project_ids) | Q(project_b_id__in=project_ids),
            status=FlagStatus.OPEN,
        ).select_related("project_a", "project_b")
        for flag in rows.order_by("created", "pk"):
            for pid in (flag.project_a_id, flag.project_b_id):
                if pid in project_ids:
                    first.setdefault(pid, flag)
    for claim in claims:
        setattr(claim, _FLAGS, first.get(claim.project_id))


def open_flag(claim):
    """The first open DuplicateFlag on the claim's project, or None."""
    if not hasattr(claim, _FLAGS):
        _load_flags([claim])
    return getattr(claim, _FLAGS)


def flag_refusal(claim):
    """Why `claim` may not be approved while its project is flagged, naming the flag; or None."""
    flag = open_flag(claim)
    if flag is None:
        return None
    return (
        f"该申报所属项目有未处理的重复/异常标记“{flag}”，请先在重复/异常标记中处理"
        "（合并、保留两者并说明理由或驳回）后再审定。"
    )


REGION_MISSING = (
    "本年度到位资金指标仅计市域外资金，申报到位资金须填写“资金来源地”（市域内、市域外（省内）、"
    "省外或境外），请先编辑本条到位资金补填。"
)


def region_missing(claim, periods):
    """Why a funds claim may not be submitted without its 来源地 in its year, or None."""
    if not isinstance(claim, FundsEntry) or claim.source_region:
        return None
    return REGION_MISSING if periods.outside_city_only(claim.claim_date.year) else None


def _prefetched(claim, name):
    cache = getattr(claim, "_prefetched_objects_cache", {})
    return cache.get(name)


def evidence_kinds(claim):
    if not hasattr(claim, _KINDS):
        files = _prefetched(claim, "evidence")
        if files is not None:
            setattr(claim, _KINDS, {e.kind for e in files})
        elif claim.pk is None:
            setattr(claim, _KINDS, set())
        else:
            load_facts([claim])
    return getattr(claim, _KINDS)


def step_actors(claim):
    """{(actor id, step status)} of the claim's timeline."""
    if not hasattr(claim, _ACTORS):
        events = _prefetched(claim, "events")
        if events is not None:
            pairs = {(e.actor_id, e.to_status) for e in events if e.to_status in STEP_STATUSES}
            setattr(claim, _ACTORS, {(a, s) for a, s in pairs if a is not None})
        elif claim.pk is None:
            setattr(claim, _ACTORS, set())
        else:
            load_facts([claim])
    return getattr(claim, _ACTORS)


def note_step(claim, user, status):
    """Keep a claim's cached timeline true after the workflow moved it."""
    if hasattr(claim, _ACTORS) and status in STEP_STATUSES and user is not None:
        getattr(claim, _ACTORS).add((user.pk, status))


def required_kinds(claim, periods):
    """The evidence kinds (any one of them) `claim` needs in its year; [] when optional."""
    rules = periods.evidence_rules(claim.claim_date.year)
    return list(rules.get(requirement_key(claim), []))


def evidence_missing(claim, periods):
    """Why `claim` lacks the evidence its year requires, in Chinese, or None."""
    kinds = required_kinds(claim, periods)
    if not kinds or evidence_kinds(claim) & set(kinds):
        return None
    label = REQUIREMENT_LABELS.get(requirement_key(claim), "申报")
    return f"{MISSING_TAG}：{label}申报须附“{kinds_label(kinds)}”类型的佐证材料，请先上传。"


def own_unit(user, claim):
    """Whether `user` belongs to the claim's unit (any role)."""
    return bool(getattr(user, "unit_id", None)) and user.unit_id == claim.project.unit_id


def duty_conflict(user, claim, step_status, periods):
    """Why `user` may not act at the step leading to `step_status` on `claim`, or None: the
    label of another step the user already performed, when the year separates duties."""
    if step_status is None or not periods.separate_duties(claim.claim_date.year):
        return None
    done = {status for actor, status in step_actors(claim) if actor == user.pk}
    others = [s for s in STEP_STATUSES if s in done and s != step_status]
    if not others:
        return None
    return (
        f"同一人不能办理同一申报的两个不同环节：您已办理本申报的“{STEP_LABELS[others[0]]}”，"
        "请由其他人员办理。"
    )
