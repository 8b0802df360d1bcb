"""Alert rules around their thresholds, and the unit and city alert pages."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects import alerts
from projects.models import AssistanceItem, Project, ProjectSettings
from tests.factories import (
    AssistanceItemFactory,
    FundsEntryFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def names(found):
    return sorted(a.project_name for a in found)


def test_signed_but_not_started_after_the_threshold(unit_a):
    at_threshold = ProjectFactory(unit=unit_a, name="签约180天")
    past_threshold = ProjectFactory(unit=unit_a, name="签约181天")
    started = ProjectFactory(unit=unit_a, name="已开工")
    MilestoneFactory(project=at_threshold, date=ago(180))
    MilestoneFactory(project=past_threshold, date=ago(181))
    MilestoneFactory(project=started, date=ago(400))
    MilestoneFactory(project=started, kind="started", date=ago(300))
    found = alerts.signed_not_started(Project.objects.all(), TODAY, 180)
    assert names(found) == ["签约181天"]
    assert "已 181 天未开工" in found[0].message
    assert names(alerts.signed_not_started(Project.objects.all(), TODAY, 179)) == [
        "签约180天",
        "签约181天",
    ]


def test_terminated_projects_raise_no_alerts(unit_a):
    project = ProjectFactory(unit=unit_a, stage="terminated", termination_reason="撤资")
    MilestoneFactory(project=project, date=ago(500))
    assert alerts.signed_not_started(Project.objects.all(), TODAY, 180) == []


def test_started_and_past_planned_completion(unit_a):
    due_today = ProjectFactory(unit=unit_a, name="今日到期", planned_completion=TODAY)
    overdue = ProjectFactory(unit=unit_a, name="超期一天", planned_completion=ago(1))
    completed = ProjectFactory(unit=unit_a, name="已竣工", planned_completion=ago(30))
    for project in (due_today, overdue, completed):
        MilestoneFactory(project=project, kind="started", date=ago(400))
    MilestoneFactory(project=completed, kind="completed", date=ago(40))
    found = alerts.past_planned_completion(Project.objects.all(), TODAY)
    assert names(found) == ["超期一天"]


def test_no_investment_entry_for_the_configured_number_of_months(unit_a):
    # Today is 2026-11-25; with 2 months the window is September and October.
    recent = ProjectFactory(unit=unit_a, name="九月有投资")
    stale = ProjectFactory(unit=unit_a, name="八月后无投资")
    never = ProjectFactory(unit=unit_a, name="从未填报")
    just_started = ProjectFactory(unit=unit_a, name="十月才开工")
    for project in (recent, stale, never):
        MilestoneFactory(project=project, kind="started", date=datetime.date(2026, 3, 1))
    MilestoneFactory(project=just_started, kind="started", date=datetime.date(2026, 10, 1))
    MonthlyInvestmentFactory(project=recent, month=datetime.date(2026, 9, 1))
    MonthlyInvestmentFactory(project=stale, month=datetime.date(2026, 8, 1))
    found = alerts.no_progress(Project.objects.all(), TODAY, 2)
    assert names(found) == ["从未填报", "八月后无投资"]
    assert (
        "最近一次填报 2026-08" in next(a for a in found if a.project_name == "八月后无投资").message
    )
    assert names(alerts.no_progress(Project.objects.all(), TODAY, 3)) == ["从未填报"]


def test_overdue_assistance(project_a, unit_b):
    def item(deadline, status="open"):
        return AssistanceItemFactory(
            project=project_a,
            category="land",
            problem="用地指标未落实",
            responsible_unit=unit_b,
            responsible_leader="王副市长",
            deadline=deadline,
            status=status,
        )

    item(TODAY)
    late = item(ago(1))
    item(ago(10), status="resolved")
    found = alerts.overdue_assistance(AssistanceItem.objects.all(), TODAY)
    assert [a.item_id for a in found] == [late.pk]
    assert "王副市长" in found[0].message and "逾期 1 天" in found[0].message


def test_contracted_investment_implausible_against_the_units_funds(unit_a, unit_b):
    history = ProjectFactory(unit=unit_a, name="历史项目", contracted_investment=Decimal("0"))
    FundsEntryFactory(project=history, amount=Decimal("1000"))
    ProjectFactory(unit=unit_a, name="十倍以内", contracted_investment=Decimal("10000"))
    ProjectFactory(
        unit=unit_a,
        name="超过十倍",
        total_investment=Decimal("20000"),
        contracted_investment=Decimal("10000.01"),
    )
    # A unit without any funds history is not judged.
    ProjectFactory(unit=unit_b, name="无历史", contracted_investment=Decimal("15000"))
    found = alerts.implausible_contract(Project.objects.all(), 10)
    assert names(found) == ["超过十倍"]
    assert names(alerts.implausible_contract(Project.objects.all(), 5)) == ["十倍以内", "超过十倍"]


def test_thresholds_come_from_the_settings(unit_a):
    project = ProjectFactory(unit=unit_a, name="签约100天")
    MilestoneFactory(project=project, date=ago(100))
    settings = ProjectSettings.load()
    assert alerts.alerts_for(Project.objects.all(), AssistanceItem.objects.all(), TODAY) == []
    settings.signed_not_started_days = 90
    settings.save()
    found = alerts.alerts_for(Project.objects.all(), AssistanceItem.objects.all(), TODAY)
    assert [a.kind for a in found] == [alerts.SIGNED_NOT_STARTED]


def test_reviewer_edits_the_thresholds_and_others_may_not(login, reviewer, staff_a, leader):
    url = reverse("projects:settings")
    assert login(staff_a).get(url).status_code == 403
    assert login(leader).get(url).status_code == 403
    client = login(reviewer)
    data = {
        "report_deadline_day": "10",
        "signed_not_started_days": "90",
        "no_progress_months": "3",
        "contract_to_funds_ratio": "20",
    }
    assert client.post(url, {**data, "report_deadline_day": "31"}).status_code == 200
    assert ProjectSettings.load().report_deadline_day == 5
    assert client.post(url, data).status_code == 302
    settings = ProjectSettings.load()
    assert (settings.report_deadline_day, settings.signed_not_started_days) == (10, 90)


def test_unit_sees_its_own_alerts_and_the_city_list_shows_all(
    login, staff_a, leader, unit_a, unit_b, today
):
    mine = ProjectFactory(unit=unit_a, name="甲县久签未开工")
    theirs = ProjectFactory(unit=unit_b, name="乙县久签未开工")
    for project in (mine, theirs):
        MilestoneFactory(project=project, date=today - datetime.timedelta(days=365))
    page = login(staff_a).get(reverse("projects:alert_list")).content.decode()
    assert "甲县久签未开工" in page and "乙县久签未开工" not in page
    page = login(leader).get(reverse("projects:alert_list")).content.decode()
    assert "甲县久签未开工" in page and "乙县久签未开工" in page
    page = login(leader).get(reverse("projects:alert_list"), {"unit": unit_b.pk}).content.decode()
    assert "甲县久签未开工" not in page and "乙县久签未开工" in page


def test_unit_page_shows_project_counts_and_alerts(login, staff_a, unit_a, today):
    project = ProjectFactory(unit=unit_a, name="甲县久签未开工", stage="signed")
    MilestoneFactory(project=project, date=today - datetime.timedelta(days=365))
    ProjectFactory(unit=unit_a, stage="negotiating")
    response = login(staff_a).get(reverse("units:unit_detail", args=[unit_a.pk]))
    page = response.content.decode()
    assert 'data-testid="unit-projects"' in page
    assert "全部 2 个项目" in page
    assert "甲县久签未开工" in page and "签约未开工" in page


def test_counts_equal_the_alerts_of_every_rule(unit_a, unit_b, project_a):
    signed = ProjectFactory(unit=unit_a, name="签约未开工")
    MilestoneFactory(project=signed, date=ago(400))
    late = ProjectFactory(unit=unit_b, name="超期", planned_completion=ago(5))
    MilestoneFactory(project=late, kind="started", date=ago(400))
    history = ProjectFactory(unit=unit_a, name="历史", contracted_investment=Decimal("0"))
    FundsEntryFactory(project=history, amount=Decimal("100"))
    FundsEntryFactory(project=history, amount=Decimal("900"), status="rejected")
    ProjectFactory(unit=unit_a, name="合同过大", contracted_investment=Decimal("1000.01"))
    AssistanceItemFactory(
        project=project_a,
        category="land",
        problem="用地",
        responsible_unit=unit_b,
        deadline=ago(3),
    )
    projects, items = Project.objects.all(), AssistanceItem.objects.all()
    found = alerts.alerts_for(projects, items, TODAY)
    counts = alerts.alert_counts_for(projects, items, TODAY)
    expected = {kind: sum(1 for a in found if a.kind == kind) for kind in alerts.KIND_LABELS}
    assert counts == expected
    assert counts[alerts.PAST_COMPLETION] == counts[alerts.ASSISTANCE_OVERDUE] == 1
    implausible = {a.project_name: a for a in found if a.kind == alerts.IMPLAUSIBLE_CONTRACT}
    assert "合同过大" in implausible and "历史" not in implausible
    # Rejected funds do not count towards the unit's history.
    assert "历年到位资金 100.00 万元的 10 倍" in implausible["合同过大"].message


def test_city_alerts_come_in_pages_that_keep_the_filters(login, leader, unit_a, today, monkeypatch):
    """A city has tens of thousands of alerts (issue 21): the list shows one page, the pager
    keeps the filters, the counts and the export still cover every alert."""
    from projects.views import alerts as alert_views

    monkeypatch.setattr(alert_views, "ALERTS_PER_PAGE", 3)
    for n in range(7):
        project = ProjectFactory(unit=unit_a, name=f"久签未开工{n}")
        MilestoneFactory(project=project, date=today - datetime.timedelta(days=365))
    client = login(leader)
    url = reverse("projects:alert_list")
    first = client.get(url, {"kind": alerts.SIGNED_NOT_STARTED}).content.decode()
    assert first.count("久签未开工") == 3
    assert "第 1 / 3 页 · 共 7 条" in first
    assert f"kind={alerts.SIGNED_NOT_STARTED}&amp;page=2" in first
    assert "签约未开工（7）" in first
    last = client.get(url, {"kind": alerts.SIGNED_NOT_STARTED, "page": "99"}).content.decode()
    assert "第 3 / 3 页" in last and last.count("久签未开工") == 1
    response = client.get(url, {"kind": alerts.SIGNED_NOT_STARTED, "_export": "xlsx", "page": "2"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert sum(1 for v in cells if isinstance(v, str) and v.startswith("久签未开工")) == 7
