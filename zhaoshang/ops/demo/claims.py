"""Demo timelines: give the demo claims ClaimEvent histories that walk the real workflow.

Runs after `zhaoshang.ops.demo.projects` (which creates claims in every state, without events). A
submitted claim with no events yet gets a chain ending in its status: submitted by its unit,
reviewed, site-assessed (when the year has that step), confirmed, approved by a leader; rejected
claims carry a reason, a few claims were rejected once and resubmitted, a few approved ones were
reopened and approved again. Idempotent: a second run finds every claim with events.

Events are append-only (zhaoshang.append_only): a claim that already has events keeps them, even
when they do not chain to its status; the loader only counts such claims and says so.
"""

import datetime

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from projects.claims import CLAIM_MODELS, site_assessment_enabled
from projects.models import ClaimEvent, ClaimStatus
from projects.review import duplicates
from units.models import Role, User
from zhaoshang.ops.demo import demo_writes

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


def actor_for(from_status, to_status, unit_user, reviewer, leader):
    if to_status == S.SUBMITTED and from_status != S.APPROVED:
        return unit_user
    if to_status == S.APPROVED:
        return leader
    return reviewer


@demo_writes
def load(stdout):
    reviewer = User.objects.filter(role=Role.REVIEWER).order_by("pk").first()
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
            fresh = []
            for claim in qs:
                events = list(claim.events.all())
                if events:
                    skipped += not consistent(events, claim.status)
                    continue
                written += 1
                year = claim.claim_date.year
                if year not in site_cache:
                    site_cache[year] = site_assessment_enabled(year)
                when = timezone.make_aware(
                    datetime.datetime.combine(claim.claim_date, datetime.time(9, 30))
                )
                unit_user = unit_users.get(claim.project.unit_id)
                for number, (a, b, comment) in enumerate(story(claim, site_cache[year])):
                    when = min(when + datetime.timedelta(days=2 + (claim.pk + number) % 6), now)
                    event = ClaimEvent(
                        **{slug: claim},
                        actor=actor_for(a, b, unit_user, reviewer, leader),
                        from_status=a,
                        to_status=b,
                        comment=comment,
                    )
                    event.created = when  # kept at insert (InsertTimeField)
                    fresh.append(event)
            ClaimEvent.objects.bulk_create(fresh, batch_size=500)
        result = duplicates.scan()
    note = f"{skipped} 条申报已有不连贯的审核记录，未改动（审核记录只能追加）。" if skipped else ""
    stdout.write(f"审核记录：补全 {written} 条申报的审核流程。{note}{result.summary}")
