"""To-do lines of a collaboration group's coordinator (协作组牵头单位): member units behind
schedule this quarter and members' late 月报.

Decisions:
- The group is the one the user's unit leads this year (`access.coordinated_memberships`);
  "behind schedule" is the workspace's (`units.workspace.build`: the 通报's rule on the result
  the coordinator may see, or the live figures before publication) — not a second definition.
- Late 月报: members that have not filed last month's report after its deadline, the office's
  rule (`projects.todo.office.missing_reports`) on the group's members.
"""

from django.urls import reverse

from assessment.formatting import quarter_name
from projects.todo import Item, Line, register
from projects.todo.office import EXAMPLES, late_reports_line, missing_reports
from units import access, workspace
from units.models import Role


def _group(ctx):
    membership = (
        access.coordinated_memberships(ctx.user, ctx.today.year).select_related("group").first()
    )
    return membership.group if membership else None


@register(Role.COORDINATOR)
def group_lines(ctx):
    group = _group(ctx)
    if group is None:
        return []
    quarter = workspace.default_quarter(group, ctx.today)
    ws = workspace.build(ctx.user, group, quarter)
    behind = ws.behind_members
    url = reverse("units:group_detail", args=[group.pk])
    late, month = missing_reports([m.unit for m in ws.members], ctx.today)
    return [
        Line(
            "group-behind",
            f"{group.name}低于序时进度的成员单位（{quarter_name(quarter)}）",
            len(behind),
            f"{url}?quarter={quarter}",
            level="warning",
            items=[Item(m.unit.name, note="、".join(m.behind)) for m in behind[:EXAMPLES]],
        ),
        late_reports_line(late, month, ctx.today),
    ]
