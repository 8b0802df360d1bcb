"""The write guard under the paths no form covers: plain ORM saves and deletes, bulk writes,
queryset updates and cascades — what a management command, a script in `manage.py shell` or a
future feature would use. Each attempt is refused and the published 2025 Q4 (`sealed_record`)
reads as before."""

import datetime
from decimal import Decimal

import pytest

from assessment.models import Target
from projects.models import (
    ClaimStatus,
    CreditShare,
    FundsEntry,
    Milestone,
    MilestoneKind,
    NewnessOverride,
    Project,
)
from tests.factories import ProjectFactory
from tests.integrity.published_2025 import city2025, sealed_record  # noqa: F401 (fixture)
from units.models import GroupMembership
from zhaoshang.guarded import Frozen, GuardBypass

pytestmark = pytest.mark.django_db


def test_orm_saves_of_frozen_figures_are_refused(city2025, reviewer):  # noqa: F811
    before = sealed_record(reviewer)
    entry = city2025["funds"]
    entry.amount = Decimal("723.03")
    with pytest.raises(Frozen, match="已发布通报并锁定"):
        entry.save()
    project = city2025["project"]
    project.category = "real_estate"
    with pytest.raises(Frozen, match="考核口径"):
        project.save()
    with pytest.raises(Frozen, match="分成"):
        CreditShare.objects.filter(project=project).first().delete()
    with pytest.raises(Frozen, match="新引进/结转"):
        NewnessOverride.objects.create(project=project, year=2025, is_new=False, reason="改结转")
    assert sealed_record(reviewer) == before


def test_bulk_writes_and_queryset_updates_cannot_go_round_the_guard(
    city2025,  # noqa: F811
    reviewer,
):
    before = sealed_record(reviewer)
    project = city2025["project"]
    late = Milestone(project=project, kind=MilestoneKind.COMPLETED, date=datetime.date(2025, 12, 1))
    with pytest.raises(Frozen, match="已发布通报并锁定"):
        Milestone.objects.bulk_create([late])
    with pytest.raises(GuardBypass):
        FundsEntry.objects.filter(pk=city2025["funds"].pk).update(amount=Decimal("1"))
    target = Target.objects.filter(indicator__year=city2025["ay"]).first()
    target.value += 1
    with pytest.raises(Frozen, match="考核规则、指标和目标已锁定"):
        Target.objects.bulk_update([target], ["value"])
    with pytest.raises(Frozen, match="协作组"):
        GroupMembership.objects.filter(group=city2025["group"]).delete()
    assert sealed_record(reviewer) == before


def test_a_project_with_verified_claims_is_not_deleted_even_by_a_queryset(
    city2025,  # noqa: F811
    reviewer,
):
    before = sealed_record(reviewer)
    with pytest.raises(Frozen):
        Project.objects.filter(pk=city2025["project"].pk).delete()
    assert Project.objects.filter(pk=city2025["project"].pk).exists()
    assert sealed_record(reviewer) == before


def test_only_the_workflow_approves_a_claim(unit_a):
    project = ProjectFactory(unit=unit_a)
    with pytest.raises(Frozen, match="只能通过审核流程审定"):
        FundsEntry.objects.create(
            project=project,
            date=datetime.date(2026, 11, 2),
            amount=Decimal("50"),
            status=ClaimStatus.APPROVED,
        )
    entry = FundsEntry.objects.create(
        project=project, date=datetime.date(2026, 11, 2), amount=Decimal("50")
    )
    entry.status = ClaimStatus.APPROVED
    with pytest.raises(Frozen, match="只能通过审核流程审定"):
        entry.save()
    assert FundsEntry.objects.get().status == ClaimStatus.DRAFT
