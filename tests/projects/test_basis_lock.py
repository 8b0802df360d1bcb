"""Once a figure is verified, the project fields that decide what it counts for are frozen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import ClaimStatus, MilestoneKind, PersonKind
from tests.factories import FundsEntryFactory, IntroducerFactory, MilestoneFactory, PersonFactory
from tests.projects.test_project_form import project_data, shares_data

pytestmark = pytest.mark.django_db


def _edit(client, project, **overrides):
    data = project_data(
        project.unit,
        name=project.name,
        total_investment=str(project.total_investment),
        contracted_investment=str(project.contracted_investment),
        version=project.version,
    )
    data.pop("stage", None)
    data.update(overrides)
    return client.post(reverse("projects:project_edit", args=[project.pk]), data)


def test_contracted_investment_is_frozen_after_an_approved_signing(login, staff_a, project_a):
    MilestoneFactory(project=project_a, kind=MilestoneKind.SIGNED, status=ClaimStatus.APPROVED)
    response = _edit(login(staff_a), project_a, contracted_investment="9999")
    assert response.status_code == 200
    assert "此项属于考核口径" in response.content.decode()
    project_a.refresh_from_db()
    assert project_a.contracted_investment == Decimal("15000")


def test_other_fields_stay_editable_after_an_approved_signing(login, staff_a, project_a):
    MilestoneFactory(project=project_a, kind=MilestoneKind.SIGNED, status=ClaimStatus.APPROVED)
    leader = PersonFactory(name="王副区长", kind=PersonKind.LEADER)
    response = _edit(login(staff_a), project_a, sponsor_leader=leader.pk)
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.sponsor_leader == leader


def test_basis_is_editable_while_the_signing_is_only_submitted(login, staff_a, project_a):
    MilestoneFactory(project=project_a, kind=MilestoneKind.SIGNED, status=ClaimStatus.SUBMITTED)
    assert _edit(login(staff_a), project_a, contracted_investment="9999").status_code == 302
    project_a.refresh_from_db()
    assert project_a.contracted_investment == Decimal("9999")


def test_shares_are_frozen_once_any_claim_is_approved(login, staff_a, project_a, unit_b):
    FundsEntryFactory(project=project_a, status=ClaimStatus.APPROVED)
    url = reverse("projects:project_shares", args=[project_a.pk])
    existing = list(project_a.credit_shares.all())
    response = login(staff_a).post(
        url, shares_data([(project_a.unit, "60"), (unit_b, "40")], existing)
    )
    assert "分成比例不能直接修改" in response.content.decode()
    assert list(project_a.credit_shares.values_list("percent", flat=True)) == [Decimal("100")]


def test_introducers_are_frozen_once_any_claim_is_approved(login, staff_a, project_a):
    FundsEntryFactory(project=project_a, status=ClaimStatus.APPROVED)
    url = reverse("projects:project_shares", args=[project_a.pk])
    existing = list(project_a.credit_shares.all())
    # Shares untouched; only a new 引资人 (王经理) is added.
    response = login(staff_a).post(url, shares_data([(project_a.unit, "100")], existing))
    assert response.status_code == 200
    assert "引资人不能直接修改" in response.content.decode()
    assert not project_a.introducers.exists()


def test_a_frozen_projects_introducer_cannot_be_renamed_or_deleted(login, staff_a, project_a):
    introducer = IntroducerFactory(project=project_a, person__name="周科长")
    other = PersonFactory(name="王经理", kind=PersonKind.INTERMEDIARY)
    MilestoneFactory(project=project_a, kind=MilestoneKind.SIGNED, status=ClaimStatus.APPROVED)
    url = reverse("projects:project_shares", args=[project_a.pk])
    existing = list(project_a.credit_shares.all())
    client = login(staff_a)
    renamed = {"intro-0-person": other.pk}
    deleted = {"intro-0-person": introducer.person_id, "intro-0-DELETE": "on"}
    for change in (renamed, deleted):
        data = shares_data([(project_a.unit, "100")], existing)
        data.update({"intro-INITIAL_FORMS": "1", "intro-0-id": introducer.pk, **change})
        response = client.post(url, data)
        assert "引资人不能直接修改" in response.content.decode()
        assert list(project_a.introducers.values_list("name", flat=True)) == ["周科长"]
