"""五个一 包扶 (issue 19 item 5): a leader's portfolio — the projects they sponsor, their stage,
the year's verified figures, overdue 帮办, the last 督办 or visit — and 我的包扶项目."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import portfolio
from projects.models import ClaimStatus, PersonKind
from tests.factories import (
    AssistanceItemFactory,
    FundsEntryFactory,
    MonthlyInvestmentFactory,
    PersonFactory,
    ProjectFactory,
    SupervisionFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 7, 10)


@pytest.fixture
def li(leader):
    """县长李明, a registry leader linked to the leader account."""
    return PersonFactory(name="李明", kind=PersonKind.LEADER, title="县长", user=leader)


@pytest.fixture
def sponsored(li, unit_a, unit_b):
    """Two projects 李明 sponsors (one in 甲县, one in 乙县) and one he does not."""
    key = ProjectFactory(name="新能源电池项目", unit=unit_a, sponsor_leader=li, is_key=True)
    other = ProjectFactory(name="物流园项目", unit=unit_b, sponsor_leader=li, stage="started")
    ProjectFactory(name="无关项目", unit=unit_a)
    MonthlyInvestmentFactory(project=key, month=D(2026, 3, 1), amount=Decimal("1200"))
    MonthlyInvestmentFactory(project=key, month=D(2026, 4, 1), amount=Decimal("800"))
    MonthlyInvestmentFactory(project=key, month=D(2025, 12, 1), amount=Decimal("999"))
    FundsEntryFactory(project=key, date=D(2026, 5, 1), amount=Decimal("300"))
    # 认定金额 counts instead of the claimed amount; a 不予认定 claim counts for nothing.
    FundsEntryFactory(
        project=key, date=D(2026, 5, 3), amount=Decimal("900"), recognised_amount=Decimal("100")
    )
    FundsEntryFactory(project=key, date=D(2026, 5, 4), amount=Decimal("555"), not_recognised=True)
    # A draft and a pending claim are not verified figures: neither counts nor shows.
    FundsEntryFactory(project=key, date=D(2026, 5, 2), amount=Decimal("7777"), status="draft")
    MonthlyInvestmentFactory(
        project=key, month=D(2026, 5, 1), amount=Decimal("6666"), status=ClaimStatus.SUBMITTED
    )
    AssistanceItemFactory(project=key, problem="用地指标不足", deadline=D(2026, 6, 30))
    AssistanceItemFactory(project=key, problem="电力增容", deadline=D(2026, 8, 30))
    AssistanceItemFactory(project=key, problem="已解决", deadline=D(2026, 1, 30), status="resolved")
    return key, other


def rows_of(user, person, year=2026):
    return portfolio.portfolio_rows(user, portfolio.sponsored_projects(user, person), year, TODAY)


def test_portfolio_lists_the_sponsored_projects_with_verified_figures(leader, li, sponsored):
    key, other = sponsored
    rows = rows_of(leader, li)
    assert [r.project.name for r in rows] == ["新能源电池项目", "物流园项目"]  # key first
    first = rows[0]
    assert first.investment == Decimal("2000")  # 2026 approved only: not 2025, not the pending
    assert first.funds == Decimal("400")  # 300 + 认定 100; not the draft 7777, not 不予认定
    assert rows[1].investment == 0 and rows[1].project.get_stage_display() == "开工"
    head = portfolio.headline(rows)
    assert head["projects"] == 2 and head["key"] == 1
    assert head["investment"] == Decimal("2000") and head["funds"] == Decimal("400")


def test_overdue_assistance_is_an_open_item_past_its_deadline(leader, li, sponsored):
    rows = rows_of(leader, li)
    first = rows[0]
    assert [i.problem for i in first.open_items] == ["用地指标不足", "电力增容"]
    assert [i.problem for i in first.overdue_items] == ["用地指标不足"]
    assert first.problems == "用地指标不足（已逾期）；电力增容"
    assert rows[1].problems == "无"
    assert portfolio.headline(rows)["overdue_items"] == 1


def test_last_duban_or_visit_is_the_later_one(leader, li, sponsored, unit_a):
    key, other = sponsored
    old = SupervisionFactory(project=key)
    item = AssistanceItemFactory(project=other, problem="审批慢", deadline=D(2026, 9, 1))
    on_item = SupervisionFactory(project=None, assistance_item=item)
    stamp = timezone.make_aware(datetime.datetime(2026, 4, 2, 10))
    type(old).objects.filter(pk=old.pk).update(issued_at=stamp)
    type(old).objects.filter(pk=on_item.pk).update(issued_at=stamp.replace(month=6))
    VisitFactory(unit=unit_a, project=key, date=D(2026, 5, 20))
    VisitFactory(unit=unit_a, project=key, date=D(2026, 3, 1))
    rows = rows_of(leader, li)
    assert rows[0].last_duban == D(2026, 4, 2)
    assert rows[0].last_visit == D(2026, 5, 20)
    assert rows[0].last_action == (D(2026, 5, 20), "走访")
    assert rows[1].last_action == (D(2026, 6, 2), "督办")  # a 督办 on the project's 帮办 item


def test_portfolio_page_for_the_office_and_the_leader(login, reviewer, li, sponsored):
    client = login(reviewer)
    response = client.get(reverse("persons:person_portfolio", args=[li.pk]), {"year": 2026})
    assert response.status_code == 200
    text = response.content.decode()
    assert "李明的包扶项目" in text
    assert "新能源电池项目" in text and "物流园项目" in text and "无关项目" not in text
    assert "2,000.00" in text
    assert "7,777" not in text and "6,666" not in text  # drafts and pending never show


def test_a_unit_user_sees_only_their_own_units_share(login, staff_b, li, sponsored):
    client = login(staff_b)
    response = client.get(reverse("persons:person_portfolio", args=[li.pk]), {"year": 2026})
    assert response.status_code == 200
    text = response.content.decode()
    assert "物流园项目" in text
    assert "新能源电池项目" not in text


def test_my_portfolio_for_a_linked_leader(login, leader, li, sponsored):
    client = login(leader)
    home = client.get(reverse("home")).content.decode()
    assert reverse("persons:my_portfolio") in home
    response = client.get(reverse("persons:my_portfolio"), {"year": 2026})
    assert response.status_code == 200
    text = response.content.decode()
    assert "我的包扶项目" in text and "新能源电池项目" in text


def test_my_portfolio_says_so_when_the_account_is_not_linked(login, leader):
    client = login(leader)
    response = client.get(reverse("persons:my_portfolio"))
    assert response.status_code == 200
    assert "尚未关联人员库中的市县领导" in response.content.decode()


def test_unit_users_get_no_portfolio_link(login, staff_a):
    client = login(staff_a)
    assert reverse("persons:my_portfolio") not in client.get(reverse("home")).content.decode()


def test_an_invisible_person_is_not_found(login, staff_b, unit_a):
    someone = PersonFactory(unit=unit_a)  # 甲县's staff: 乙县 may not read them
    client = login(staff_b)
    response = client.get(reverse("persons:person_portfolio", args=[someone.pk]))
    assert response.status_code == 404


def _make(li, unit, count):
    for _ in range(count):
        project = ProjectFactory(unit=unit, sponsor_leader=li, deputy_leader=li)
        MonthlyInvestmentFactory(project=project)
        FundsEntryFactory(project=project)
        AssistanceItemFactory(project=project, deadline=D(2026, 1, 1))
        SupervisionFactory(project=project)
        VisitFactory(unit=unit, project=project)


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"year": 2026}).status_code == 200
    return len(ctx.captured_queries)


def test_portfolio_queries_do_not_grow_with_projects(login, leader, li, unit_a):
    client = login(leader)
    url = reverse("persons:my_portfolio")
    _make(li, unit_a, 2)
    small = _count(client, url)
    _make(li, unit_a, 6)
    assert _count(client, url) == small


def test_the_demo_links_its_leader_account_to_the_registry_leader(db):
    from units.models import Role
    from zhaoshang.ops.demo import persons as demo_persons
    from zhaoshang.ops.demo.vocabulary import LEADERS

    first, second = LEADERS[0], LEADERS[1]
    account = UserFactory(role=Role.LEADER, display_name=first)
    earlier = PersonFactory(name=second, kind=PersonKind.LEADER)  # registered, no account yet
    other = UserFactory(role=Role.LEADER, display_name=second)
    found = demo_persons.leaders()
    assert found[first].user == account
    earlier.refresh_from_db()
    assert earlier.user == other and found[second] == earlier
