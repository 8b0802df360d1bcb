"""Factories of `units`: units, collaboration groups with their members, users."""

import factory

from tests.factories.base import GuardedFactory
from units.models import CollaborationGroup, GroupMembership, Role, Unit, UnitType, User

PASSWORD = "test-pass-123"


class UnitFactory(GuardedFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n:03d}")
    unit_type = UnitType.COUNTY
    head_name = "王主任"


class GroupFactory(GuardedFactory):
    class Meta:
        model = CollaborationGroup

    year = 2026
    name = factory.Sequence(lambda n: f"第{n}招商协作组")
    leader_name = "张市长"
    leader_title = "副市长"
    lead_unit = factory.SubFactory(UnitFactory)


class GroupMembershipFactory(GuardedFactory):
    """A unit in a group; the membership's year is the group's (GroupMembership.save copies it)."""

    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    unit = factory.SubFactory(UnitFactory)


def add_member(group, unit):
    return GroupMembershipFactory(group=group, unit=unit)


class UserFactory(GuardedFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.UNIT_STAFF
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
