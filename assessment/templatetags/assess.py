"""Template filters and tags for assessment figures (formatting lives in `assessment.formatting`,
echelon names in `assessment.results.Echelon`, what a user sees in `assessment.visibility`)."""

from django import template

from assessment import formatting, results, visibility
from assessment.ranking_rows import ranking_rows as build_ranking_rows
from units import access

register = template.Library()

register.filter("figure", formatting.figure)
register.filter("bar_width", formatting.bar_width)
register.filter("quarter_name", formatting.quarter_name)


@register.filter
def echelon_name(value):
    """第一方阵 / 第二方阵 / 第三方阵, or — for an entity that is not ranked."""
    return results.echelon_name(value)


@register.simple_tag
def echelon_choices():
    """[(1, 第一方阵), (2, 第二方阵), (3, 第三方阵)], for legends."""
    return results.Echelon.choices


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def ranking_rows(result, entities, kind, changes=None, linkable_units=None):
    """The ranking table's body rows, built in Python (`assessment.ranking_rows`)."""
    return build_ranking_rows(result, entities, kind, changes, linkable_units)


@register.simple_tag(takes_context=True)
def assessment_latest(context, unit):
    """{year, quarter, entity, explainable} of the unit in the newest announced snapshot, or
    None. `explainable`: the reader may open that year's explanation page (a coordinator only
    for a year the unit was in their group), so the page links it only then, like the ranking."""
    latest = visibility.latest_announced_entity(unit.pk)
    if latest is not None:
        user = context["request"].user
        latest["explainable"] = access.can_view_unit(user, unit, year=latest["year"])
    return latest
