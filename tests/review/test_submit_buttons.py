"""No 申报 / 重新申报 button that cannot succeed (issue 18 item 2): not on drafts or rejections
dated in a locked quarter, not without the evidence the claim's type requires; and a draft's
申报 button on the project page where it can succeed."""

import datetime

import pytest
from django.urls import reverse

from assessment.models import SnapshotStatus
from projects import claims
from projects.models import ClaimStatus
from tests.factories import AssessmentYearFactory, SnapshotFactory

S = ClaimStatus
MINE = reverse("review:my_claims")


@pytest.fixture
def q1_published(db):
    year = AssessmentYearFactory(year=2026)
    SnapshotFactory(year=year, quarter=1, status=SnapshotStatus.PUBLISHED, data={})


def button(claim):
    return f'name="only" value="{claims.claim_type(claim)}:{claim.pk}"'


def checkbox(claim):
    return f'name="selected" value="{claims.claim_type(claim)}:{claim.pk}"'


def test_my_claims_offers_no_submit_in_a_locked_quarter(login, staff_a, make_claim, q1_published):
    locked = make_claim(S.DRAFT, kind="funds", date=datetime.date(2026, 2, 1))
    rejected = make_claim(S.REJECTED, kind="investment", month=datetime.date(2026, 3, 1))
    open_draft = make_claim(S.DRAFT, kind="funds", date=datetime.date(2026, 5, 1))
    page = login(staff_a).get(MINE).content.decode()
    for claim in (locked, rejected):
        assert button(claim) not in page and checkbox(claim) not in page
    assert "季度已锁定" in page
    assert button(open_draft) in page and checkbox(open_draft) in page


def test_my_claims_offers_no_submit_without_evidence(login, staff_a, make_claim):
    bare = make_claim(S.DRAFT, kind="funds", evidence=False, date=datetime.date(2026, 5, 1))
    page = login(staff_a).get(MINE).content.decode()
    assert button(bare) not in page
    assert "缺少佐证" in page and "请先上传佐证" in page


def test_project_page_has_a_submit_button_for_a_draft_that_can_be_submitted(
    login, staff_a, make_claim, project_a
):
    draft = make_claim(S.DRAFT, kind="funds", date=datetime.date(2026, 5, 1))
    client = login(staff_a)
    url = reverse("projects:project_detail", args=[project_a.pk])
    page = client.get(url).content.decode()
    assert button(draft) in page
    response = client.post(
        reverse("review:my_claims_submit"), {"only": f"funds:{draft.pk}", "next": url}
    )
    assert response["Location"] == url
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_project_page_has_no_submit_button_in_a_locked_quarter_or_without_evidence(
    login, staff_a, make_claim, project_a, q1_published
):
    locked = make_claim(S.REJECTED, kind="funds", date=datetime.date(2026, 2, 1))
    bare = make_claim(S.DRAFT, kind="funds", evidence=False, date=datetime.date(2026, 5, 1))
    page = login(staff_a).get(reverse("projects:project_detail", args=[project_a.pk]))
    page = page.content.decode()
    assert button(locked) not in page and button(bare) not in page
    assert "重新申报" not in page


def test_reviewer_sees_no_submit_button_on_the_project_page(login, reviewer, make_claim, project_a):
    make_claim(S.REJECTED, kind="funds", date=datetime.date(2026, 5, 1))
    page = login(reviewer).get(reverse("projects:project_detail", args=[project_a.pk]))
    assert 'data-testid="claim-submit"' not in page.content.decode()
