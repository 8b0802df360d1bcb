"""To-do lines of 督办 (issue 18 item 4).

Decisions:
- Leaders and the office (who issue): overdue 督办 still awaiting the unit's reply (the leader's
  home shows what is late), and 督办 the units have answered that wait to be closed.
- A unit's own users: its 督办 awaiting a reply (督办待答复), red when any is past its reply-by
  date; answered ones wait on the issuer, not on the unit.
- One aggregate query per line group, whatever the number of 督办.
"""

from django.db.models import Count, Q
from django.urls import reverse

from projects.models import Supervision, SupervisionStatus, overdue_q
from projects.todo import Line, register
from projects.todo.unit import UNIT_ROLES, _own_unit
from units.models import Role

ISSUERS = (Role.LEADER, Role.REVIEWER, Role.ADMIN)


def _list(query):
    return f"{reverse('projects:duban_list')}?{query}"


@register(*ISSUERS)
def issuer_lines(ctx):
    counts = Supervision.objects.visible_to(ctx.user).aggregate(
        overdue=Count("pk", filter=overdue_q(ctx.today)),
        answered=Count("pk", filter=Q(status=SupervisionStatus.ANSWERED)),
    )
    return [
        Line(
            "duban-overdue",
            "逾期未答复的督办",
            counts["overdue"],
            _list("overdue=true"),
            detail="承办单位超过答复期限仍未答复",
            level="danger",
        ),
        Line(
            "duban-answered",
            "已答复、待办结的督办",
            counts["answered"],
            _list(f"status={SupervisionStatus.ANSWERED}"),
            detail="请审阅答复后办结",
        ),
    ]


@register(*UNIT_ROLES)
def unit_line(ctx):
    unit_id = _own_unit(ctx)
    if unit_id is None:
        return []
    counts = Supervision.objects.filter(
        unit_id=unit_id, status=SupervisionStatus.AWAITING
    ).aggregate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(ctx.today)))
    overdue = counts["overdue"]
    return [
        Line(
            "duban",
            "督办待答复",
            counts["open"],
            _list(f"status={SupervisionStatus.AWAITING}"),
            detail=f"其中 {overdue} 件已超过答复期限" if overdue else "请在答复期限前答复",
            level="danger" if overdue else "warning",
        )
    ]
