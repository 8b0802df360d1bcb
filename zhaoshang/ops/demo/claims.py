"""Demo timelines: give the demo claims ClaimEvent histories that walk the real workflow.

Runs after `zhaoshang.ops.demo.projects` (which creates claims in every state, without events). A
submitted claim with no events yet gets a chain ending in its status: submitted by its unit,
reviewed, site-assessed (when the year has that step), confirmed, approved by a leader; rejected
claims carry a reason, a few claims were rejected once and resubmitted, a few approved ones were
reopened and approved again. Idempotent: a second run finds every claim with events.

Each step is taken by its own person (issue 17, separation of duties): 审核 by `reviewer`,
现场评估 by `reviewer2` (with the visit's date, inspectors and result), 会办确认 by `reviewer3`
(with the departments present), 审定 by a leader. Every submitted claim carries the evidence its
type needs (`demo_evidence`: a small PDF of its own per claim).

Events are append-only (zhaoshang.append_only): a claim that already has events keeps them, even
when they do not chain to its status; the loader only counts such claims and says so.
"""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from projects import verification
from projects.claims import CLAIM_MODELS, CLAIM_TYPE_LABELS, site_assessment_enabled
from projects.locks import Periods
from projects.models import ClaimEvent, ClaimStatus, Evidence, EvidenceKind
from projects.review import duplicates
from units.models import Role, User
from zhaoshang.ops.demo import demo_writes, papers
from zhaoshang.ops.demo.timeline import set_times

S = ClaimStatus
REJECT_REASONS = [
    "佐证材料不全，请补充合同盖章页。",
    "到账凭证与申报金额不一致，请核对。",
    "开工证明缺少施工许可证，请补充。",
    "项目名称与合同不符，请更正后重新申报。",
]
REOPEN_REASON = "审计发现金额录入有误，重新打开更正。"


def forward_path(status, site_step):
    """The statuses a claim passes through from draft to `status` the ordinary way."""
    path = [S.DRAFT, S.SUBMITTED]
    if status == S.REJECTED:
        return [*path, S.REJECTED]
    steps = [S.REVIEWED, *([S.SITE_ASSESSED] if site_step else []), S.CONFIRMED, S.APPROVED]
    for step in steps:
        if path[-1] == status:
            break
        path.append(step)
    return path


def story(claim, site_step):
    """(from, to, comment) steps for a claim; a few get a rejection or a reopening on the way."""
    status = claim.status
    path = forward_path(status, site_step)
    steps = [(a, b, "") for a, b in zip(path, path[1:], strict=False)]
    if status == S.REJECTED:
        steps[-1] = (S.SUBMITTED, S.REJECTED, REJECT_REASONS[claim.pk % len(REJECT_REASONS)])
    elif status in {S.REVIEWED, S.SITE_ASSESSED, S.CONFIRMED} and claim.pk % 7 == 0:
        reason = REJECT_REASONS[claim.pk % len(REJECT_REASONS)]
        steps[1:1] = [(S.SUBMITTED, S.REJECTED, reason), (S.REJECTED, S.SUBMITTED, "已按要求补充")]
    elif status == S.APPROVED and claim.pk % 11 == 0:
        again = [(a, b, "") for a, b in zip(path[1:], path[2:], strict=False)]
        steps += [(S.APPROVED, S.SUBMITTED, REOPEN_REASON), *again]
    return steps


PENDING = {S.SUBMITTED, S.REVIEWED, S.SITE_ASSESSED, S.CONFIRMED}
SINGLE_STEPS = {
    (S.DRAFT, S.SUBMITTED),
    (S.REJECTED, S.SUBMITTED),
    (S.SUBMITTED, S.DRAFT),
    (S.SUBMITTED, S.REVIEWED),
    (S.REVIEWED, S.SITE_ASSESSED),
    (S.REVIEWED, S.CONFIRMED),
    (S.SITE_ASSESSED, S.CONFIRMED),
    (S.CONFIRMED, S.APPROVED),
    (S.APPROVED, S.SUBMITTED),
    (S.APPROVED, S.REJECTED),
    *((status, S.REJECTED) for status in PENDING),
}


def consistent(events, status):
    """True when the events chain from draft to the claim's current status one step at a time."""
    if not events:
        return status == S.DRAFT
    expected_from = S.DRAFT
    for event in events:
        step = (event.from_status, event.to_status)
        if event.from_status != expected_from or step not in SINGLE_STEPS:
            return False
        expected_from = event.to_status
    return expected_from == status


def actor_for(from_status, to_status, unit_user, reviewers, leader):
    if to_status == S.SUBMITTED and from_status != S.APPROVED:
        return unit_user
    if to_status == S.APPROVED:
        return leader
    if to_status == S.SITE_ASSESSED:
        return reviewers[1]
    if to_status == S.CONFIRMED:
        return reviewers[2]
    return reviewers[0]


def details_for(to_status, claim):
    """The structured record of a demo 现场评估 or 会办确认."""
    if to_status == S.SITE_ASSESSED:
        visit = claim.claim_date + datetime.timedelta(days=3)
        return {
            "visit_date": min(visit, timezone.localdate()).isoformat(),
            "inspectors": "郑凯、市统计局 陆文涛",
            "result": "现场核实，项目建设及资金到位情况与申报一致。",
        }
    if to_status == S.CONFIRMED:
        return {
            "departments": "市发改委、市商务局、市统计局",
            "decision": "会办确认，同意上报审定。",
        }
    return {}


def demo_evidence(claims, periods):
    """Evidence rows for the claims that need one (the kind their year asks first), each claim
    its own small file: one file shared by every claim would be what the duplicate scan flags
    (同一文件用于两条申报) — for every pair of the demo's claims. A PDF that opens and says
    what it is (`papers.pdf`); a 开工 claim also carries a site photo (JPEG)."""
    storage = Evidence._meta.get_field("file").storage
    labels, rows = dict(EvidenceKind.choices), []

    def attach(claim, slug, kind, data, extension, content_type):
        name = storage.save(
            f"evidence/demo/{slug}-{claim.pk}-{kind}.{extension}", ContentFile(data)
        )
        row = Evidence(
            **{slug: claim},
            kind=kind,
            file=name,
            original_name=f"{labels[kind]}.{extension}",
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        row.demo_claim = claim
        rows.append(row)

    for claim in claims:
        kinds = verification.required_kinds(claim, periods)
        if not kinds:
            continue
        slug = _slug(claim)
        started = getattr(claim, "kind", "") == "started"
        for kind in kinds[:1]:
            if kind == EvidenceKind.SITE_PHOTO:
                attach(claim, slug, kind, _photo(claim), "jpg", "image/jpeg")
            else:
                attach(claim, slug, kind, _paper(claim, labels[kind]), "pdf", "application/pdf")
        if started and EvidenceKind.SITE_PHOTO not in kinds[:1]:
            attach(claim, slug, EvidenceKind.SITE_PHOTO, _photo(claim), "jpg", "image/jpeg")
    rows = Evidence.objects.bulk_create(rows, batch_size=500)
    # Uploaded with the claim, when it was entered (`timeline.claims_entered`), not on load day.
    set_times(Evidence, [(row, row.demo_claim.created) for row in rows], field="uploaded")
    return len(rows)


def _paper(claim, label):
    project = claim.project
    lines = [
        f"项目名称：{project.name}",
        f"投资方：{project.investor_name}",
        f"日期：{claim.claim_date:%Y年%m月%d日}",
    ]
    amount = getattr(claim, "amount", None)
    if amount is not None:
        lines.append(f"金额：{amount:,.2f} 万元")
    elif project.contracted_investment:
        lines.append(f"合同投资：{project.contracted_investment:,.0f} 万元")
    lines.append(f"（演示数据，编号 {_slug(claim)}-{claim.pk}）")
    return papers.pdf(f"{label}（{claim_label(claim)}）", lines)


def _photo(claim):
    return papers.jpeg(f"{_slug(claim)}-{claim.pk}", f"demo site photo {claim.project.name}")


def claim_label(claim):
    if _slug(claim) == "milestone":
        return claim.get_kind_display()
    return CLAIM_TYPE_LABELS[_slug(claim)]


def _slug(claim):
    return next(slug for slug, model in CLAIM_MODELS.items() if isinstance(claim, model))


@demo_writes
def load(stdout):
    by_name = {u.username: u for u in User.objects.filter(role=Role.REVIEWER)}
    first = User.objects.filter(role=Role.REVIEWER).order_by("pk").first()
    reviewers = [by_name.get(n, first) for n in ("reviewer", "reviewer2", "reviewer3")]
    periods = Periods()
    needing_evidence = []
    leader = User.objects.filter(role=Role.LEADER).order_by("pk").first()
    unit_users = {}
    for user in User.objects.filter(role=Role.UNIT_STAFF, unit__isnull=False).order_by("pk"):
        unit_users.setdefault(user.unit_id, user)
    now = timezone.now()
    site_cache = {}
    written = skipped = 0
    with transaction.atomic():
        for slug, model in CLAIM_MODELS.items():
            events = ClaimEvent.objects.order_by("created", "pk")
            qs = (
                model.objects.exclude(status=S.DRAFT)
                .select_related("project")
                .prefetch_related(Prefetch("events", events))
            )
            fresh, timed = [], []
            for claim in qs:
                events = list(claim.events.all())
                if events:
                    skipped += not consistent(events, claim.status)
                    continue
                written += 1
                if not claim.evidence.exists():
                    needing_evidence.append(claim)
                year = claim.claim_date.year
                if year not in site_cache:
                    site_cache[year] = site_assessment_enabled(year)
                # The story starts when the claim was entered (`timeline.claims_entered`).
                when = max(
                    claim.created,
                    timezone.make_aware(
                        datetime.datetime.combine(claim.claim_date, datetime.time(9, 30))
                    ),
                )
                unit_user = unit_users.get(claim.project.unit_id)
                for number, (a, b, comment) in enumerate(story(claim, site_cache[year])):
                    when = min(when + datetime.timedelta(days=2 + (claim.pk + number) % 6), now)
                    event = ClaimEvent(
                        **{slug: claim},
                        actor=actor_for(a, b, unit_user, reviewers, leader),
                        from_status=a,
                        to_status=b,
                        comment=comment,
                        claimed_amount=getattr(claim, "amount", None),
                        details=details_for(b, claim),
                    )
                    event.created = when  # kept at insert (InsertTimeField)
                    fresh.append(event)
                    if b == S.SUBMITTED:
                        claim.submitted_at = when  # the queue's wait starts here (issue 21)
                if claim.submitted_at is not None:
                    timed.append(claim)
            ClaimEvent.objects.bulk_create(fresh, batch_size=500)
            model.objects.bulk_update(timed, ["submitted_at"], batch_size=500)
        attached = demo_evidence(needing_evidence, periods)
        result = duplicates.scan()
    note = f"{skipped} 条申报已有不连贯的审核记录，未改动（审核记录只能追加）。" if skipped else ""
    done = f"审核记录：补全 {written} 条申报的审核流程，附佐证材料 {attached} 份。"
    stdout.write(f"{done}{note}{result.summary}")
