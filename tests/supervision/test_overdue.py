"""Overdue 督办 on the leader's home and the dashboard, 督办待答复 on the unit's home; the pages
cost the same number of queries with 1 or 20 督办."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import todo
from projects.models import Supervision, SupervisionStatus
from tests.factories import ProjectFactory, SupervisionFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def lines(user):
    return {line.key: line for line in todo.lines_for(user)}


def test_leader_home_shows_overdue_duban(login, leader, project_a, days):
    SupervisionFactory(project=project_a, reply_by=days(-2))
    SupervisionFactory(project=project_a, reply_by=days(4))
    answered = SupervisionFactory(project=project_a, reply_by=days(-5))
    Supervision.objects.filter(pk=answered.pk).update(status=SupervisionStatus.ANSWERED)
    line = lines(leader)["duban-overdue"]
    assert line.count == 1  # the answered one is not late any more
    assert line.url == f"{reverse('projects:duban_list')}?overdue=true"
    assert lines(leader)["duban-answered"].count == 1
    page = login(leader).get(HOME).content.decode()
    assert 'data-testid="todo-duban-overdue"' in page and "逾期未答复的督办" in page


def test_unit_home_shows_duban_awaiting_reply(login, staff_a, staff_b, project_a, days):
    SupervisionFactory(project=project_a, reply_by=days(-1))
    SupervisionFactory(project=project_a, reply_by=days(6))
    line = lines(staff_a)["duban"]
    assert line.label == "督办待答复" and line.count == 2 and line.level == "danger"
    assert "1 件已超过答复期限" in line.detail
    assert "duban" not in lines(staff_b)
    assert "督办待答复" in login(staff_a).get(HOME).content.decode()


def test_dashboard_counts_overdue_duban(login, leader, staff_b, project_a, days):
    SupervisionFactory(project=project_a, reply_by=days(-2))
    response = login(leader).get(reverse("dashboard:index"))
    rows = {a["kind"]: a for a in response.context["d"]["alerts"]}
    assert rows["duban_overdue"]["count"] == 1
    assert rows["duban_overdue"]["url"] in response.content.decode().replace("&amp;", "&")
    response = login(staff_b).get(reverse("dashboard:index"))
    rows = {a["kind"]: a for a in response.context["d"]["alerts"]}
    assert rows["duban_overdue"]["count"] == 0  # another unit's 督办 is not counted


def _queries(client, url):
    # From an empty cache: the dashboard caches the city's funnel by the data version, so a
    # view after a write would otherwise be compared with a cached one (issue 21).
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _more(unit, n, days):
    for i in range(n):
        project = ProjectFactory(unit=unit, name=f"督办测试项目{i}")
        sup = SupervisionFactory(project=project, reply_by=days(-i - 1))
        if i % 3 == 0:
            Supervision.objects.filter(pk=sup.pk).update(status=SupervisionStatus.ANSWERED)


@pytest.mark.parametrize("who", ["leader", "staff_a"])
def test_pages_cost_the_same_with_more_duban(request, login, unit_a, project_a, days, who):
    user = request.getfixturevalue(who)
    sup = SupervisionFactory(project=project_a, reply_by=days(-1))
    client = login(user)
    urls = [
        HOME,
        reverse("projects:duban_list"),
        sup.get_absolute_url(),
        reverse("units:unit_detail", args=[unit_a.pk]),
        reverse("dashboard:index"),
    ]
    sup.replies.create(text="首次答复", replied_by=user)
    for url in urls:  # settings rows created on first use are not the page's cost
        client.get(url)
    before = [_queries(client, url) for url in urls]
    _more(unit_a, 20, days)
    for answer in range(3):
        sup.replies.create(text=f"第{answer}次答复", replied_by=user)
    after = [_queries(client, url) for url in urls]
    assert after == before
