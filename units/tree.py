"""The unit hierarchy in memory (issue 20 item 3): every unit's parent from one query, so the
engine, the access rules and the sub-unit pages walk the tree without a query per unit.

A unit without a parent is top level: the level the year assesses. Flat data (no parents) makes
every unit its own top, so nothing changes for it.
"""

from units.models import Unit


class Tree:
    def __init__(self, parents):
        """`parents`: {unit_id: parent_id or None}."""
        self.parents = dict(parents)
        self._children = {}
        for unit_id, parent_id in self.parents.items():
            if parent_id is not None:
                self._children.setdefault(parent_id, []).append(unit_id)

    @classmethod
    def load(cls):
        """All units' parents in one query."""
        return cls(Unit.objects.order_by().values_list("pk", "parent_id"))

    @classmethod
    def from_units(cls, units):
        """From Unit rows already loaded (every unit, or the caller's ancestors are missing)."""
        return cls((u.pk, u.parent_id) for u in units)

    def ancestors(self, unit_id):
        """Parent, grandparent, … of `unit_id` (nearest first); stops on a cycle."""
        out, seen = [], {unit_id}
        parent = self.parents.get(unit_id)
        while parent is not None and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.parents.get(parent)
        return out

    def top_of(self, unit_id):
        """The top-level ancestor of `unit_id` (itself when it has no parent)."""
        chain = self.ancestors(unit_id)
        return chain[-1] if chain else unit_id

    def depth(self, unit_id):
        """1 for a top-level unit, 2 for its sub-unit, …"""
        return 1 + len(self.ancestors(unit_id))

    def children(self, unit_id):
        return list(self._children.get(unit_id, ()))

    def descendants(self, unit_id):
        """Every unit below `unit_id` (breadth first)."""
        out, queue, seen = [], list(self.children(unit_id)), {unit_id}
        while queue:
            u = queue.pop(0)
            if u in seen:
                continue
            seen.add(u)
            out.append(u)
            queue.extend(self.children(u))
        return out

    def height(self, unit_id):
        """Levels below `unit_id` (0 for a unit without sub-units)."""
        kids = self.children(unit_id)
        return 1 + max(self.height(k) for k in kids) if kids else 0

    def is_top(self, unit_id):
        return self.parents.get(unit_id) is None
