"""The to-do panel on each role's home (issue 18 item 1): every line a link to where the work is
done, with counts; drafts stay with their unit; a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import SnapshotStatus
from projects import claims, todo
from projects.models import ClaimEvent, ClaimStatus, DuplicateFlag, MonthlyReport
from tests.factories import (
    AssessmentYearFactory,
    AssistanceItemFactory,
    EvidenceFactory,
    FundsEntryFactory,
    MilestoneFactory,
    ProjectFactory,
    SnapshotFactory,
    default_year,
    set_targets,
    signed_project,
)
from tests.factories.base import unguarded

S = ClaimStatus
MAY = datetime.date(2026, 5, 10)  # second quarter: the first has ended
HOME = reverse("home")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def claim(project, status, kind="funds", evidence=True, **kwargs):
    factory = {"funds": FundsEntryFactory, "milestone": MilestoneFactory}[kind]
    with unguarded():
        made = factory(project=project, status=status, **kwargs)
        if evidence:
            EvidenceFactory(**{kind: made})
    return made


def by_key(lines):
    return {line.key: line for line in lines}


@pytest.fixture
def unit_work(unit_a, unit_b, reviewer):
    """Unit A: one claim sent back with a reason, two drafts (one without evidence), a locked
    Q1 draft, an open 帮办 item it must act on (overdue); unit B: a draft of its own."""
    year = AssessmentYearFactory(year=2026)
    SnapshotFactory(year=year, quarter=1, status=SnapshotStatus.PUBLISHED, data={})
    project = ProjectFactory(unit=unit_a, name="甲县储能项目")
    returned = claim(project, S.SUBMITTED, date=datetime.date(2026, 4, 8))
    claims.transition(reviewer, returned, claims.Action.REJECT, "到账凭证金额与申报不符")
    claim(project, S.DRAFT, date=datetime.date(2026, 4, 20))
    claim(project, S.DRAFT, date=datetime.date(2026, 5, 2), evidence=False)
    claim(project, S.DRAFT, date=datetime.date(2026, 2, 2))  # locked quarter: nothing to do
    claim(ProjectFactory(unit=unit_b), S.DRAFT, date=datetime.date(2026, 4, 1))
    AssistanceItemFactory(
        project=project, responsible_unit=unit_a, deadline=datetime.date(2026, 5, 1)
    )
    return {"returned": returned}


def test_unit_staff_lines(staff_a, unit_work):
    lines = by_key(todo.lines_for(staff_a, today=MAY))
    returned = lines["returned"]
    assert returned.count == 1
    assert returned.items[0].note == "退回理由：到账凭证金额与申报不符"
    assert returned.items[0].url == reverse(
        "review:claim_detail", args=["funds", unit_work["returned"].pk]
    )
    assert lines["drafts"].count == 2  # not the locked Q1 draft, not unit B's
    assert lines["evidence"].count == 1
    assert lines["assistance"].count == 1 and "已超过办理时限" in lines["assistance"].detail
    # April's 月报 is due on 5 May: late by the 10th.
    report = lines["report"]
    assert report.label == "2026年04月月报未报送" and report.level == "danger"
    assert "截止 2026-05-05" in report.detail and "已逾期" in report.detail


def test_the_report_line_before_the_deadline_and_after_filing(staff_a, unit_a, unit_work):
    early = by_key(todo.lines_for(staff_a, today=datetime.date(2026, 5, 3)))["report"]
    assert early.level == "warning" and "已逾期" not in early.detail
    MonthlyReport.objects.create(
        unit=unit_a, month=datetime.date(2026, 4, 1), is_zero=True, submitted_at=timezone.now()
    )
    assert "report" not in by_key(todo.lines_for(staff_a, today=MAY))


def test_home_page_shows_the_returned_claim_and_its_reason(login, staff_a, unit_work):
    page = login(staff_a).get(HOME).content.decode()
    assert 'data-testid="todo-returned"' in page
    assert "到账凭证金额与申报不符" in page
    assert reverse("review:claim_detail", args=["funds", unit_work["returned"].pk]) in page
    assert reverse("units:unit_detail", args=[staff_a.unit_id]) in page  # the unit's workspace


def test_reviewer_lines(reviewer, reviewer2, unit_work, unit_a):
    project = ProjectFactory(unit=unit_a)
    claim(project, S.SUBMITTED, date=datetime.date(2026, 4, 2))
    mine = claim(project, S.REVIEWED, kind="milestone", date=datetime.date(2026, 4, 3))
    ClaimEvent.objects.create(
        milestone=mine, from_status=S.SUBMITTED, to_status=S.REVIEWED, actor=reviewer
    )
    DuplicateFlag.objects.create(kind="similar_name", project_a=project)
    lines = by_key(todo.lines_for(reviewer, today=MAY))
    assert lines["queue-submitted"].count == 1  # the draft of unit B is nobody's business
    assert "queue-reviewed" not in lines  # they reviewed it: 现场评估 is another person's
    assert lines["queue-submitted"].url.endswith("?tab=act&status=submitted")
    assert lines["flags"].count == 1
    # Q1 is published; nothing ended in 2025 without a year's rules: nothing to compute.
    assert "compute" not in lines and "publish" not in lines
    assert lines["late-reports"].count == 2  # both units missed April's report
    other = by_key(todo.lines_for(reviewer2, today=MAY))
    assert other["queue-reviewed"].count == 1 and other["queue-submitted"].count == 1


def test_quarters_ready_to_compute_or_publish(reviewer):
    year = AssessmentYearFactory(year=2026)
    SnapshotFactory(year=year, quarter=2, status=SnapshotStatus.DRAFT, data={})
    lines = by_key(todo.lines_for(reviewer, today=datetime.date(2026, 10, 8)))
    assert [i.text for i in lines["compute"].items] == ["2026年第一季度", "2026年第三季度"]
    assert [i.text for i in lines["publish"].items] == ["2026年第二季度"]
    assert lines["publish"].url == reverse("assessment:publish", args=[2026, 2])


@pytest.fixture
def city(group, lead_unit, unit_a, unit_b):
    """2026: 甲县 signed 1 of 2 and has no funds of its 1000 万元 — behind schedule."""
    ay = default_year(2026)
    for unit in (unit_a, lead_unit, unit_b):
        set_targets(ay, unit, signed_100m=2 if unit == unit_a else 1, funds=1000)
    signed_project(unit_a, date=datetime.date(2026, 2, 10), name="甲县签约项目")
    lead = signed_project(lead_unit, date=datetime.date(2026, 2, 10), name="发改委签约项目")
    FundsEntryFactory(
        project=lead, date=datetime.date(2026, 2, 10), amount=Decimal("800"), status=S.APPROVED
    )
    return ay


def test_leader_lines(leader, city, unit_a):
    project = ProjectFactory(unit=unit_a)
    claim(project, S.CONFIRMED, date=datetime.date(2026, 4, 2))
    AssistanceItemFactory(
        project=project, responsible_unit=unit_a, deadline=datetime.date(2026, 5, 1)
    )
    lines = by_key(todo.lines_for(leader, today=MAY))
    assert lines["queue-confirmed"].count == 1
    assert lines["assistance-overdue"].count == 1
    behind = lines["behind"]
    assert "甲县" in [i.text for i in behind.items]
    assert behind.url == f"{reverse('dashboard:index')}?year=2026&quarter=2"


def test_coordinator_lines(coordinator, city, group):
    lines = by_key(todo.lines_for(coordinator, today=MAY))
    assert [i.text for i in lines["group-behind"].items] == ["甲县"]
    assert lines["group-behind"].url.endswith(f"/groups/{group.pk}/?quarter=2")
    # 甲县 and 市发改委 are the members; 乙县 is not in the group.
    assert sorted(i.text for i in lines["late-reports"].items) == ["市发改委", "甲县"]


def test_home_renders_for_every_role(request, login):
    for name in ("staff_a", "head_a", "coordinator", "reviewer", "leader", "admin_user"):
        user = request.getfixturevalue(name)
        response = login(user).get(HOME)
        assert response.status_code == 200, name
        assert 'data-testid="todo"' in response.content.decode()


def grow(unit_a, unit_b, n):
    """n claims of every kind of line, across both units."""
    for i in range(n):
        for unit in (unit_a, unit_b):
            project = ProjectFactory(unit=unit)
            claim(project, S.DRAFT, date=datetime.date(2026, 4, 1 + i % 28))
            claim(project, S.REJECTED, date=datetime.date(2026, 5, 1 + i % 28), evidence=False)
            claim(project, S.SUBMITTED, kind="milestone", date=datetime.date(2026, 4, 2))
            claim(project, S.CONFIRMED, date=datetime.date(2026, 6, 1 + i % 28))
            AssistanceItemFactory(project=project, responsible_unit=unit)
            DuplicateFlag.objects.create(kind="similar_name", project_a=project)


@pytest.mark.parametrize("who", ["staff_a", "reviewer", "leader", "coordinator"])
def test_home_query_count_is_constant_in_data_size(
    request, login, who, city, unit_a, unit_b, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    client = login(user)
    grow(unit_a, unit_b, 2)
    client.get(HOME)  # warm the session and per-process caches
    cache.clear()  # both measured views compute (a live result is cached by the data version)
    with CaptureQueriesContext(connection) as small:
        assert client.get(HOME).status_code == 200
    grow(unit_a, unit_b, 12)
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(HOME).status_code == 200
