"""`submitted_at` on claims (issue 21): every path that moves a claim to 已申报 stores when, the
review queue sorts and filters on it, the migration fills it from the ClaimEvent history, and the
queue's queries do not grow with the claims it lists."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.workbooks.importer import import_workbook
from projects import claims
from projects.models import ClaimEvent, ClaimStatus, FundsEntry, Milestone, MonthlyInvestment
from tests.factories import (
    FundsEntryFactory,
    IndustryFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.workbooks.conftest import build_workbook, project_row

S = ClaimStatus
LONG_AGO = timezone.now() - datetime.timedelta(days=40)


def act_url(claim):
    return reverse("review:claim_act", args=[claims.claim_type(claim), claim.pk])


def fresh(claim):
    claim.refresh_from_db()
    return claim


def test_a_draft_has_no_submission_time(make_claim):
    assert make_claim(S.DRAFT).submitted_at is None


def test_submit_from_the_claim_page_stores_the_time(login, make_claim, staff_a):
    claim = make_claim(S.DRAFT, kind="funds")
    before = timezone.now()
    login(staff_a).post(act_url(claim), {"action": "submit", "version": claim.version})
    claim = fresh(claim)
    assert claim.status == S.SUBMITTED
    assert claim.submitted_at >= before


def test_bulk_submit_stores_the_time_of_each(login, head_a, make_claim):
    drafts = [
        make_claim(S.DRAFT, kind="investment", month=datetime.date(2026, m, 1)) for m in (1, 2)
    ]
    before = timezone.now()
    selected = [f"investment:{d.pk}" for d in drafts]
    login(head_a).post(reverse("review:my_claims_submit"), {"selected": selected, "confirm": "yes"})
    for draft in drafts:
        draft = fresh(draft)
        assert draft.status == S.SUBMITTED and draft.submitted_at >= before


def test_resubmitting_a_rejected_claim_restarts_the_wait(login, head_a, make_claim):
    rejected = make_claim(S.REJECTED, kind="funds", submitted_at=LONG_AGO)
    login(head_a).post(
        reverse("review:my_claims_submit"), {"selected": [f"funds:{rejected.pk}"], "confirm": "yes"}
    )
    rejected = fresh(rejected)
    assert rejected.status == S.SUBMITTED
    assert rejected.submitted_at > LONG_AGO + datetime.timedelta(days=39)


def test_reopening_an_approved_claim_restarts_the_wait(login, reviewer, make_claim):
    claim = make_claim(S.APPROVED, submitted_at=LONG_AGO)
    login(reviewer).post(
        act_url(claim), {"action": "reopen", "comment": "金额录入错误", "version": claim.version}
    )
    claim = fresh(claim)
    assert claim.status == S.SUBMITTED
    assert claim.submitted_at > LONG_AGO + datetime.timedelta(days=39)


def test_later_steps_and_a_rejection_keep_the_submission_time(make_claim, reviewer, reviewer2):
    claim = make_claim(S.SUBMITTED, kind="funds", submitted_at=LONG_AGO)
    claims.transition(reviewer, claim, "review")
    assert fresh(claim).submitted_at == LONG_AGO
    claims.transition(reviewer2, claim, "reject", "凭证不清")
    claim = fresh(claim)
    assert claim.status == S.REJECTED and claim.submitted_at == LONG_AGO


def test_the_in_memory_claim_follows_the_write(make_claim, staff_a):
    claim = make_claim(S.DRAFT, kind="funds")
    claims.transition(staff_a, claim, "submit")
    assert claim.submitted_at == fresh(claim).submitted_at


@pytest.mark.django_db
def test_an_import_of_submitted_rows_stores_the_time(reviewer):
    IndustryFactory(name="装备制造")
    UnitFactory(name="东湖区")
    workbook = build_workbook(
        {
            "项目": [project_row()],
            "固定资产投资": [["新能源电机项目", "2025-03", 3200.5]],
            "到位资金": [["新能源电机项目", "2025-02-10", "企业和个人投资", 8000]],
        }
    )
    before = timezone.now()
    report = import_workbook(workbook, user=reviewer)
    assert report.ok, report.errors
    imported = [
        *Milestone.objects.all(),
        *MonthlyInvestment.objects.all(),
        *FundsEntry.objects.all(),
    ]
    assert imported
    for claim in imported:
        assert claim.status == S.SUBMITTED and claim.submitted_at >= before


def test_the_migration_fills_the_latest_submission_from_the_history(make_claim):
    claim = make_claim(S.REVIEWED, kind="funds", submitted_at=None)
    draft = make_claim(S.DRAFT, kind="investment")
    first = timezone.now() - datetime.timedelta(days=20)
    again = timezone.now() - datetime.timedelta(days=5)
    for status, when in [(S.SUBMITTED, first), (S.REJECTED, first), (S.SUBMITTED, again)]:
        ClaimEvent.objects.create(funds=claim, to_status=status, created=when)
    migration = importlib.import_module("projects.migrations.0018_claim_submitted_at")
    migration.fill_submitted_at(apps, None)
    assert fresh(claim).submitted_at == again
    assert fresh(draft).submitted_at is None


def test_the_queue_waits_from_the_stored_time(login, reviewer, unit_a):
    project = ProjectFactory(unit=unit_a, name="甲县冷链项目")
    old = FundsEntryFactory(project=project, status=S.SUBMITTED, submitted_at=LONG_AGO)
    FundsEntryFactory(project=project, status=S.SUBMITTED, date=datetime.date(2026, 3, 21))
    client = login(reviewer)
    page = client.get(reverse("review:queue"), {"tab": "all", "min_age": "30"}).content.decode()
    assert page.count('name="selected" value=') == 1
    assert f'value="funds:{old.pk}"' in page
    assert ">40<" in page  # 已等待（天）


def _queue_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("review:queue"), {"tab": "all"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_costs_the_same_queries_for_2_and_20_claims(login, reviewer, unit_a, unit_b):
    client = login(reviewer)
    counts = []
    made = 0
    for total in (2, 20):
        for i in range(made, total):
            project = ProjectFactory(unit=(unit_a, unit_b)[i % 2], name=f"排队项目{i}")
            FundsEntryFactory(project=project, status=(S.SUBMITTED, S.REVIEWED)[i % 2])
        made = total
        counts.append(_queue_queries(client))
    assert counts[0] == counts[1]


def test_my_claims_shows_the_reason_of_each_rejected_row(login, staff_a, make_claim, reviewer):
    rows = []
    for month, reason in [(1, "缺少发票"), (2, "金额不符")]:
        claim = make_claim(S.SUBMITTED, kind="investment", month=datetime.date(2026, month, 1))
        claims.transition(reviewer, claim, "reject", reason)
        rows.append(claim)
    page = login(staff_a).get(reverse("review:my_claims")).content.decode()
    assert "缺少发票" in page and "金额不符" in page
