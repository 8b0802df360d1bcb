"""督办 on other apps' pages: the issue button (only for those who may issue) and the open
督办 section of a unit's page (the units app includes it without knowing projects)."""

from django import template

from projects import services as project_services
from projects.models import SupervisionStatus
from projects.supervision import services

register = template.Library()

EXAMPLES = 8


@register.filter
def may_issue_duban(user):
    return services.can_issue(user)


@register.inclusion_tag("projects/_unit_duban.html", takes_context=True)
def unit_supervision_section(context, unit):
    """The unit's open 督办 as far as the viewer may see them (one query), overdue first."""
    user = context["request"].user
    today = project_services.today()
    rows = list(
        services.visible(user)
        .filter(unit=unit)
        .open()
        .select_related("project", "assistance_item__project", "target_unit")
        .overdue_first(today)[: EXAMPLES + 1]
    )
    for row in rows:
        row.overdue = row.is_overdue(today)
    return {
        "unit": unit,
        "rows": rows[:EXAMPLES],
        "more": len(rows) > EXAMPLES,
        "can_issue": services.can_issue(user),
        "awaiting": SupervisionStatus.AWAITING,
    }
