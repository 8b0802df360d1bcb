"""我的申报: a unit sees the state of each of its claims, why one was rejected, what is verified
and what is still pending, and submits drafts from there."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import claims
from projects.models import ClaimStatus
from tests.factories import FundsEntryFactory, ProjectFactory

S = ClaimStatus
URL = reverse("review:my_claims")


@pytest.fixture
def mine(make_claim, reviewer):
    rejected = make_claim(S.SUBMITTED, kind="funds", amount=Decimal("80"))
    claims.transition(reviewer, rejected, "reject", "到账凭证不清晰")
    return {
        "draft": make_claim(S.DRAFT, kind="investment", amount=Decimal("999")),
        "approved": make_claim(
            S.APPROVED, kind="funds", amount=Decimal("1200"), date=datetime.date(2026, 2, 1)
        ),
        "pending": make_claim(
            S.CONFIRMED, kind="funds", amount=Decimal("300"), date=datetime.date(2026, 3, 1)
        ),
        "rejected": rejected,
    }


def test_unit_sees_each_state_the_rejection_reason_and_both_sums(login, staff_a, mine, unit_b):
    FundsEntryFactory(project=ProjectFactory(unit=unit_b, name="乙县项目"), amount=Decimal("7"))
    page = login(staff_a).get(URL).content.decode()
    assert "到账凭证不清晰" in page
    assert "重新申报" in page and ">申报</button>" in page
    assert "已审定 <strong>1,200.00 万元</strong>" in page
    assert "待核实 <strong>300.00 万元</strong>" in page
    assert "乙县项目" not in page


def test_submit_one_draft_with_its_row_button(login, staff_a, mine):
    draft = mine["draft"]
    response = login(staff_a).post(
        reverse("review:my_claims_submit"), {"only": f"investment:{draft.pk}"}, follow=True
    )
    assert "已报送 1 条申报。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_resubmit_selected_rejected_claim(login, head_a, mine):
    rejected = mine["rejected"]
    login(head_a).post(
        reverse("review:my_claims_submit"), {"selected": [f"funds:{rejected.pk}"], "confirm": "yes"}
    )
    rejected.refresh_from_db()
    assert rejected.status == S.SUBMITTED


def test_submitting_an_approved_claim_is_refused_with_a_reason(login, staff_a, mine):
    approved = mine["approved"]
    response = login(staff_a).post(
        reverse("review:my_claims_submit"),
        {"selected": [f"funds:{approved.pk}"], "confirm": "yes"},
        follow=True,
    )
    assert "该申报已审定" in response.content.decode()


def test_another_units_claim_cannot_be_submitted(login, staff_b, mine):
    draft = mine["draft"]
    response = login(staff_b).post(
        reverse("review:my_claims_submit"),
        {"selected": [f"investment:{draft.pk}"], "confirm": "yes"},
        follow=True,
    )
    assert "没有找到您可办理的申报" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_reviewers_have_no_my_claims_page(login, reviewer):
    assert login(reviewer).get(URL).status_code == 403


# 60 rows fill the page of 50 (a query per row would show); 200 only cost time.
@pytest.mark.parametrize("rows", [10, 60])
def test_my_claims_query_count_is_constant(
    login, staff_a, project_a, django_assert_max_num_queries, rows
):
    for i in range(rows):
        FundsEntryFactory(
            project=project_a, status=S.DRAFT, date=datetime.date(2026, 1, 1 + i % 28)
        )
    client = login(staff_a)
    with django_assert_max_num_queries(13):  # +1: the bell
        assert client.get(URL).status_code == 200
