"""To-do lines of a unit's own users (unit staff and head; a lead unit's coordinator for their own
unit's work): claims sent back, drafts not submitted, evidence missing, last month's 月报, 帮办
items the unit must act on.

Decisions:
- Only work the unit can do now: drafts and rejections dated in a published (locked) quarter are
  left out — nobody can submit them until the office unlocks the quarter.
- 缺少佐证 counts the drafts and rejections lacking a file of a kind their year requires
  (`projects.verification.evidence_missing`): they cannot be submitted until one is attached.
- The 月报 line is for last month: due on the deadline day of this month
  (`ProjectSettings.report_deadline_day`, the 5th by default; `projects.reports.deadline`); shown
  until it is filed, as due (warning) or late (danger).
- A fixed number of queries: one for the unit's editable claims of all types (with the reason of
  the latest rejection), the evidence and step facts per claim type, the years' settings, one
  for the report and one for the 帮办 counts.
"""

from django.db.models import Count, Q
from django.urls import reverse

from projects import reports
from projects.claims import CLAIM_MODELS
from projects.models import (
    EDITABLE_STATUSES,
    AssistanceItem,
    AssistanceStatus,
    ClaimStatus,
    MonthlyReport,
    ProjectSettings,
)
from projects.review import offers
from projects.review.filtersets import TYPE_LABELS, claim_rows, rejection_reasons
from projects.todo import Item, Line, register
from units import access
from units.models import Role

UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.COORDINATOR)
EXAMPLES = 5  # claims named under a line


def _own_unit(ctx):
    user = ctx.user
    if user.unit_id and access.can_edit_unit_data(user, user.unit_id):
        return user.unit_id
    return None


def _claim_text(row):
    day = row["r_date"]
    when = day.strftime("%Y-%m") if row["r_type"] == "investment" else day.isoformat()
    return f"{row['r_project']} · {TYPE_LABELS.get(row['r_kind'], row['r_kind'])} {when}"


def _claim_url(row):
    return reverse("review:claim_detail", args=[row["r_type"], row["r_id"]])


def editable_rows(ctx, unit_id):
    """The unit's drafts and rejections in open quarters, as the queue's dict rows, newest
    first (one UNION query)."""
    scope = ctx.queue_scope
    querysets = [
        model.objects.filter(project__unit_id=unit_id, status__in=EDITABLE_STATUSES)
        .exclude(scope.locked_q(model))
        .select_related(None)
        for model in CLAIM_MODELS.values()
    ]
    return list(claim_rows(querysets).order_by("-r_date", "r_type", "r_id"))


@register(*UNIT_ROLES)
def claim_lines(ctx):
    unit_id = _own_unit(ctx)
    if unit_id is None:
        return []
    rows = editable_rows(ctx, unit_id)
    offered = offers.page_offers(ctx.user, rows)
    rejected = [r for r in rows if r["r_status"] == ClaimStatus.REJECTED]
    drafts = [r for r in rows if r["r_status"] == ClaimStatus.DRAFT]
    missing = [r for r in rows if offered[(r["r_type"], r["r_id"])].missing]
    reasons = rejection_reasons(rejected[:EXAMPLES])
    mine = reverse("review:my_claims")
    return [
        Line(
            "returned",
            "被退回的申报",
            len(rejected),
            f"{mine}?status=rejected",
            detail="请按退回理由修改后重新申报",
            level="danger",
            items=[
                Item(
                    _claim_text(r),
                    _claim_url(r),
                    f"退回理由：{reasons.get((r['r_type'], r['r_id'])) or '未填写'}",
                )
                for r in rejected[:EXAMPLES]
            ],
        ),
        Line(
            "drafts",
            "尚未申报的草稿",
            len(drafts),
            f"{mine}?status=draft",
            detail="草稿仅本单位可见，申报后进入审核",
            level="warning",
        ),
        Line(
            "evidence",
            "缺少佐证的申报",
            len(missing),
            f"{mine}",
            detail="上传规定类型的佐证材料后才能申报",
            level="warning",
            items=[Item(_claim_text(r), _claim_url(r)) for r in missing[:EXAMPLES]],
        ),
    ]


@register(*UNIT_ROLES)
def report_line(ctx):
    unit_id = _own_unit(ctx)
    if unit_id is None:
        return []
    month = reports.add_months(reports.first_of_month(ctx.today), -1)
    report = MonthlyReport.objects.filter(unit_id=unit_id, month=month).first()
    if report is not None:
        return []
    day = ProjectSettings.load().report_deadline_day
    due = reports.deadline(month, day)
    state = reports.state_of(None, month, day, ctx.today)
    late = state == reports.MISSING
    detail = f"截止 {due:%Y-%m-%d}" + ("，已逾期，请尽快报送" if late else "")
    return [
        Line(
            "report",
            f"{month:%Y年%m月}月报未报送",
            1,
            reverse("projects:report_list"),
            detail=detail,
            level="danger" if late else "warning",
        )
    ]


@register(*UNIT_ROLES)
def assistance_line(ctx):
    unit_id = _own_unit(ctx)
    if unit_id is None:
        return []
    counts = (
        AssistanceItem.objects.filter(responsible_unit_id=unit_id)
        .exclude(status=AssistanceStatus.RESOLVED)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=ctx.today)))
    )
    overdue = counts["overdue"]
    return [
        Line(
            "assistance",
            "本单位承办的帮办事项",
            counts["open"],
            reverse("projects:assistance_list"),
            detail=f"其中 {overdue} 项已超过办理时限" if overdue else "",
            level="danger" if overdue else "primary",
        )
    ]
