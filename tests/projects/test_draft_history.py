"""Drafts are private to their unit in the change history too (issue 15 path 8, SPEC §1/§4).

The project's 变更记录, the claim page and the reviewers' history search show a claim's rows only to
who may see the claim, and never another unit's draft-stage edits — not before submission, and not
after: from submission on the history is shared, starting with the claim as submitted (申报)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import claims
from projects.models import ClaimStatus, FundsEntry
from tests.factories import (
    EvidenceFactory,
    FundsEntryFactory,
    GroupFactory,
    MilestoneFactory,
    add_member,
)
from tests.factories.base import unguarded
from units.models import GroupMembership

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def add_funds(client, project, amount, note):
    url = reverse("projects:claim_add", args=[project.pk, "funds"])
    data = {"date": DAY.isoformat(), "source": "enterprise", "amount": amount, "note": note}
    assert client.post(url, data).status_code == 302
    return FundsEntry.objects.latest("pk")


def edit_funds(client, claim, amount, note):
    claim.refresh_from_db()
    url = reverse("projects:claim_edit", args=["funds", claim.pk])
    data = {
        "date": DAY.isoformat(),
        "source": "enterprise",
        "amount": amount,
        "note": note,
        "version": claim.version,
    }
    assert client.post(url, data).status_code == 302


def history_text(client, url):
    """The text of the page's history table (变更记录 or 修改记录)."""
    page = client.get(url).content.decode()
    assert 'data-testid="history"' in page
    start = page.index('data-testid="history"')
    return page[start : page.index("</table>", start)]


@pytest.fixture
def drafted(login, staff_a, project_a):
    """甲县's draft funds entry, edited once: 111.11 → 222.22 with a note."""
    client = login(staff_a)
    claim = add_funds(client, project_a, "111.11", "第一版说明")
    edit_funds(client, claim, "222.22", "草稿备注：待补合同")
    return claim


def submit(user, claim):
    claim.refresh_from_db()
    EvidenceFactory(milestone=None, funds=claim, original_name="到账凭证.pdf")
    claims.transition(user, claim, claims.Action.SUBMIT)
    claim.refresh_from_db()


@pytest.mark.parametrize("reader", ["reviewer", "leader", "coordinator"])
def test_others_see_nothing_of_a_draft_in_the_project_history(
    request, login, reader, drafted, project_a
):
    client = login(request.getfixturevalue(reader))
    response = client.get(project_a.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for secret in ("111.11", "222.22", "待补合同", "第一版说明"):
        assert secret not in page
    claim_url = reverse("review:claim_detail", args=["funds", drafted.pk])
    assert client.get(claim_url).status_code == 404


def test_the_unit_itself_sees_its_draft_edits(login, staff_a, drafted, project_a):
    rows = history_text(login(staff_a), project_a.get_absolute_url())
    assert "111.11 → 222.22" in rows
    assert "草稿备注：待补合同" in rows


def test_after_submission_others_see_the_claim_as_submitted_not_its_drafts(
    login, staff_a, reviewer, drafted, project_a
):
    submit(staff_a, drafted)
    client = login(reviewer)
    for url in (
        project_a.get_absolute_url(),
        reverse("review:claim_detail", args=["funds", drafted.pk]),
    ):
        rows = history_text(client, url)
        assert "申报" in rows and "222.22" in rows and "草稿备注：待补合同" in rows
        assert "111.11" not in rows and "第一版说明" not in rows.replace("草稿备注", "")
    claim_rows = history_text(client, reverse("review:claim_detail", args=["funds", drafted.pk]))
    assert (
        '核实状态：<span class="text-secondary">草稿</span> → <strong>已申报</strong>' in claim_rows
    )
    # The unit still reads its whole story.
    own = history_text(login(staff_a), project_a.get_absolute_url())
    assert "111.11 → 222.22" in own


def test_fixes_after_a_rejection_show_only_once_resubmitted(
    login, staff_a, reviewer, drafted, project_a
):
    submit(staff_a, drafted)
    claims.transition(reviewer, drafted, claims.Action.REJECT, "请补充合同")
    unit = login(staff_a)
    edit_funds(unit, drafted, "333.33", "补充中")
    edit_funds(unit, drafted, "444.44", "已补充合同")
    office = login(reviewer)
    rows = history_text(office, project_a.get_absolute_url())
    assert "已退回" in rows  # the rejection, the office's own step
    assert "333.33" not in rows and "444.44" not in rows and "补充中" not in rows
    drafted.refresh_from_db()
    claims.transition(staff_a, drafted, claims.Action.SUBMIT)
    rows = history_text(office, project_a.get_absolute_url())
    # The resubmission compares with what was rejected: the fixes' result, not their steps.
    assert "222.22 → 444.44" in rows
    assert "333.33" not in rows and "补充中" not in rows


def test_history_search_leaves_out_draft_edits(login, staff_a, reviewer, drafted):
    page = login(reviewer).get(reverse("review:history"), {"model": "funds"}).content.decode()
    assert "111.11" not in page and "222.22" not in page and "待补合同" not in page
    submit(staff_a, drafted)
    page = login(reviewer).get(reverse("review:history"), {"model": "funds"}).content.decode()
    assert "222.22" in page and "111.11" not in page


def test_coordinator_sees_no_member_drafts_nor_claims_of_years_after_it_left(
    login, coordinator, staff_a, lead_unit, unit_a, group, project_a
):
    def noted(claim, note):  # an edit: the history lists its change
        claim.note = note
        with unguarded():  # approved claims noted as data set-up, not through a form
            claim.save()

    add_member(GroupFactory(year=2025, name="第一招商协作组", lead_unit=lead_unit), unit_a)
    signed = MilestoneFactory(project=project_a, kind="signed", date=datetime.date(2025, 4, 1))
    noted(signed, "2025签约")
    draft = MilestoneFactory(project=project_a, kind="started", date=DAY, status="draft")
    noted(draft, "草稿开工")
    noted(FundsEntryFactory(project=project_a, date=datetime.date(2025, 8, 1)), "2025到位")
    noted(FundsEntryFactory(project=project_a, date=DAY), "2026到位")
    client = login(coordinator)
    rows = history_text(client, project_a.get_absolute_url())
    assert "2025到位" in rows and "2026到位" in rows
    assert "草稿开工" not in rows and "开工" not in rows
    # 甲县 leaves the coordinator's 2026 group; it stays a 2025 member.
    GroupMembership.objects.filter(group=group, unit=unit_a).delete()
    rows = history_text(client, project_a.get_absolute_url())
    assert "2025到位" in rows and "2025签约" in rows
    assert "2026到位" not in rows


def test_project_history_query_count_does_not_grow(
    login, staff_a, reviewer, project_a, django_assert_num_queries
):
    def claims_of(n, start):
        for i in range(n):
            claim = FundsEntryFactory(project=project_a, date=DAY, status=ClaimStatus.DRAFT)
            claim.amount = 10 + start + i
            claim.save()
            claim.status = ClaimStatus.SUBMITTED
            claim.save()

    claims_of(2, 0)
    for user in (reviewer, staff_a):
        client = login(user)
        with CaptureQueriesContext(connection) as small:
            client.get(project_a.get_absolute_url())
        claims_of(20, 100)
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(project_a.get_absolute_url())


def test_a_deleted_claim_keeps_its_history_for_who_could_read_it(
    login, staff_a, reviewer, drafted, project_a
):
    submit(staff_a, drafted)
    claims.transition(reviewer, drafted, claims.Action.REJECT, "请补充合同")
    discarded = add_funds(login(staff_a), project_a, "555.55", "不要了")
    for claim in (drafted, discarded):
        url = reverse("projects:claim_delete", args=["funds", claim.pk])
        assert login(staff_a).post(url).status_code == 302
    assert not FundsEntry.objects.exists()
    own = history_text(login(staff_a), project_a.get_absolute_url())
    assert own.count('<td data-label="操作">删除</td>') == 2
    office = history_text(login(reviewer), project_a.get_absolute_url())
    # Submitted, rejected and deleted: the audit trail of what the office saw; nothing of the
    # discarded draft.
    assert "222.22" in office and "已退回" in office
    assert office.count('<td data-label="操作">删除</td>') == 1
    assert "555.55" not in office and "不要了" not in office
