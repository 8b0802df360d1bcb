"""A coordinator reads a member unit only for the years it was in their group (SPEC §1): after
甲县 leaves the coordinator's 2026 group (it stays a 2025 member), its 2026 projects vanish from the
coordinator's lists, project pages and structure analysis; its 2025 projects stay readable. The same
years apply to its leads (by the year collected), visits (by date), monthly reports (the year shown)
and the links of its unit page."""

import datetime

import pytest
from django.urls import reverse

from assessment.snapshots import compute_snapshot, publish
from projects.models import Lead, Project
from tests.factories import (
    GroupFactory,
    LeadFactory,
    MilestoneFactory,
    MonthlyReportFactory,
    ProjectFactory,
    VisitFactory,
    add_member,
    default_year,
    set_targets,
)
from tests.factories.base import unguarded
from units.models import GroupMembership

pytestmark = pytest.mark.django_db


def _registered(project, year):
    # `created` is auto_now_add: set the registration year afterwards.
    with unguarded():
        Project.objects.filter(pk=project.pk).update(
            created=datetime.datetime(year, 2, 1, tzinfo=datetime.UTC)
        )
    return project


@pytest.fixture
def left_in_2026(group, lead_unit, unit_a):
    """甲县 was in the coordinator's groups in 2025 and 2026, then left the 2026 group."""
    old = GroupFactory(year=2025, name="第一招商协作组", lead_unit=lead_unit)
    add_member(old, unit_a)
    GroupMembership.objects.filter(group=group, unit=unit_a).delete()
    signed_2025 = _registered(ProjectFactory(unit=unit_a, name="甲县2025签约项目"), 2025)
    MilestoneFactory(project=signed_2025, date=datetime.date(2025, 5, 10))
    signed_2026 = _registered(ProjectFactory(unit=unit_a, name="甲县2026签约项目"), 2025)
    MilestoneFactory(project=signed_2026, date=datetime.date(2026, 3, 10))
    new_2026 = _registered(
        ProjectFactory(unit=unit_a, name="甲县2026新登记项目", stage="negotiating"), 2026
    )
    return signed_2025, signed_2026, new_2026


def _listed(client, **params):
    table = client.get(reverse("projects:project_list"), params).context["table"]
    return sorted(r.record.name for r in table.page.object_list)


def test_former_member_projects_of_later_years_are_not_listed(
    login, coordinator, unit_a, left_in_2026
):
    client = login(coordinator)
    assert _listed(client, unit=unit_a.pk) == ["甲县2025签约项目"]


def test_former_member_project_pages_of_later_years_are_404(login, coordinator, left_in_2026):
    signed_2025, signed_2026, new_2026 = left_in_2026
    client = login(coordinator)
    assert client.get(signed_2025.get_absolute_url()).status_code == 200
    assert client.get(signed_2026.get_absolute_url()).status_code == 404
    assert client.get(new_2026.get_absolute_url()).status_code == 404


def test_structure_of_a_year_after_leaving_counts_nothing_of_the_unit(
    login, coordinator, reviewer, unit_a, left_in_2026
):
    url = reverse("dashboard:structure")
    params = {"unit": unit_a.pk, "year": 2026}
    assert login(reviewer).get(url, params).context["d"]["count"] == 2
    assert login(coordinator).get(url, params).context["d"]["count"] == 0
    assert login(coordinator).get(url, {"unit": unit_a.pk, "year": 2025}).context["d"]["count"] == 1


def test_the_unit_itself_and_current_members_are_unaffected(
    login, staff_a, coordinator, lead_unit, unit_b, group, left_in_2026
):
    assert len(_listed(login(staff_a))) == 3
    add_member(group, unit_b)
    ProjectFactory(unit=unit_b, name="乙县2026项目")
    assert "乙县2026项目" in _listed(login(coordinator))


def test_a_project_terminated_before_the_membership_year_is_not_read(
    login, coordinator, unit_a, left_in_2026
):
    signed_2025 = left_in_2026[0]
    with unguarded():
        Project.objects.filter(pk=signed_2025.pk).update(
            stage="terminated", termination_reason="撤资", terminated_on=datetime.date(2024, 12, 1)
        )
    assert _listed(login(coordinator), unit=unit_a.pk) == []


# --- leads, visits, monthly reports and the unit page follow the same years ------------------


def _lead(unit, name, year):
    lead = LeadFactory(unit=unit, investor_name=name)
    Lead.objects.filter(pk=lead.pk).update(
        created=datetime.datetime(year, 4, 1, tzinfo=datetime.UTC)
    )
    return lead


def test_former_member_leads_of_later_years_are_not_listed_nor_readable(
    login, coordinator, unit_a, left_in_2026
):
    old = _lead(unit_a, "甲县2025线索", 2025)
    new = _lead(unit_a, "甲县2026线索", 2026)
    client = login(coordinator)
    table = client.get(reverse("projects:lead_list"), {"unit": unit_a.pk}).context["table"]
    assert [r.record.investor_name for r in table.page.object_list] == ["甲县2025线索"]
    assert client.get(reverse("projects:lead_detail", args=[old.pk])).status_code == 200
    assert client.get(reverse("projects:lead_detail", args=[new.pk])).status_code == 404


def test_a_readable_lead_lists_only_the_visits_of_membership_years(
    login, coordinator, staff_a, unit_a, left_in_2026
):
    lead = _lead(unit_a, "甲县2025线索", 2025)
    VisitFactory(unit=unit_a, lead=lead, date=datetime.date(2025, 6, 1), visitors="2025来访")
    VisitFactory(unit=unit_a, lead=lead, date=datetime.date(2026, 6, 1), visitors="2026来访")
    url = reverse("projects:lead_detail", args=[lead.pk])
    page = login(coordinator).get(url).content.decode()
    assert "2025来访" in page and "2026来访" not in page
    own = login(staff_a).get(url).content.decode()
    assert "2025来访" in own and "2026来访" in own


def test_former_member_visits_of_later_years_are_not_listed(
    login, coordinator, reviewer, unit_a, left_in_2026
):
    VisitFactory(unit=unit_a, date=datetime.date(2025, 6, 1), investor_name="2025客商")
    VisitFactory(unit=unit_a, date=datetime.date(2026, 6, 1), investor_name="2026客商")

    def listed(user):
        table = login(user).get(reverse("projects:visit_list")).context["table"]
        return sorted(r.record.investor_name for r in table.page.object_list)

    assert listed(coordinator) == ["2025客商"]
    assert listed(reviewer) == ["2025客商", "2026客商"]


def test_monthly_reports_of_a_year_list_the_units_of_that_years_group(
    login, coordinator, unit_a, left_in_2026
):
    MonthlyReportFactory(unit=unit_a, month=datetime.date(2025, 3, 1))
    MonthlyReportFactory(unit=unit_a, month=datetime.date(2026, 3, 1))
    client = login(coordinator)
    url = reverse("projects:report_list")
    grid_2026 = client.get(url, {"year": 2026}).context["grid"]
    assert [u.name for u in grid_2026] == ["市发改委"]
    page = client.get(url, {"year": 2026}).content.decode()
    assert "甲县" not in page
    grid_2025 = client.get(url, {"year": 2025}).context["grid"]
    assert "甲县" in [u.name for u in grid_2025]


def test_unit_page_of_a_former_member_counts_only_its_membership_years(
    login, coordinator, reviewer, unit_a, left_in_2026
):
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=4)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    explanation = reverse("assessment:unit_assessment", args=[2026, 1, unit_a.pk])
    client = login(coordinator)
    response = client.get(reverse("units:unit_detail", args=[unit_a.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "全部 1 个项目" in page
    # The published 2026 rank is public; its explanation is not the coordinator's to open.
    assert "2026年第一季度（已发布）" in page
    assert explanation not in page and client.get(explanation).status_code == 404
    assert explanation in login(reviewer).get(unit_a.get_absolute_url()).content.decode()
