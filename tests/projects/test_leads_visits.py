"""Leads with sharing and conversion into projects; investor visits."""

import pytest
from django.urls import reverse

from projects.models import Lead, Project, Visit
from tests.factories import IndustryFactory, LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_a(unit_a, staff_a):
    return LeadFactory(
        unit=unit_a,
        investor_name="深圳某电子科技有限公司",
        industry=IndustryFactory(name="电子信息"),
        intended_investment="30000",
        source="深圳招商推介会",
        description="拟投资建设智能终端生产基地",
        created_by=staff_a,
    )


def test_unit_records_a_lead(login, staff_a, unit_b):
    client = login(staff_a)
    response = client.post(
        reverse("projects:lead_add"),
        {"investor_name": "宁波某新材料公司", "intended_investment": "8000", "status": "open"},
    )
    lead = Lead.objects.get()
    assert response["Location"] == reverse("projects:lead_detail", args=[lead.pk])
    assert lead.unit == staff_a.unit


def test_negative_intended_investment_is_refused(login, staff_a):
    response = login(staff_a).post(
        reverse("projects:lead_add"),
        {"investor_name": "某公司", "intended_investment": "-1", "status": "open"},
    )
    assert "金额不能为负数" in response.content.decode()
    assert not Lead.objects.exists()


def test_a_lead_is_seen_only_by_its_unit_until_shared(login, lead_a, staff_b, unit_b, client):
    other = login(staff_b)
    assert "深圳某电子科技有限公司" not in other.get(reverse("projects:lead_list")).content.decode()
    assert other.get(reverse("projects:lead_detail", args=[lead_a.pk])).status_code == 404
    lead_a.shared_with.add(unit_b)
    assert "深圳某电子科技有限公司" in other.get(reverse("projects:lead_list")).content.decode()
    assert other.get(reverse("projects:lead_detail", args=[lead_a.pk])).status_code == 200
    # Shared for reading, not for changing.
    assert other.get(reverse("projects:lead_edit", args=[lead_a.pk])).status_code == 403


def test_sharing_a_lead_through_the_form(login, staff_a, lead_a, unit_b):
    client = login(staff_a)
    data = {
        "investor_name": lead_a.investor_name,
        "intended_investment": "30000",
        "shared_with": [unit_b.pk],
        "status": "open",
    }
    assert client.post(reverse("projects:lead_edit", args=[lead_a.pk]), data).status_code == 302
    assert list(lead_a.shared_with.all()) == [unit_b]


def test_converting_a_lead_prefills_the_project_and_links_it(login, staff_a, lead_a):
    client = login(staff_a)
    url = reverse("projects:lead_convert", args=[lead_a.pk])
    form = client.get(url).context["form"]
    assert form.initial["investor_name"] == "深圳某电子科技有限公司"
    assert form.initial["industry"] == lead_a.industry_id
    data = {
        "name": "智能终端生产基地",
        "investor_name": "深圳某电子科技有限公司",
        "origin": "domestic",
        "industry": lead_a.industry_id,
        "category": "industrial",
        "is_new": "1",
        "unit": staff_a.unit_id,
        "total_investment": "30000",
        "contracted_investment": "0",
        "stage": "negotiating",
    }
    response = client.post(url, data)
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    lead_a.refresh_from_db()
    assert (lead_a.status, lead_a.project) == ("converted", project)
    assert client.get(url).status_code == 403


def test_visits_are_recorded_and_linked_to_a_lead(login, staff_a, lead_a, days_ago):
    client = login(staff_a)
    data = {
        "date": days_ago(2).isoformat(),
        "investor_name": "深圳某电子科技有限公司",
        "visitors": "张总、李总",
        "hosts": "区长、招商局局长",
        "outcome": "达成初步投资意向",
        "lead": lead_a.pk,
    }
    assert client.post(reverse("projects:visit_add"), data).status_code == 302
    visit = Visit.objects.get()
    assert (visit.unit, visit.lead) == (staff_a.unit, lead_a)
    assert "达成初步投资意向" in client.get(reverse("projects:visit_list")).content.decode()


def test_a_visit_cannot_be_dated_in_the_future_or_link_another_units_project(
    login, staff_a, project_b, days_ago
):
    client = login(staff_a)
    data = {"date": days_ago(-1).isoformat(), "investor_name": "某客商", "project": project_b.pk}
    response = client.post(reverse("projects:visit_add"), data)
    form = response.context["form"]
    assert "日期不能晚于今天。" in form.errors["date"]
    assert "project" in form.errors
    assert not Visit.objects.exists()
