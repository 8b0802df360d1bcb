"""notify(): recipients, the actor left out, idempotent keys; the list, opening, the bell."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from units.models import Role
from zhaoshang.notify import notify
from zhaoshang.notify.models import Notification

pytestmark = pytest.mark.django_db


def titles(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_unit_staff_are_notified_but_not_the_actor(unit_a, staff_a, head_a, staff_b):
    retired = UserFactory(role=Role.UNIT_STAFF, unit=unit_a, is_active=False)
    created = notify("claim_returned", units=[unit_a], title="申报被退回", actor=head_a)
    assert created == 1
    assert titles(staff_a) == ["申报被退回"]
    assert titles(head_a) == [] and titles(staff_b) == [] and titles(retired) == []


def test_a_key_notifies_once(staff_a, reviewer):
    for _ in range(2):
        notify("report_due", users=[staff_a, reviewer], title="月报将到期", key="2026-05")
    assert titles(staff_a) == ["月报将到期"]
    assert Notification.objects.count() == 2
    notify("report_due", users=[staff_a], title="下月", key="2026-06")
    assert Notification.objects.filter(user=staff_a).count() == 2


def test_an_unknown_kind_is_refused(staff_a):
    try:
        notify("nonsense", users=[staff_a], title="x")
    except ValueError:
        pass
    else:
        raise AssertionError("unknown kind accepted")


def test_list_shows_own_notifications_newest_first(login, staff_a, staff_b):
    notify("claim_approved", users=[staff_a], title="第一条")
    notify("claim_approved", users=[staff_a], title="第二条")
    notify("claim_approved", users=[staff_b], title="别人的")
    page = login(staff_a).get(reverse("notify:list")).content.decode()
    assert page.index("第二条") < page.index("第一条")
    assert "别人的" not in page
    assert "全部标为已读" in page


def test_opening_marks_read_and_follows_a_local_link(login, staff_a):
    notify("claim_approved", users=[staff_a], title="审定", url="/projects/")
    n = Notification.objects.get(user=staff_a)
    response = login(staff_a).get(reverse("notify:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/projects/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_foreign_link_is_not_followed(login, staff_a):
    for url in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        notify("claim_approved", users=[staff_a], title=url, url=url)
    client = login(staff_a)
    for n in Notification.objects.filter(user=staff_a):
        response = client.get(reverse("notify:open", args=[n.pk]))
        assert response["Location"] == reverse("notify:list")


def test_another_users_notification_is_404(login, staff_a, staff_b):
    notify("claim_approved", users=[staff_b], title="乙县的")
    n = Notification.objects.get(user=staff_b)
    assert login(staff_a).get(reverse("notify:open", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_empties_the_bell(login, staff_a, staff_b):
    notify("claim_approved", users=[staff_a, staff_b], title="审定")
    client = login(staff_a)
    assert 'data-testid="bell-count">1<' in client.get(reverse("home")).content.decode()
    client.post(reverse("notify:read_all"))
    assert 'data-testid="bell-count"' not in client.get(reverse("home")).content.decode()
    assert Notification.objects.get(user=staff_b).read_at is None


def test_list_pages_by_twenty(login, staff_a):
    for i in range(25):
        notify("claim_approved", users=[staff_a], title=f"第{i:02d}条")
    client = login(staff_a)
    first = client.get(reverse("notify:list")).content.decode()
    second = client.get(reverse("notify:list") + "?page=2").content.decode()
    assert "第24条" in first and "第04条" not in first
    assert "第04条" in second and "第 2 / 2 页" in second


def _bell_queries(client):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("notify:list"))
    return len(queries)


def test_bell_and_list_cost_the_same_with_1_or_50_notifications(login, staff_a):
    client = login(staff_a)
    notify("claim_approved", users=[staff_a], title="一条")
    _bell_queries(client)  # warm-up
    one = _bell_queries(client)
    for i in range(49):
        notify("claim_approved", users=[staff_a], title=f"第{i}条")
    assert _bell_queries(client) == one


def test_the_bell_costs_one_query(login, staff_a, django_assert_num_queries):
    from zhaoshang.notify.context_processors import Bell

    notify("claim_approved", users=[staff_a], title="一条")
    bell = Bell(staff_a)
    with django_assert_num_queries(1):
        assert bell.unread == 1 and bell.badge == "1" and bell.unread == 1


@pytest.mark.parametrize("who", ["staff_a", "reviewer", "leader"])
def test_home_pages_cost_the_same_with_1_or_50_notifications(login, request, who):
    user = request.getfixturevalue(who)
    client = login(user)
    notify("claim_approved", users=[user], title="一条")
    client.get(reverse("home"))  # first-request caches (session, settings) warm up
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    for i in range(49):
        notify("claim_approved", users=[user], title=f"第{i}条")
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(reverse("home")).content.decode()
    assert 'data-testid="bell-count">50<' in page
    assert len(fifty) == len(one)


def test_the_badge_caps_at_99(staff_a):
    from zhaoshang.notify.context_processors import Bell
    from zhaoshang.notify.services import Message, notify_many

    notify_many([Message("claim_approved", f"第{i}条", users=(staff_a,)) for i in range(120)])
    assert Bell(staff_a).badge == "99+"
