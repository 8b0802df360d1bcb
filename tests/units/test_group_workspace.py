"""The coordinator's workspace of a group (issue 19 item 1): the group's targets against actuals
with 序时进度, every member's figures, rank and echelon, the members behind schedule, open 帮办 and
shared leads, the printable group 通报 — who may read them, the years of membership, and a query
count that does not grow with the group."""

import datetime

import pytest
from django.urls import reverse

from assessment.snapshots import compute_snapshot, publish
from projects.models import AssistanceStatus, Lead
from tests.factories import (
    AssistanceItemFactory,
    GroupFactory,
    LeadFactory,
    UnitFactory,
    UserFactory,
    add_member,
    default_year,
    set_targets,
)
from tests.factories.assessment import funds, signed_project
from tests.factories.base import unguarded
from units.models import Role

pytestmark = pytest.mark.django_db

Q1 = datetime.date(2026, 2, 10)


@pytest.fixture
def city(group, lead_unit, unit_a, unit_b):
    """2026, first quarter (序时进度 25 %): 甲县 signed 1 of 2 but has no funds of its 1000 万元
    (behind schedule on 实际到位资金); 市发改委 signed 1 of 1 and has 300 of 1000 万元 (30 %)."""
    ay = default_year(2026)
    for unit in (unit_a, lead_unit, unit_b):
        set_targets(ay, unit, signed_100m=2 if unit == unit_a else 1, funds=1000)
    set_targets(ay, group, signed_100m=3, funds=2000)
    signed_project(unit_a, date=Q1, name="甲县签约项目")
    lead_project = signed_project(lead_unit, date=Q1, name="发改委签约项目")
    funds(lead_project, Q1, 300)
    return ay


def _publish(ay, reviewer, quarter=1):
    publish(compute_snapshot(ay, quarter, reviewer), reviewer)


def _workspace(client, group, quarter=1):
    response = client.get(reverse("units:group_detail", args=[group.pk]), {"quarter": quarter})
    assert response.status_code == 200
    return response.context.get("ws"), response


def _rows(ws):
    return {m.unit.name: m for m in ws.members}


def test_published_quarter_shows_targets_actuals_ranks_and_who_is_behind(
    login, coordinator, reviewer, group, city
):
    _publish(city, reviewer)
    ws, response = _workspace(login(coordinator), group)
    assert ws.ranks_shown and ws.shown.snapshot is not None
    assert ws.result.expected_progress == 25
    group_funds = dict((spec.code, r) for spec, r in ws.indicator_rows)["funds"]
    assert (group_funds.target, group_funds.actual, group_funds.completion_pct) == (2000, 300, 15)
    assert group_funds.on_schedule is False
    rows = _rows(ws)
    assert set(rows) == {"市发改委", "甲县"}  # 乙县 is in no group
    assert rows["甲县"].behind == ["实际到位资金"]
    assert rows["市发改委"].behind == []
    assert rows["市发改委"].entity.rank == 1 and rows["甲县"].entity.rank == 2
    assert rows["甲县"].entity.echelon is not None
    html = response.content.decode()
    assert 'data-behind="1" class="table-danger"' in html
    assert "低于序时进度" in html and "全市排名" in html
    assert reverse("units:group_report", args=[group.pk, 1]) in html


def test_unpublished_quarter_shows_coordinator_figures_but_no_ranking(
    login, coordinator, group, city
):
    ws, response = _workspace(login(coordinator), group)
    assert not ws.ranks_shown
    assert _rows(ws)["甲县"].behind == ["实际到位资金"]
    html = response.content.decode()
    assert "排名、得分和方阵待考核办发布通报后显示" in html
    assert "全市排名" not in html
    assert reverse("units:group_report", args=[group.pk, 1]) not in html


def test_office_and_leaders_see_the_live_ranking_before_publication(
    login, reviewer, leader, group, city
):
    for user in (reviewer, leader):
        ws, _ = _workspace(login(user), group)
        assert ws.ranks_shown and ws.shown.live
        assert _rows(ws)["市发改委"].entity.rank == 1


def test_member_staff_see_the_group_without_workspace_others_not_at_all(
    login, client, staff_a, staff_b, reviewer, group, city
):
    _publish(city, reviewer)
    report = reverse("units:group_report", args=[group.pk, 1])
    detail = reverse("units:group_detail", args=[group.pk])
    member = login(staff_a)
    response = member.get(detail)
    assert response.status_code == 200 and "ws" not in response.context
    assert "成员单位完成情况" not in response.content.decode()
    assert member.get(report).status_code == 403
    client.logout()
    other = login(staff_b)
    assert other.get(detail).status_code == 404
    assert other.get(report).status_code == 404


def test_lead_unit_staff_without_the_coordinator_role_get_no_workspace(
    login, lead_unit, reviewer, group, city
):
    _publish(city, reviewer)
    staff = UserFactory(username="lead_staff", role=Role.UNIT_STAFF, unit=lead_unit)
    client = login(staff)
    assert "ws" not in client.get(reverse("units:group_detail", args=[group.pk])).context
    assert client.get(reverse("units:group_report", args=[group.pk, 1])).status_code == 403


def test_group_report_prints_the_quarter_for_the_group_leader(
    login, coordinator, reviewer, group, city
):
    _publish(city, reviewer)
    response = login(coordinator).get(reverse("units:group_report", args=[group.pk, 1]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年第一季度第一招商协作组招商引资工作情况通报" in html
    assert "组长：张市长（副市长）" in html
    assert "甲县：实际到位资金" in html
    assert "@page { size: A4" in html and "草稿，未发布" not in html


def test_group_report_waits_for_publication_for_the_coordinator(login, coordinator, group, city):
    response = login(coordinator).get(reverse("units:group_report", args=[group.pk, 1]))
    assert response.status_code == 302
    assert response.url.endswith(f"/groups/{group.pk}/?quarter=1")


def test_bad_quarter_falls_back_or_is_404(login, coordinator, group, city):
    client = login(coordinator)
    ws, _ = _workspace(client, group, quarter="x")
    assert ws.quarter in (1, 2, 3, 4)
    assert client.get(reverse("units:group_report", args=[group.pk, 5])).status_code == 404


# --- years of membership -------------------------------------------------------------------


@pytest.fixture
def moved(lead_unit, unit_b):
    """乙县 was in 市发改委's 第一招商协作组 in 2025 and moved to 第三招商协作组 (led by 市商务局)
    in 2026 — like the demo's 西山区."""
    old = GroupFactory(year=2025, name="第一招商协作组", lead_unit=lead_unit)
    add_member(old, lead_unit)
    add_member(old, unit_b)
    other_lead = UnitFactory(name="市商务局", unit_type="city_dept")
    new = GroupFactory(year=2026, name="第三招商协作组", lead_unit=other_lead)
    add_member(new, other_lead)
    add_member(new, unit_b)
    return old, new, other_lead


def _shared_lead(unit, year, to):
    lead = LeadFactory(unit=unit, investor_name=f"{unit.name}{year}线索", shared_with=[to])
    with unguarded():
        Lead.objects.filter(pk=lead.pk).update(
            created=datetime.datetime(year, 3, 1, tzinfo=datetime.UTC)
        )
    return lead


def test_a_moved_unit_shows_in_its_new_group_this_year_and_its_old_group_last_year(
    login, client, coordinator, reviewer, group, lead_unit, unit_b, city, moved
):
    old, new, other_lead = moved
    default_year(2025)
    _shared_lead(unit_b, 2025, lead_unit)
    _shared_lead(unit_b, 2026, other_lead)
    this_year = login(coordinator)
    ws, _ = _workspace(this_year, group)
    assert "乙县" not in _rows(ws)
    ws, _ = _workspace(this_year, old, quarter=4)
    assert "乙县" in _rows(ws)
    assert [lead.investor_name for lead in ws.leads] == ["乙县2025线索"]
    # The other group is not the coordinator's: not even visible.
    assert this_year.get(reverse("units:group_detail", args=[new.pk])).status_code == 404
    client.logout()
    new_coordinator = UserFactory(username="coord3", role=Role.COORDINATOR, unit=other_lead)
    ws, _ = _workspace(login(new_coordinator), new)
    assert "乙县" in _rows(ws)
    assert [lead.investor_name for lead in ws.leads] == ["乙县2026线索"]
    assert (
        login(new_coordinator).get(reverse("units:group_detail", args=[old.pk])).status_code == 404
    )


def test_open_assistance_of_the_members_projects_only(login, coordinator, unit_a, unit_b, group):
    default_year(2026)
    project = signed_project(unit_a, date=Q1, name="甲县帮办项目")
    AssistanceItemFactory(project=project, problem="缺少用地指标")
    AssistanceItemFactory(project=project, problem="已解决的问题", status=AssistanceStatus.RESOLVED)
    AssistanceItemFactory(project=signed_project(unit_b, date=Q1), problem="乙县的问题")
    ws, response = _workspace(login(coordinator), group)
    assert [a.problem for a in ws.assistance] == ["缺少用地指标"]
    assert "甲县帮办项目" in response.content.decode()


# --- queries ---------------------------------------------------------------------------------


def _group_of(size, lead):
    ay = default_year(2026)
    group = GroupFactory(year=2026, name=f"规模{size}协作组", lead_unit=lead)
    add_member(group, lead)
    for i in range(size - 1):
        unit = UnitFactory(name=f"规模{size}成员{i:02d}")
        add_member(group, unit)
        set_targets(ay, unit, signed_100m=2, funds=1000)
        project = signed_project(unit, date=Q1)
        funds(project, Q1, 100)
        AssistanceItemFactory(project=project)
        _shared_lead(unit, 2026, lead)
    return ay, group


@pytest.mark.parametrize("page", ["detail", "report"])
def test_query_count_does_not_grow_with_the_members(
    login, reviewer, django_assert_max_num_queries, page
):
    small_lead = UnitFactory(name="小组牵头单位")
    big_lead = UnitFactory(name="大组牵头单位")
    ay, small = _group_of(3, small_lead)
    _, big = _group_of(12, big_lead)
    _publish(ay, reviewer)
    counts = {}
    for group, lead in ((small, small_lead), (big, big_lead)):
        user = UserFactory(username=f"coord{group.pk}", role=Role.COORDINATOR, unit=lead)
        client = login(user)
        if page == "detail":
            url = reverse("units:group_detail", args=[group.pk]) + "?quarter=1"
        else:
            url = reverse("units:group_report", args=[group.pk, 1])
        limit = counts.get("small", 60)
        with django_assert_max_num_queries(limit) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["ws"].members) == (3 if group is small else 12)
        assert len(response.context["ws"].assistance) == (2 if group is small else 11)
        counts.setdefault("small", len(captured.captured_queries))
