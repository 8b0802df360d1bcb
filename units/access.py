"""The one access policy (SPEC §1).

Every view and export asks this module what a user may see or change.

Roles:
- unit staff / unit head: their own unit; the head may also withdraw and resubmit claims.
- group coordinator: staff of a group's lead unit; edits their own unit like staff, reads every
  member unit of the groups their unit leads, for the years it leads them.
- parent unit (issue 20 item 3): the users of a unit with sub-units also read their sub-units'
  (and their sub-units' sub-units') projects, claims and figures, every year; they edit only their
  own unit's data (`can_edit_unit_data`), and drafts stay with the sub-unit (`drafts_filter`).
  The passed-down targets are the parent's own breakdown (`can_edit_subunit_targets`).
- reviewer (考核办): reads everything, manages organisation, indicators, targets, verification.
- leader (市领导): reads everything; approves confirmed claims; changes no data.
- admin: everything, including Django admin.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from units.models import MAX_UNIT_DEPTH, CollaborationGroup, GroupMembership, Role, Unit


def role_of(user):
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def is_admin(user):
    return role_of(user) == Role.ADMIN


def is_reviewer(user):
    return role_of(user) in {Role.REVIEWER, Role.ADMIN}


def is_leader(user):
    return role_of(user) == Role.LEADER


def sees_everything(user):
    """Reviewers, leaders and admins read every unit's data."""
    return role_of(user) in {Role.REVIEWER, Role.LEADER, Role.ADMIN}


def is_unit_user(user):
    return role_of(user) in {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.COORDINATOR}


def is_unit_head(user):
    return role_of(user) == Role.UNIT_HEAD


def can_manage_organisation(user):
    """Create and edit units and groups, deactivate units."""
    return is_reviewer(user)


def coordinated_memberships(user, year=None):
    """Memberships of the groups whose lead unit is the user's unit (for coordinators)."""
    if role_of(user) != Role.COORDINATOR or not user.unit_id:
        return GroupMembership.objects.none()
    qs = GroupMembership.objects.filter(group__lead_unit_id=user.unit_id)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def visible_unit_filter(user, field="unit", year=None, year_field=None, in_year=None):
    """A Q object limiting rows whose unit lies behind `field` to what the user may read.

    A coordinator reads a member unit only for the years it was a member of their group (SPEC §1).
    `year` narrows that to one year; `year_field` (a path to the row's year) or `in_year` (a
    function of a year giving a Q of the rows belonging to that year, for rows that span years,
    such as projects) ties each row to the years of membership. With none of them, any year of
    membership counts (for rows without a year: the unit itself, its profile).
    """
    if sees_everything(user):
        return Q()
    if not is_unit_user(user) or not user.unit_id:
        return Q(pk__in=[])
    key = f"{field}_id" if field != "pk" else "pk"
    q = Q(**{key: user.unit_id}) | below_unit_filter(user.unit_id, field)
    if role_of(user) == Role.COORDINATOR:
        members = coordinated_memberships(user, year)
        if in_year is None and year_field:

            def in_year(year_value):
                return Q(**{year_field: year_value})

        if in_year is not None:
            for year_value, unit_id in members.values_list("year", "unit_id"):
                q |= Q(**{key: unit_id}) & in_year(year_value)
        else:
            q |= Q(**{f"{key}__in": members.values("unit_id")})
    return q


def below_unit_filter(unit_id, field="unit"):
    """Q of rows whose unit (behind `field`, or the row itself for "pk") lies below `unit_id`.

    The depth limit (MAX_UNIT_DEPTH) bounds the chain, so it is joins on the parent link inside
    the caller's query, never a query of its own."""
    prefix = "" if field == "pk" else f"{field}__"
    q = Q(pk__in=[])
    for level in range(1, MAX_UNIT_DEPTH):
        q |= Q(**{f"{prefix}{'parent__' * (level - 1)}parent_id": unit_id})
    return q


def visible_units(user, year=None):
    """Units the user may read."""
    return Unit.objects.filter(visible_unit_filter(user, field="pk", year=year))


def can_view_unit(user, unit, year=None):
    return visible_units(user, year).filter(pk=unit.pk).exists()


def can_edit_unit_data(user, unit_id):
    """May the user enter or edit data (projects, progress, funds) belonging to this unit?"""
    if is_admin(user):
        return True
    return is_unit_user(user) and user.unit_id == unit_id


def editable_units(user):
    """Units whose data the user may enter."""
    if is_admin(user):
        return Unit.objects.filter(is_active=True)
    if is_unit_user(user) and user.unit_id:
        return Unit.objects.filter(pk=user.unit_id, is_active=True)
    return Unit.objects.none()


def can_read_subunits(user, unit):
    """The 下属单位 pages of `unit` (roll-up and passed-down targets): those who read everything,
    and the users of `unit` or of a unit above it. A coordinator reads its member units, not
    their sub-units (groups are of top-level units)."""
    if sees_everything(user):
        return True
    if not is_unit_user(user) or not user.unit_id:
        return False
    above = {unit.pk, unit.parent_id}
    if unit.parent_id:
        above.add(Unit.objects.filter(pk=unit.parent_id).values_list("parent_id", flat=True)[0])
    return user.unit_id in above


def can_edit_subunit_targets(user, unit):
    """Targets passed down to `unit`'s sub-units (its 下属单位 page): the office (reviewers and
    admins), and the staff and head of `unit` itself — the breakdown is the parent's own internal
    task allocation (issue 20 item 3: 把招商任务下达到每个下属单位). Not a coordinator of another
    unit, not the sub-units themselves, not the city leaders (who change no data). A published
    year's targets stay frozen for all of them (the guard)."""
    if is_reviewer(user):
        return True
    return is_unit_user(user) and user.unit_id == unit.pk


def can_edit_unit_profile(user, unit):
    """Reviewers edit any unit; a unit head keeps their own unit's contacts up to date."""
    if can_manage_organisation(user):
        return True
    return is_unit_head(user) and user.unit_id == unit.pk


def visible_groups(user, qs=None):
    qs = qs if qs is not None else CollaborationGroup.objects.all()
    if sees_everything(user):
        return qs
    if not user.is_authenticated or not user.unit_id:
        return qs.none()
    # A unit user sees the groups their unit belongs to (or leads) in each year.
    return qs.filter(Q(memberships__unit_id=user.unit_id) | Q(lead_unit_id=user.unit_id)).distinct()


def can_read_group_workspace(user, group):
    """The group's workspace and its 通报 (figures, ranks, 帮办 and leads of every member): the
    lead unit's coordinators for the group's year (a group is one year's), and everyone who reads
    everything — the office, the city leaders (the group leader among them) and admins."""
    if sees_everything(user):
        return True
    return role_of(user) == Role.COORDINATOR and user.unit_id == group.lead_unit_id


def require(condition):
    """Raise 403 unless condition holds; views use it for every guarded action."""
    if not condition:
        raise PermissionDenied
