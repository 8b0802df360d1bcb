"""One visibility rule per scoped model (`visible_to(user)` on its manager), so every page that
lists a kind of record shows the same records to the same user."""

import datetime

import pytest
from django.urls import reverse

from projects.models import AssistanceItem, FundsEntry, Milestone, MonthlyInvestment
from tests.factories import FundsEntryFactory, MilestoneFactory, MonthlyInvestmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_for_b(project_a, unit_b, days_ago):
    """An overdue item on 甲县's project that 乙县 must act on."""
    return AssistanceItem.objects.create(
        project=project_a,
        category="land",
        problem="用地指标未落实",
        responsible_unit=unit_b,
        deadline=days_ago(3),
    )


def overdue_list(client):
    """Items on the overdue assistance list, the page the dashboard's count links to."""
    table = client.get(reverse("projects:assistance_overdue")).context["table"]
    return [row.record.pk for row in table.page.object_list]


def overdue_alerts(client):
    """Items behind the 帮办事项逾期 alerts on the alerts page."""
    response = client.get(reverse("projects:alert_list"), {"kind": "assistance_overdue"})
    return [a.item_id for a in response.context["alerts"]]


def test_the_unit_that_must_act_finds_the_item_in_its_alerts_too(login, staff_b, item_for_b):
    """The assistance list shows 乙县 the item it must act on (SPEC §3 "who must act"); the
    alerts page and the dashboard's count used to leave it out, as they scoped items by project."""
    client = login(staff_b)
    assert overdue_list(client) == [item_for_b.pk]
    assert overdue_alerts(client) == [item_for_b.pk]
    kinds = {k: n for k, _label, n in client.get(reverse("projects:alert_list")).context["kinds"]}
    assert kinds["assistance_overdue"] == 1
    dashboard = client.get(reverse("dashboard:index"))
    counts = {a["kind"]: a["count"] for a in dashboard.context["d"]["alerts"]}
    assert counts["assistance_overdue"] == 1


def test_the_projects_unit_and_an_outsider_agree_too(login, staff_a, item_for_b):
    from tests.factories import UnitFactory, UserFactory

    client = login(staff_a)
    assert overdue_list(client) == overdue_alerts(client) == [item_for_b.pk]
    outsider = UserFactory(username="outsider", unit=UnitFactory(name="丙县"))
    client = login(outsider)
    assert overdue_list(client) == overdue_alerts(client) == []


ROLES = ["staff_a", "staff_b", "head_a", "coordinator", "reviewer", "leader", "admin_user"]


@pytest.fixture
def claims_of_two_years(project_a, project_b):
    """Drafts and submitted figures of each kind on 甲县's project in 2026 (the year 甲县 is in the
    coordinator's group) and in 2025 (when it was not), and one of 乙县's."""
    for year in (2025, 2026):
        for month, status in ((3, "draft"), (4, "submitted")):
            day = datetime.date(year, month, 15)
            MonthlyInvestmentFactory(project=project_a, month=day, status=status)
            FundsEntryFactory(project=project_a, date=day, status=status)
    for kind, day, status in (
        ("signed", datetime.date(2025, 3, 15), "submitted"),
        ("started", datetime.date(2026, 3, 15), "draft"),
        ("completed", datetime.date(2026, 4, 15), "submitted"),
    ):
        MilestoneFactory(project=project_a, kind=kind, date=day, status=status)
    MilestoneFactory(project=project_b, status="submitted")


def _seen(user, model):
    """(project, date, status) of the claims of `model` the user may read."""
    field = model.claim_date_field
    rows = model.objects.visible_to(user).values_list("project__name", field, "status")
    return {(name, day.isoformat()[:7], status) for name, day, status in rows}


A, B = "甲县光伏组件项目", "乙县食品加工项目"
EVERY_A = {(A, f"{y}-0{m}", s) for y in (2025, 2026) for m, s in ((3, "draft"), (4, "submitted"))}
SUBMITTED_A = {row for row in EVERY_A if row[2] == "submitted"}

# What each role reads of the monthly figures (investment and funds have the same rows): drafts
# stay with their unit (SPEC §1); the coordinator reads a member's figures only for 2026, the
# year 甲县 is in its group; the office and leaders read every submitted figure.
EXPECTED = {
    "staff_a": EVERY_A,
    "head_a": EVERY_A,
    "staff_b": set(),
    "coordinator": {row for row in SUBMITTED_A if row[1].startswith("2026")},
    "reviewer": SUBMITTED_A,
    "leader": SUBMITTED_A,
    "admin_user": EVERY_A,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", [MonthlyInvestment, FundsEntry])
def test_every_page_reads_claims_by_one_rule(request, role, model, claims_of_two_years):
    """The project page and the review pages read claims through the one `visible_to`."""
    user = request.getfixturevalue(role)
    assert _seen(user, model) == EXPECTED[role]


def test_milestone_drafts_stay_with_their_unit(staff_a, staff_b, reviewer, claims_of_two_years):
    def kinds(user):
        return set(Milestone.objects.visible_to(user).values_list("project__name", "kind"))

    assert kinds(staff_a) == {(A, "signed"), (A, "started"), (A, "completed")}
    assert kinds(staff_b) == {(B, "signed")}
    assert kinds(reviewer) == {(A, "signed"), (A, "completed"), (B, "signed")}
