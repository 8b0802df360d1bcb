"""The projects section of a unit's page (the units app includes it without knowing projects)."""

from django import template
from django.db.models import Count

from projects import alerts, services
from projects.models import Project, Stage
from projects.models.project import UNSIGNED_STAGES
from units.templatetags.zs import DASH, wan

register = template.Library()


@register.inclusion_tag("projects/_unit_section.html", takes_context=True)
def unit_projects_section(context, unit):
    """Project counts by stage and the unit's alerts, as far as the viewer may see them."""
    user = context["request"].user
    projects = Project.objects.visible_to(user).filter(unit=unit)
    counts = dict(projects.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return {
        "unit": unit,
        "stages": [(s.value, s.label, counts.get(s.value, 0)) for s in Stage],
        "total": sum(counts.values()),
        "alerts": alerts.scoped_alerts(user, services.today(), unit),
    }


@register.filter
def contracted(project):
    """The project's 合同投资 in 万元, or — before a signing (no contract, not a reported zero)."""
    if project.stage in UNSIGNED_STAGES and not project.contracted_investment:
        return DASH
    return wan(project.contracted_investment)
