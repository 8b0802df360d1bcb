"""The review queue: reviewers and leaders see pending claims of every unit, filter them and act
on many at once with one comment."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import claims
from projects.models import ClaimEvent, ClaimStatus, FundsEntry
from tests.factories import (
    FundsEntryFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
)

S = ClaimStatus
URL = reverse("review:queue")


def submitted_days_ago(claim, days):
    # Events are append-only: the time is given at insert. The queue reads the claim's stored
    # submitted_at, which the workflow sets with the event.
    when = timezone.now() - datetime.timedelta(days=days)
    ClaimEvent.objects.create(
        **{claims.claim_type(claim): claim},
        from_status="draft",
        to_status="submitted",
        created=when,
    )
    type(claim).objects.filter(pk=claim.pk).update(submitted_at=when)


@pytest.fixture
def spread(unit_a, unit_b):
    """One claim of each type and a few states, in two units."""
    pa = ProjectFactory(unit=unit_a, name="甲县光伏组件项目")
    pb = ProjectFactory(unit=unit_b, name="乙县冷链物流园")
    signed = MilestoneFactory(project=pa, status=S.SUBMITTED)
    submitted_days_ago(signed, 12)
    invest = MonthlyInvestmentFactory(project=pb, status=S.CONFIRMED)
    submitted_days_ago(invest, 3)
    funds = FundsEntryFactory(project=pb, status=S.REVIEWED)
    draft = MilestoneFactory(
        project=pb, kind="started", status=S.DRAFT, date=datetime.date(2026, 4, 1)
    )
    MilestoneFactory(
        project=pb, kind="completed", status=S.APPROVED, date=datetime.date(2026, 5, 1)
    )
    return {"signed": signed, "invest": invest, "funds": funds, "draft": draft}


def test_reviewer_sees_pending_claims_of_every_unit_but_no_drafts(login, reviewer, spread):
    page = login(reviewer).get(URL, {"tab": "all"}).content.decode()
    assert "甲县光伏组件项目" in page and "乙县冷链物流园" in page
    assert page.count('name="selected" value=') == 3
    draft_url = reverse("review:claim_detail", args=["milestone", spread["draft"].pk])
    assert draft_url not in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"type": "signed"}, 1),
        ({"type": "funds"}, 1),
        ({"status": "confirmed"}, 1),
        # an approved claim is only reopened, on its own page: no check box (issue 17)
        ({"status": "approved"}, 0),
        ({"min_age": "10"}, 1),
        ({"min_age": "1"}, 2),
        ({"q": "冷链"}, 2),
    ],
)
def test_queue_filters(login, reviewer, spread, query, expected):
    page = login(reviewer).get(URL, {**query, "tab": "all"}).content.decode()
    assert page.count('name="selected" value=') == expected


def test_queue_filter_by_unit(login, reviewer, spread, unit_a):
    page = login(reviewer).get(URL, {"unit": unit_a.pk, "tab": "all"}).content.decode()
    assert page.count('name="selected" value=') == 1


def test_bad_filter_input_is_a_form_error_not_a_500(login, reviewer, spread):
    response = login(reviewer).get(URL, {"min_age": "-3", "unit": "abc", "type": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "不能小于 0。" in page
    assert "不在可选范围内" in page


def test_unit_users_cannot_open_the_queue(login, staff_a, coordinator):
    assert login(staff_a).get(URL).status_code == 403
    assert login(coordinator).get(URL).status_code == 403


def test_leader_sees_the_queue(login, leader, spread):
    assert login(leader).get(URL).status_code == 200


def test_bulk_advance_with_one_comment(login, reviewer, spread):
    client = login(reviewer)
    signed, funds = spread["signed"], spread["funds"]
    response = client.post(
        reverse("review:queue_act"),
        {
            "selected": [f"milestone:{signed.pk}", f"funds:{funds.pk}"],
            "action": "advance",
            "comment": "资料齐全",
            "confirm": "yes",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已办理 1 条申报；1 条未能办理，原因如下。" in page
    # 现场评估 records a date, inspectors and a result a bulk 通过 cannot carry (issue 17).
    assert "现场评估须在申报页面逐件办理" in page
    signed.refresh_from_db()
    funds.refresh_from_db()
    assert (signed.status, funds.status) == (S.REVIEWED, S.REVIEWED)
    assert signed.events.last().comment == "资料齐全"
    assert not funds.events.exists()


def test_bulk_reject_needs_a_reason_and_saves_nothing_without_one(login, reviewer, spread):
    signed = spread["signed"]
    response = login(reviewer).post(
        reverse("review:queue_act"),
        {"selected": [f"milestone:{signed.pk}"], "action": "reject", "comment": ""},
        follow=True,
    )
    assert "批量退回必须填写退回理由" in response.content.decode()
    signed.refresh_from_db()
    assert signed.status == S.SUBMITTED


def test_leader_bulk_approves_confirmed_claims_and_is_told_about_the_rest(login, leader, spread):
    invest, signed = spread["invest"], spread["signed"]
    response = login(leader).post(
        reverse("review:queue_act"),
        {
            "selected": [f"investment:{invest.pk}", f"milestone:{signed.pk}"],
            "action": "advance",
            "comment": "同意",
            "confirm": "yes",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已办理 1 条申报；1 条未能办理，原因如下。" in page
    invest.refresh_from_db()
    assert invest.status == S.APPROVED


def test_history_records_a_change_made_through_a_bulk_action(login, reviewer, spread):
    funds = spread["funds"]
    login(reviewer).post(
        reverse("review:queue_act"),
        {
            "selected": [f"funds:{funds.pk}"],
            "action": "reject",
            "comment": "凭证不清",
            "confirm": "yes",
        },
    )
    latest = FundsEntry.history.filter(id=funds.pk).order_by("-history_date").first()
    assert latest.history_user == reviewer
    assert latest.status == S.REJECTED
    change = latest.diff_against(latest.prev_record).changes
    assert {(c.field, c.old, c.new) for c in change if c.field == "status"} == {
        ("status", "reviewed", "rejected")
    }


# 60 rows fill the page of 50 (a query per row would show); 200 only cost time.
@pytest.mark.parametrize("rows", [10, 60])
def test_queue_query_count_is_constant(login, reviewer, django_assert_max_num_queries, rows):
    project = ProjectFactory()
    for i in range(rows):
        FundsEntryFactory(
            project=project, status=S.SUBMITTED, date=datetime.date(2026, 1, 1 + i % 28)
        )
    client = login(reviewer)
    # +2 a claim type on the page and the year's settings: what each row offers (offers.py);
    # +5 the tabs: the years' settings and locks, and the count of each other tab (tabs.py).
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.status_code == 200


def bulk_claims(n, units):
    """n pending claims of every type and step, spread over projects of several units."""
    makers = [
        lambda p, i: MilestoneFactory(project=p, status=S.SUBMITTED),
        lambda p, i: FundsEntryFactory(project=p, status=S.REVIEWED),
        lambda p, i: MonthlyInvestmentFactory(
            project=p, status=S.SITE_ASSESSED, month=datetime.date(2026, 1 + i % 3, 1)
        ),
        lambda p, i: FundsEntryFactory(project=p, status=S.SUBMITTED),
        lambda p, i: MilestoneFactory(project=p, kind="started", status=S.DRAFT),
    ]
    selected = []
    for i in range(n):
        project = ProjectFactory(unit=units[i % len(units)], name=f"项目{n}-{i}")
        claim = makers[i % len(makers)](project, i)
        selected.append(f"{claims.claim_type(claim)}:{claim.pk}")
    return selected


def test_a_bulk_approve_costs_the_same_queries_for_5_and_25_claims(login, reviewer, unit_a, unit_b):
    client = login(reviewer)
    counts = []
    for n in (5, 25):
        selected = bulk_claims(n, [unit_a, unit_b])
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                reverse("review:queue_act"),
                {
                    "selected": selected,
                    "action": "advance",
                    "comment": "资料齐全",
                    "confirm": "yes",
                },
            )
        assert response.status_code == 302
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    # Drafts are not in the queue (not found for a reviewer); claims whose next step is 现场评估
    # or 会办确认 stay for the claim page; every submitted claim moved one step.
    assert ClaimEvent.objects.filter(comment="资料齐全").count() == 2 + 10
