"""Compute, publish and unlock from the ranking page: reviewers only, reasons required."""

import datetime
import re

import pytest
from django.urls import reverse

from assessment.locks import is_date_locked
from assessment.models import Snapshot, SnapshotStatus
from assessment.snapshots import compute_snapshot, publish, unlock
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.factories.base import unguarded


def url(name):
    return reverse(f"assessment:{name}", args=[2026, 1])


@pytest.fixture
def year(db, unit_a):
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=2)
    signed_project(unit_a, date=datetime.date(2026, 2, 1))
    return ay


@pytest.mark.parametrize("user_fixture", ["staff_a", "head_a", "coordinator", "leader"])
@pytest.mark.parametrize("action", ["compute", "publish", "unlock"])
def test_only_reviewers_may_compute_publish_or_unlock(
    year, login, request, user_fixture, action, reviewer
):
    user = request.getfixturevalue(user_fixture)  # a coordinator's group exists before
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    client = login(user)
    response = client.post(url(action), {"reason": "想改数据"})
    assert response.status_code == 403
    assert Snapshot.objects.get().status == SnapshotStatus.PUBLISHED


def seen_on_page(client):
    """What the confirm step posts, as a browser without scripts would: the ranking page's
    发布通报 link leads to the preview, whose form carries the version seen and the confirmation."""
    page = client.get(reverse("assessment:ranking", args=[2026, 1])).content.decode()
    link = re.search(r'href="([^"]+)">发布通报</a>', page).group(1)
    preview = client.get(link).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(seen|confirm)" value="([^"]+)">', preview))


def test_publish_asks_for_confirmation_naming_the_quarter_and_the_claims_it_locks(
    year, login, reviewer, unit_a, unit_b
):
    signed_project(unit_b, date=datetime.date(2026, 3, 2), status="submitted")  # pending counts
    client = login(reviewer)
    client.post(url("compute"), {"confirm": "yes"})
    page = client.get(url("publish")).content.decode()
    assert "即将发布 <strong>2026年第一季度</strong>" in page
    # Two signings dated in Q1 (one approved, one pending): both become read-only.
    assert '<strong data-testid="claims-locked">2</strong> 条申报' in page
    assert "确认发布2026年第一季度通报（锁定 2 条申报）" in page
    assert "第 1 名，在前 1 名内（共 1 个）" in page  # why 甲县 is 第一方阵
    assert reverse("assessment:report", args=[2026, 1]) in page
    assert reverse("workbook:ranking", args=[2026, 1]) in page
    assert not is_date_locked(datetime.date(2026, 2, 1))  # the preview publishes nothing


def test_a_post_without_the_confirmation_publishes_nothing(year, login, reviewer):
    client = login(reviewer)
    client.post(url("compute"), {"confirm": "yes"})
    seen = seen_on_page(client)
    response = client.post(url("publish"), {"seen": seen["seen"]})
    assert response.status_code == 302 and response["Location"] == url("publish")
    assert Snapshot.objects.get().status == SnapshotStatus.DRAFT
    response = client.post(url("publish"), seen, follow=True)
    assert Snapshot.objects.get().status == SnapshotStatus.PUBLISHED
    # A published quarter has nothing to confirm: the preview leads back to the ranking.
    response = client.get(url("publish"), follow=True)
    assert "没有待发布的测算结果" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["staff_a", "leader"])
def test_only_reviewers_see_the_publish_preview(year, login, request, user_fixture, reviewer):
    compute_snapshot(year, 1, reviewer)
    assert login(request.getfixturevalue(user_fixture)).get(url("publish")).status_code == 403


def test_reviewer_computes_then_publishes(year, login, reviewer):
    client = login(reviewer)
    client.post(url("compute"), {"confirm": "yes"})
    assert not is_date_locked(datetime.date(2026, 2, 1))
    response = client.post(url("publish"), seen_on_page(client), follow=True)
    assert "本期数据已锁定" in response.content.decode()
    assert is_date_locked(datetime.date(2026, 2, 1))


def test_publishing_figures_recomputed_after_the_page_was_opened_is_refused(
    year, login, reviewer, unit_a
):
    client = login(reviewer)
    client.post(url("compute"), {"confirm": "yes"})
    seen = seen_on_page(client)
    # A colleague recomputes after a late correction; this page still shows the old figures.
    signed_project(unit_a, date=datetime.date(2026, 3, 1))
    compute_snapshot(year, 1, reviewer)
    response = client.post(url("publish"), seen, follow=True)
    assert "已重新测算" in response.content.decode()
    assert Snapshot.objects.get().status == SnapshotStatus.DRAFT
    assert client.post(url("publish"), {}, follow=True).status_code == 200
    assert Snapshot.objects.get().status == SnapshotStatus.DRAFT  # no token, no publication
    client.post(url("publish"), seen_on_page(client))
    assert Snapshot.objects.get().status == SnapshotStatus.PUBLISHED


def test_unlock_without_reason_is_refused_with_a_message(year, login, reviewer):
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    response = login(reviewer).post(url("unlock"), {"reason": "  "}, follow=True)
    assert "解锁必须填写理由" in response.content.decode()
    assert is_date_locked(datetime.date(2026, 2, 1))


def test_unlock_reason_is_shown_on_the_page(year, login, reviewer):
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    response = login(reviewer).post(
        url("unlock"), {"reason": "甲县签约日期更正", "confirm": "yes"}, follow=True
    )
    page = response.content.decode()
    assert "甲县签约日期更正" in page
    assert not is_date_locked(datetime.date(2026, 2, 1))


def test_recompute_of_a_published_quarter_is_refused_with_a_message(year, login, reviewer):
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    response = login(reviewer).post(url("compute"), {"confirm": "yes"}, follow=True)
    assert "须先解锁" in response.content.decode()
    assert Snapshot.objects.count() == 1


def test_diff_view_lists_what_a_recompute_would_change(year, login, reviewer, unit_a):
    first = publish(compute_snapshot(year, 1, reviewer), reviewer)
    with unguarded():  # approved after publication, as SQL could
        signed_project(unit_a, date=datetime.date(2026, 3, 3))
    page = login(reviewer).get(url("diff")).content.decode()
    assert "按当前数据重新测算" in page
    assert "甲县" in page and "新引进亿元合同项目·完成" in page
    unlock(first, reviewer, "补录")
    compute_snapshot(year, 1, reviewer)
    page = login(reviewer).get(url("diff")).content.decode()
    assert "第1版 → 第2版" in page and "甲县" in page


def test_diff_view_is_not_for_unit_users(year, login, staff_a, reviewer):
    compute_snapshot(year, 1, reviewer)
    assert login(staff_a).get(url("diff")).status_code == 403


def test_the_publish_preview_costs_the_same_queries_for_more_units(year, login, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UnitFactory

    client = login(reviewer)

    def count():
        compute_snapshot(year, 1, reviewer)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("publish")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(10):
        unit = UnitFactory(name=f"加测单位{n}")
        set_targets(year, unit, signed_100m=2)
        signed_project(unit, date=datetime.date(2026, 2, 1))
    assert count() == small
