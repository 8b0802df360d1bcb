"""Differences between two AssessmentResults, unit by unit (and group by group)."""

from dataclasses import dataclass, field

ENTITY_FIELDS = [
    ("score", "得分"),
    ("rank", "排名"),
    ("echelon", "方阵"),
    ("overall", "总体完成率"),
    ("status", "状态"),
    ("adjustment", "加减分"),
]


@dataclass
class Change:
    label: str
    old: object
    new: object


@dataclass
class EntityDiff:
    kind: str
    id: int
    name: str
    changes: list[Change] = field(default_factory=list)


def diff_results(old, new):
    """[EntityDiff] for every unit and group whose figures differ between `old` and `new`.

    Compares score, rank, echelon, overall completion, status, adjustments and, per indicator,
    target, actual and pending. An entity present in only one result shows as all changed.
    """
    names = {i.code: i.name for i in [*old.indicators, *new.indicators]}
    out = []
    for kind, old_list, new_list in (
        ("unit", old.units, new.units),
        ("group", old.groups, new.groups),
    ):
        old_by_id = {e.id: e for e in old_list}
        new_by_id = {e.id: e for e in new_list}
        order = [e.id for e in new_list] + [i for i in old_by_id if i not in new_by_id]
        for entity_id in order:
            a, b = old_by_id.get(entity_id), new_by_id.get(entity_id)
            entry = EntityDiff(kind=kind, id=entity_id, name=(b or a).name)
            for attr, label in ENTITY_FIELDS:
                va, vb = getattr(a, attr, None), getattr(b, attr, None)
                if va != vb:
                    entry.changes.append(Change(label, va, vb))
            codes = list(
                dict.fromkeys([*(a.indicators if a else {}), *(b.indicators if b else {})])
            )
            for code in codes:
                ra = a.indicators.get(code) if a else None
                rb = b.indicators.get(code) if b else None
                for attr, label in (("target", "目标"), ("actual", "完成"), ("pending", "待核实")):
                    va, vb = getattr(ra, attr, None), getattr(rb, attr, None)
                    if va != vb:
                        entry.changes.append(Change(f"{names.get(code, code)}·{label}", va, vb))
            if entry.changes:
                out.append(entry)
    return out
