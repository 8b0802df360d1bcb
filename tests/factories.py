"""Factories for test data. Apps add their own factories here as they grow."""

import datetime
from decimal import Decimal

import factory

from projects.models import (
    ClaimStatus,
    FundsEntry,
    FundsSource,
    Industry,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
    Project,
)
from units.models import CollaborationGroup, GroupMembership, Role, Unit, UnitType, User

PASSWORD = "test-pass-123"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n:03d}")
    unit_type = UnitType.COUNTY
    head_name = "王主任"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborationGroup

    year = 2026
    name = factory.Sequence(lambda n: f"第{n}招商协作组")
    leader_name = "张市长"
    leader_title = "副市长"
    lead_unit = factory.SubFactory(UnitFactory)


def add_member(group, unit):
    return GroupMembership.objects.create(group=group, unit=unit, year=group.year)


class UserFactory(factory.django.DjangoModelFactory):
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


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = "装备制造"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n:04d}")
    investor_name = factory.Sequence(lambda n: f"测试投资有限公司{n:04d}")
    industry = factory.SubFactory(IndustryFactory)
    category = "industrial"
    unit = factory.SubFactory(UnitFactory)
    total_investment = Decimal("20000")
    contracted_investment = Decimal("15000")
    stage = "signed"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    kind = MilestoneKind.SIGNED
    date = datetime.date(2026, 3, 15)
    status = ClaimStatus.APPROVED


class MonthlyInvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyInvestment

    project = factory.SubFactory(ProjectFactory)
    month = datetime.date(2026, 3, 1)
    amount = Decimal("1000")
    status = ClaimStatus.APPROVED


class FundsEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundsEntry

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 3, 20)
    source = FundsSource.ENTERPRISE
    amount = Decimal("500")
    status = ClaimStatus.APPROVED


# --- verification (claims workflow, duplicates) ---


class EvidenceFactory(factory.django.DjangoModelFactory):
    """An evidence file attached to a milestone by default; pass investment= or funds= instead."""

    class Meta:
        model = "projects.Evidence"

    milestone = factory.SubFactory(MilestoneFactory)
    file = factory.django.FileField(filename="合同扫描件.pdf", data=b"%PDF-1.4 demo")
    original_name = "合同扫描件.pdf"
    content_type = "application/pdf"
    size = 13
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
