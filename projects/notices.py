"""What the projects app tells people (issue 18 item 3), through `zhaoshang.notify`.

Each function is called from the one service path of its event, so every way to it (a form, a
bulk action, an import) notifies once:
- a claim returned (退回) or approved (审定): the claim's unit, from `projects.claims._record`,
  the one write of every workflow move; the key is the claim and its new version, so a claim
  returned twice (after a resubmission) notifies twice, a retried write once;
- an assistance item given to a unit (帮办事项交办): the responsible unit, when an item is
  created for it or handed to it, unless the unit assigns it to itself;
- a shared lead converted by another unit: the collecting unit, whose contribution the project
  page shows (the project's 来源线索 and its 收集单位).
"""

from django.urls import reverse

from projects.models import ClaimStatus, Project
from zhaoshang.notify import Message, notify, notify_many


def _claim_url(slug, claim):
    return reverse("review:claim_detail", args=[slug, claim.pk])


def claims_moved(user, moved, comment):
    """`moved`: (claim type slug, claim row after the move, label). One message per claim
    returned or approved, in a fixed number of queries however many claims moved."""
    moved = [m for m in moved if m[1].status in (ClaimStatus.REJECTED, ClaimStatus.APPROVED)]
    if not moved:
        return 0
    rows = Project.objects.filter(pk__in={row.project_id for _, row, _ in moved})
    projects = {
        pk: (name, unit_id) for pk, name, unit_id in rows.values_list("pk", "name", "unit_id")
    }
    messages = []
    for slug, row, label in moved:
        name, unit_id = projects[row.project_id]
        what = f"{name} · {label}（{row.claim_date:%Y-%m-%d}）"
        if row.status == ClaimStatus.REJECTED:
            kind, title = "claim_returned", f"申报被退回：{what}"
            body = f"退回理由：{comment}" if comment else ""
        else:
            kind, title, body = "claim_approved", f"申报已审定：{what}", ""
        messages.append(
            Message(
                kind,
                title,
                body=body,
                url=_claim_url(slug, row),
                key=f"{slug}:{row.pk}:v{row.version}",
                units=(unit_id,),
                actor=user,
            )
        )
    return notify_many(messages)


def assistance_assigned(item, user, previous_unit_id=None):
    """Tell the responsible unit it has an item to act on (new, or handed over to it)."""
    if item.responsible_unit_id == previous_unit_id:
        return 0
    if user is not None and user.unit_id == item.responsible_unit_id:
        return 0  # a unit noting its own work needs no message to itself
    project = item.project
    return notify(
        "assistance_assigned",
        units=[item.responsible_unit_id],
        title=f"帮办事项交办：{project.name} · {item.get_category_display()}",
        body=f"{item.problem}\n办理时限：{item.deadline:%Y-%m-%d}",
        url=project.get_absolute_url(),
        key=f"assistance:{item.pk}:unit{item.responsible_unit_id}",
        actor=user,
    )


def lead_converted(lead, project, user):
    """Tell the collecting unit that another unit turned its shared lead into a project."""
    if user is not None and user.unit_id == lead.unit_id:
        return 0
    converter = getattr(user, "unit", None) or user
    return notify(
        "lead_converted",
        units=[lead.unit_id],
        title=f"共享线索已转化：{lead.investor_name} → {project.name}",
        body=f"{converter}将贵单位收集的线索转为项目，贵单位作为线索收集单位记录在项目上。",
        url=project.get_absolute_url(),
        key=f"lead:{lead.pk}",
        actor=user,
    )
