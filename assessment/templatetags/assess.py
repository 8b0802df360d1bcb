"""Template filters for assessment figures: counts (个), 万元 or 亿元 by the indicator's unit."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from units.templatetags.zs import wan_plain

register = template.Library()

ECHELON_NAMES = {1: "第一方阵", 2: "第二方阵", 3: "第三方阵"}


@register.filter
def figure(value, display_unit):
    """A figure in its indicator's display unit: '1.5 个', '1,234.00 万元', '1.23 亿元'."""
    if value is None:
        return "—"
    value = Decimal(value)
    if display_unit == "个":
        text = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        return f"{text:f} 个"
    if display_unit == "亿元":
        return f"{wan_plain(value / Decimal(10000))} 亿元"
    return f"{wan_plain(value)} 万元"


@register.filter
def echelon_name(value):
    return ECHELON_NAMES.get(value, "—")


@register.filter
def bar_width(value):
    """Completion percent → a CSS width 0–100 for a progress bar."""
    if value is None:
        return 0
    return int(max(Decimal(0), min(Decimal(value), Decimal(100))))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def ranking_rows(result, entities, kind, changes=None, linkable_units=None):
    """The ranking table's body rows, built in Python (`assessment.ranking_rows`)."""
    from assessment.ranking_rows import ranking_rows as rows

    return rows(result, entities, kind, changes, linkable_units)


@register.simple_tag
def assessment_latest(unit):
    """{year, quarter, entity} of the unit in the newest published snapshot, or None."""
    from assessment.models import Snapshot
    from assessment.serialize import result_from_dict

    snapshot = (
        Snapshot.objects.filter(published_at__isnull=False)
        .select_related("year")
        .order_by("-year__year", "-quarter", "-version")
        .first()
    )
    if snapshot is None:
        return None
    result = result_from_dict(snapshot.data)
    entity = next((e for e in result.units if e.id == unit.pk), None)
    if entity is None:
        return None
    return {"year": result.year, "quarter": result.quarter, "entity": entity}
