"""Lists offer edit links only to users who may edit: no dead links that end in 403."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import AssistanceItemFactory, ProjectFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(unit_a):
    return VisitFactory(unit=unit_a, date=datetime.date(2026, 5, 1), investor_name="甲客商")


@pytest.fixture
def item(unit_a, unit_b):
    project = ProjectFactory(unit=unit_a)
    return AssistanceItemFactory(
        project=project,
        category="land",
        problem="用地指标不足",
        responsible_unit=unit_b,
        deadline=datetime.date(2026, 6, 30),
    )


def test_visit_edit_link_for_own_unit_only(login, staff_a, leader, visit):
    edit_url = reverse("projects:visit_edit", args=[visit.pk])
    assert edit_url in login(staff_a).get(reverse("projects:visit_list")).content.decode()
    body = login(leader).get(reverse("projects:visit_list")).content.decode()
    assert "甲客商" in body and edit_url not in body


def test_assistance_edit_link_for_project_unit_and_acting_unit(
    login, staff_a, staff_b, reviewer, item
):
    edit_url = reverse("projects:assistance_edit", args=[item.pk])
    for user in (staff_a, staff_b):
        assert edit_url in login(user).get(reverse("projects:assistance_list")).content.decode()
    body = login(reviewer).get(reverse("projects:assistance_list")).content.decode()
    assert "用地指标不足" in body and edit_url not in body


def test_project_page_and_alerts_link_an_assistance_item_only_for_who_may_edit_it(
    login, staff_a, staff_b, reviewer, leader, item, settings
):
    """The project page's 帮办 table and the alerts page (an overdue item) linked every reader
    to the edit page, which is a 403 for the office, leaders and coordinators (issue 18)."""
    edit_url = reverse("projects:assistance_edit", args=[item.pk])
    project_url = reverse("projects:project_detail", args=[item.project_id])
    alerts_url = reverse("projects:alert_list")
    for user in (reviewer, leader):
        client = login(user)
        for url in (project_url, alerts_url):
            body = client.get(url).content.decode()
            assert "用地指标不足" in body and edit_url not in body, (user, url)
            assert client.get(edit_url).status_code == 403  # what the link would have led to
    assert edit_url in login(staff_a).get(project_url).content.decode()
    # The unit that must act (unit_b) may update the item: its alert links to it.
    assert edit_url in login(staff_b).get(alerts_url).content.decode()
