"""Target grids (目标): one grid per year for units and one for groups, validated as a whole."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from assessment.forms import parse_target
from assessment.models import AssessmentLog, LogAction, Target
from units.models import CollaborationGroup, GroupMembership, Unit


def owners(year_obj, kind):
    """Grid rows: active units (and inactive ones holding targets), or the year's groups."""
    if kind == "group":
        return list(CollaborationGroup.objects.filter(year=year_obj.year).order_by("sort_order"))
    with_targets = Target.objects.filter(indicator__year=year_obj, unit__isnull=False).values(
        "unit_id"
    )
    return list(Unit.objects.filter(Q(is_active=True) | Q(pk__in=with_targets)))


def field_name(owner_id, indicator_id):
    return f"t-{owner_id}-{indicator_id}"


def current_values(year_obj, kind):
    """{(owner_id, indicator_id): Decimal} of saved targets."""
    key = "group_id" if kind == "group" else "unit_id"
    rows = Target.objects.filter(indicator__year=year_obj, **{f"{key}__isnull": False})
    return {
        (r[key], r["indicator_id"]): r["value"] for r in rows.values(key, "indicator_id", "value")
    }


@dataclass
class GridResult:
    values: dict  # {(owner_id, indicator_id): raw text}
    errors: dict = field(default_factory=dict)  # {(owner_id, indicator_id): message}


@transaction.atomic
def save_grid(year_obj, kind, data, user=None):
    """Validate every cell of a posted grid; save all or nothing. A cell posted empty removes the
    target; a cell not posted at all (a truncated or hand-made request) stays as it is, so an
    empty POST cannot wipe a year's targets.

    Returns a GridResult; `errors` is empty when saved.
    """
    indicators = list(year_obj.indicators.all())
    rows = owners(year_obj, kind)
    saved = current_values(year_obj, kind)
    result = GridResult(values={})
    parsed = {}
    for owner in rows:
        for ind in indicators:
            name = field_name(owner.pk, ind.pk)
            if name not in data:
                value = saved.get((owner.pk, ind.pk))
                result.values[(owner.pk, ind.pk)] = "" if value is None else f"{value:f}"
                continue
            raw = data[name]
            result.values[(owner.pk, ind.pk)] = raw
            try:
                parsed[(owner, ind)] = parse_target(raw)
            except ValueError as exc:
                result.errors[(owner.pk, ind.pk)] = f"{owner}·{ind.name}：{exc}"
    if result.errors:
        return result
    key = "group" if kind == "group" else "unit"
    existing = {(getattr(t, f"{key}_id"), t.indicator_id): t for t in _targets(year_obj, key)}
    for (owner, ind), value in parsed.items():
        target = existing.get((owner.pk, ind.pk))
        if value is None:
            if target is not None:
                target.delete()
        elif target is None:
            Target.objects.create(indicator=ind, value=value, **{key: owner})
        elif target.value != value:
            target.value = value
            target.save(update_fields=["value"])
    label = "协作组目标" if kind == "group" else "单位目标"
    AssessmentLog.objects.create(
        year=year_obj, action=LogAction.CHANGE_TARGETS, actor=user, reason=f"保存{label}"
    )
    return result


def _targets(year_obj, key):
    return Target.objects.filter(indicator__year=year_obj, **{f"{key}__isnull": False})


@dataclass
class GroupShortfall:
    group: str
    indicator: str
    group_target: Decimal
    members_total: Decimal


def group_shortfalls(year_obj):
    """Where the member units' targets add up to less than the group's own target."""
    groups = {g.pk: g for g in CollaborationGroup.objects.filter(year=year_obj.year)}
    members = {}
    for unit_id, group_id in GroupMembership.objects.filter(year=year_obj.year).values_list(
        "unit_id", "group_id"
    ):
        members.setdefault(group_id, set()).add(unit_id)
    unit_values = current_values(year_obj, "unit")
    names = {i.pk: i.name for i in year_obj.indicators.all()}
    out = []
    for (group_id, ind_id), value in sorted(current_values(year_obj, "group").items()):
        total = sum(
            (
                v
                for (u, i), v in unit_values.items()
                if i == ind_id and u in members.get(group_id, ())
            ),
            Decimal(0),
        )
        if total < value:
            out.append(GroupShortfall(groups[group_id].name, names[ind_id], value, total))
    return out
