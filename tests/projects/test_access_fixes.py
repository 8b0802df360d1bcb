"""Regressions found by the access matrix (tests/security): a draft's evidence stays with its unit,
and only the lead's own unit (or one it was shared with) may convert it into a project."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import ClaimStatus, LeadStatus, Project
from tests.factories import (
    EvidenceFactory,
    FundsEntryFactory,
    IndustryFactory,
    LeadFactory,
    MilestoneFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_evidence(unit_a):
    milestone = MilestoneFactory(project=ProjectFactory(unit=unit_a), status=ClaimStatus.DRAFT)
    return EvidenceFactory(milestone=milestone)


def test_a_draft_claims_evidence_is_not_served_outside_its_unit(
    client, login, staff_a, coordinator, reviewer, leader, draft_evidence
):
    url = reverse("projects:evidence_download", args=[draft_evidence.pk])
    assert login(staff_a).get(url).status_code == 200
    for user in (coordinator, reviewer, leader):
        client.logout()
        assert login(user).get(url).status_code == 404, user.username


def test_the_evidence_is_served_to_the_office_once_the_claim_is_submitted(
    login, reviewer, draft_evidence
):
    draft_evidence.milestone.status = ClaimStatus.SUBMITTED
    draft_evidence.milestone.save()
    response = login(reviewer).get(reverse("projects:evidence_download", args=[draft_evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


@pytest.fixture
def lead_a(unit_a, staff_a):
    return LeadFactory(
        unit=unit_a,
        investor_name="深圳某电子科技有限公司",
        industry=IndustryFactory(name="电子信息"),
        created_by=staff_a,
    )


def test_a_coordinator_cannot_convert_a_member_units_lead(login, coordinator, lead_a):
    client = login(coordinator)
    url = reverse("projects:lead_convert", args=[lead_a.pk])
    # The coordinator may read the lead, but converting it would change unit A's lead.
    detail = client.get(reverse("projects:lead_detail", args=[lead_a.pk]))
    assert detail.status_code == 200
    assert "转为项目" not in detail.content.decode()
    assert client.get(url).status_code == 403
    data = {
        "name": "深圳某电子科技有限公司投资项目",
        "investor_name": lead_a.investor_name,
        "industry": lead_a.industry_id,
        "category": "industrial",
        "stage": "negotiating",
    }
    assert client.post(url, data).status_code == 403
    lead_a.refresh_from_db()
    assert (lead_a.status, lead_a.project) == (LeadStatus.OPEN, None)
    assert not Project.objects.exists()


def test_a_unit_the_lead_was_shared_with_may_convert_it(login, staff_b, unit_b, lead_a):
    lead_a.shared_with.add(unit_b)
    response = login(staff_b).get(reverse("projects:lead_convert", args=[lead_a.pk]))
    assert response.status_code == 200


def test_the_project_page_shows_another_units_drafts_to_nobody(
    client, login, staff_a, coordinator, reviewer, leader, unit_a, group
):
    project = ProjectFactory(unit=unit_a)
    FundsEntryFactory(project=project, amount=Decimal("4321"), status=ClaimStatus.DRAFT)
    FundsEntryFactory(project=project, amount=Decimal("765"), status=ClaimStatus.SUBMITTED)
    url = reverse("projects:project_detail", args=[project.pk])
    own = login(staff_a).get(url).content.decode()
    assert "4,321" in own or "4321" in own
    for user in (coordinator, reviewer, leader):
        client.logout()
        page = login(user).get(url).content.decode()
        assert "4321" not in page and "4,321" not in page, user.username
        assert "765" in page, user.username
