"""Confirmations before 测算, 撤回, unlock and every bulk action (issue 18 item 6): a post
without the ticked confirmation does nothing and says so; with it, the action is taken. The
pages carry the required check box, so they work without JavaScript."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessment.models import SnapshotStatus
from projects.models import ClaimStatus
from tests.factories import (
    AssessmentYearFactory,
    EvidenceFactory,
    FundsEntryFactory,
    ProjectFactory,
    SnapshotFactory,
)
from tests.factories.base import unguarded
from zhaoshang.jobs.models import Job

S = ClaimStatus
CONFIRM = {"confirm": "yes"}
BOX = 'name="confirm" value="yes"'


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def said(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def funds_claim(unit, status, day=datetime.date(2026, 5, 6)):
    with unguarded():
        claim = FundsEntryFactory(project=ProjectFactory(unit=unit), status=status, date=day)
        EvidenceFactory(funds=claim)
    return claim


def test_compute_needs_its_confirmation(login, reviewer):
    AssessmentYearFactory(year=2026)
    client = login(reviewer)
    ranking = client.get(reverse("assessment:ranking", args=[2026, 2])).content.decode()
    assert BOX in ranking and "确认测算" in ranking
    url = reverse("assessment:compute", args=[2026, 2])
    response = client.post(url)
    assert response["Location"] == reverse("assessment:ranking", args=[2026, 2])
    assert "请勾选确认后再测算，本次未办理。" in said(response)
    assert not Job.objects.exists()
    response = client.post(url, CONFIRM)
    assert Job.objects.count() == 1
    assert response["Location"] == reverse("jobs:detail", args=[Job.objects.get().pk])


def test_unlock_needs_its_confirmation(login, reviewer):
    year = AssessmentYearFactory(year=2026)
    snapshot = SnapshotFactory(year=year, quarter=1, status=SnapshotStatus.PUBLISHED)
    client = login(reviewer)
    page = client.get(reverse("assessment:ranking", args=[2026, 1])).content.decode()
    assert 'data-testid="confirm-unlock"' in page
    url = reverse("assessment:unlock", args=[2026, 1])
    response = client.post(url, {"reason": "更正到位资金"})
    assert "请勾选确认后再解锁" in said(response)
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.PUBLISHED
    client.post(url, {"reason": "更正到位资金", **CONFIRM})
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.UNLOCKED


def test_withdraw_needs_its_confirmation(login, head_a, unit_a):
    claim = funds_claim(unit_a, S.SUBMITTED)
    client = login(head_a)
    detail = reverse("review:claim_detail", args=["funds", claim.pk])
    assert 'data-testid="confirm-withdraw"' in client.get(detail).content.decode()
    act = reverse("review:claim_act", args=["funds", claim.pk])
    data = {"action": "withdraw", "version": claim.version}
    response = client.post(act, data)
    assert "请勾选确认后再撤回" in said(response)
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    client.post(act, {**data, **CONFIRM})
    claim.refresh_from_db()
    assert claim.status == S.DRAFT


def test_the_queue_bulk_action_needs_its_confirmation(login, reviewer, unit_a):
    claim = funds_claim(unit_a, S.SUBMITTED)
    client = login(reviewer)
    assert 'data-testid="confirm-bulk"' in client.get(reverse("review:queue")).content.decode()
    data = {"selected": [f"funds:{claim.pk}"], "action": "advance", "comment": "齐全"}
    response = client.post(reverse("review:queue_act"), data)
    assert "请勾选确认后再批量办理" in said(response)
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    client.post(reverse("review:queue_act"), {**data, **CONFIRM})
    claim.refresh_from_db()
    assert claim.status == S.REVIEWED


def test_bulk_submit_needs_its_confirmation_one_rows_button_does_not(login, staff_a, unit_a):
    first, second = funds_claim(unit_a, S.DRAFT), funds_claim(unit_a, S.DRAFT)
    client = login(staff_a)
    page = client.get(reverse("review:my_claims")).content.decode()
    assert 'data-testid="confirm-bulk"' in page and "formnovalidate" in page
    url = reverse("review:my_claims_submit")
    response = client.post(url, {"selected": [f"funds:{first.pk}"]})
    assert "请勾选确认后再批量申报" in said(response)
    first.refresh_from_db()
    assert first.status == S.DRAFT
    client.post(url, {"selected": [f"funds:{first.pk}"], **CONFIRM})
    client.post(url, {"only": f"funds:{second.pk}"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.SUBMITTED, S.SUBMITTED)
