"""The persons registry's rules (issue 19): who may register or change whom, the search behind
the 引资人/包扶领导 boxes, and what a person's page lists.

The office (考核办) and the administrator manage every person — intermediaries are registered
by the office, with their registration date and status. A unit's staff and head register and
keep up to date their own unit's staff (the people they credit on their projects). Leaders read.
The search decides nothing about access: the form's queryset (`Person.choosable_for`) validates
the choice on the server.
"""

from projects.models import Person, PersonKind
from units import access
from units.models import Role

LIMIT = 20
# Search purposes: who a box offers. "introducer": the project unit's staff, leaders and
# intermediaries; "leader": leaders only (包扶领导); "registry": everyone the user may read.
PURPOSES = ("introducer", "leader", "registry")


def can_manage_all(user):
    return access.is_reviewer(user)


def can_add_person(user):
    return can_manage_all(user) or (
        access.role_of(user) in {Role.UNIT_STAFF, Role.UNIT_HEAD} and bool(user.unit_id)
    )


def can_edit_person(user, person):
    if can_manage_all(user):
        return True
    return (
        can_add_person(user) and person.kind == PersonKind.STAFF and person.unit_id == user.unit_id
    )


def search_unit(user, unit_id):
    """The unit whose staff an introducer box offers: the one asked for when the user may read
    it, else the user's own."""
    if unit_id and access.visible_units(user).filter(pk=unit_id).exists():
        return unit_id
    return user.unit_id


def search_persons(user, query, purpose="introducer", unit_id=None, limit=LIMIT):
    """(id, label) of the persons matching `query` that the box for `purpose` offers."""
    persons = Person.objects.visible_to(user)
    if purpose == "introducer":
        persons = persons.choosable_for(search_unit(user, unit_id))
    elif purpose == "leader":
        persons = persons.choosable_for(None, kinds=[PersonKind.LEADER])
    persons = persons.search(query[:50]).select_related("unit").order_by("kind", "name", "pk")
    return [(p.pk, p.label) for p in persons[:limit]]
