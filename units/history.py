"""A unit's and a group's value history (who renamed it, changed its leader, added or removed which
member, from which value to which) for their pages. Records are collected here, one query per
model; `projects.history.entries` is the one renderer.
"""

from projects.history import entries
from units.models import CollaborationGroup, GroupMembership, Unit

SHOWN = 50


def _render(records, subject, hidden):
    shown = entries(records, subject=subject, hide_unchanged=True, with_values=True, hidden=hidden)
    return shown[:SHOWN]


def unit_history(unit):
    """The unit's own changes and its memberships joined or left, newest first."""
    records = list(Unit.history.filter(id=unit.pk).select_related("history_user"))
    records += GroupMembership.history.filter(unit_id=unit.pk).select_related("history_user")
    return _render(
        records,
        lambda r: "单位信息" if r.instance_type is Unit else "协作组成员",
        {GroupMembership: {"unit"}},
    )


def group_history(group):
    """The group's own changes and its members added or removed, newest first."""
    records = list(CollaborationGroup.history.filter(id=group.pk).select_related("history_user"))
    records += GroupMembership.history.filter(group_id=group.pk).select_related("history_user")
    return _render(
        records,
        lambda r: "协作组信息" if r.instance_type is CollaborationGroup else "成员单位",
        {GroupMembership: {"group"}},
    )
