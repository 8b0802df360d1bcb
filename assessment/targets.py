"""Target grids (目标): owners as rows, indicators as columns, validated as a whole. One grid for
the year's units and groups (Target) and for a campaign's units (CampaignTarget, see
assessment.campaigns.services): the same cell names, the same parsing (`parse_target`), the same
all-or-nothing save and the same rule for cells left out of a POST."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment.forms import parse_target
from assessment.models import AssessmentLog, LogAction, Target
from units.models import CollaborationGroup, GroupMembership, Unit
from zhaoshang.guarded import check_raw_delete


def field_name(owner_id, indicator_id):
    return f"t-{owner_id}-{indicator_id}"


def shown_values(saved):
    """{(owner_id, indicator_id): Decimal} → the text each input shows."""
    return {key: f"{value:f}" for key, value in saved.items()}


def grid_table(owners, indicators, values, errors=None):
    """[(owner, [(field name, text, error or None) per indicator])] for the grid templates."""
    errors = errors or {}
    return [
        (
            owner,
            [
                (
                    field_name(owner.pk, ind.pk),
                    values.get((owner.pk, ind.pk), ""),
                    errors.get((owner.pk, ind.pk)),
                )
                for ind in indicators
            ],
        )
        for owner in owners
    ]


@dataclass
class GridResult:
    values: dict  # {(owner_id, indicator_id): raw text}
    errors: dict = field(default_factory=dict)  # {(owner_id, indicator_id): message}


def parse_grid(owners, indicators, data, saved):
    """Validate every cell of a posted grid. A cell posted empty removes its target; a cell not
    posted at all (a truncated or hand-made request) keeps what is saved, so an empty POST cannot
    wipe a grid. `saved`: {(owner_id, indicator_id): Decimal}.

    Returns (GridResult, {(owner, indicator): Decimal or None} of the posted cells).
    """
    result = GridResult(values={})
    parsed = {}
    for owner in owners:
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
    return result, parsed


def write_grid(model, owner_field, parsed, existing, user=None, **fixed):
    """Apply parsed cells to the saved `model` rows: an empty cell deletes its row, a changed value
    updates it, a new value creates `model(indicator=…, value=…, <owner_field>=owner, **fixed)`.
    `existing`: {(owner_id, indicator_id): row}. A few queries, whatever the grid's size — the
    value history included (`user` is recorded as who changed it; without one, the request's)."""
    stale, changed, new = [], [], []
    for (owner, ind), value in parsed.items():
        target = existing.get((owner.pk, ind.pk))
        if value is None:
            if target is not None:
                stale.append(target)
        elif target is None:
            new.append(model(indicator=ind, value=value, **{owner_field: owner}, **fixed))
        elif target.value != value:
            target.value = value
            changed.append(target)
    if stale:
        _delete_with_history(model, stale, user)
    if changed:
        bulk_update_with_history(changed, model, ["value"], default_user=user)
    if new:
        bulk_create_with_history(new, model, default_user=user)


def _delete_with_history(model, rows, user):
    """Delete `rows` with one 删除 history row each, in two queries.

    A queryset delete would send post_delete per row, and simple-history would insert its rows one
    by one; target rows have nothing depending on them, so a raw delete loses nothing.
    """
    historical = model.history.model
    now = timezone.now()
    user = user or historical.get_default_history_user(rows[0])
    historical.objects.bulk_create(
        [
            historical(
                history_date=now,
                history_user=user,
                history_type="-",
                **{f.attname: getattr(row, f.attname) for f in historical.tracked_fields},
            )
            for row in rows
        ]
    )
    check_raw_delete(model, rows)  # a raw delete sends no signal: ask the write guard here
    qs = model.objects.filter(pk__in=[row.pk for row in rows])
    qs._raw_delete(qs.db)


# --- the year's grids -----------------------------------------------------------------------


def owners(year_obj, kind):
    """Grid rows: active top-level units (and inactive ones holding targets), or the year's
    groups. Sub-units' targets are their parent's breakdown, kept on the parent's 下属单位 page
    (`units.subunits`), so the office's grid neither shows nor touches them."""
    if kind == "group":
        return list(CollaborationGroup.objects.filter(year=year_obj.year).order_by("sort_order"))
    with_targets = Target.objects.filter(
        indicator__year=year_obj, unit__isnull=False, unit__parent__isnull=True
    ).values("unit_id")
    top_active = Q(is_active=True, parent__isnull=True)
    return list(Unit.objects.filter(top_active | Q(pk__in=with_targets)))


def current_values(year_obj, kind):
    """{(owner_id, indicator_id): Decimal} of saved targets (top-level units' or groups')."""
    key = "group_id" if kind == "group" else "unit_id"
    rows = _targets(year_obj, key.removesuffix("_id"))
    return {
        (r[key], r["indicator_id"]): r["value"] for r in rows.values(key, "indicator_id", "value")
    }


@transaction.atomic
def save_grid(year_obj, kind, data, user=None):
    """Validate every cell of a posted grid and save all or nothing (`parse_grid`, `write_grid`).

    Returns a GridResult; `errors` is empty when saved.
    """
    indicators = list(year_obj.indicators.all())
    result, parsed = parse_grid(
        owners(year_obj, kind), indicators, data, current_values(year_obj, kind)
    )
    if result.errors:
        return result
    key = "group" if kind == "group" else "unit"
    existing = {(getattr(t, f"{key}_id"), t.indicator_id): t for t in _targets(year_obj, key)}
    write_grid(Target, key, parsed, existing, user)
    label = "协作组目标" if kind == "group" else "单位目标"
    AssessmentLog.objects.create(
        year=year_obj, action=LogAction.CHANGE_TARGETS, actor=user, reason=f"保存{label}"
    )
    return result


def _targets(year_obj, key):
    qs = Target.objects.filter(indicator__year=year_obj, **{f"{key}__isnull": False})
    return qs.filter(unit__parent__isnull=True) if key == "unit" else qs


@dataclass
class GroupShortfall:
    group: str
    indicator: str
    group_target: Decimal
    members_total: Decimal
    display_unit: str = "万元"  # how the two figures read (`assessment.formatting.figure`)


def group_shortfalls(year_obj):
    """Where the member units' targets add up to less than the group's own target."""
    groups = {g.pk: g for g in CollaborationGroup.objects.filter(year=year_obj.year)}
    members = {}
    for unit_id, group_id in GroupMembership.objects.filter(year=year_obj.year).values_list(
        "unit_id", "group_id"
    ):
        members.setdefault(group_id, set()).add(unit_id)
    unit_values = current_values(year_obj, "unit")
    indicators = {i.pk: i for i in year_obj.indicators.all()}
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
            ind = indicators[ind_id]
            out.append(
                GroupShortfall(groups[group_id].name, ind.name, value, total, ind.display_unit)
            )
    return out
