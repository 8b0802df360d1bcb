"""Downloading the ranking workbook: reviewers and leaders get a live computation before
publication; everyone gets the published figures once the quarter is published. 下载 queues a
background job; the file comes from the job page (tests/workbooks/downloads.py)."""

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.defaults import create_default_year
from assessment.engine import compute
from assessment.models import SnapshotStatus
from assessment.serialize import result_to_dict
from tests.factories import MilestoneFactory, ProjectFactory, SnapshotFactory, TargetFactory
from tests.workbooks.downloads import ranking_download

pytestmark = pytest.mark.django_db
URL = reverse("workbook:ranking", args=[2026, 1])


@pytest.fixture
def year(unit_a):
    year = create_default_year(2026)
    TargetFactory(indicator=year.indicators.get(code="signed_100m"), unit=unit_a, value=2)
    MilestoneFactory(project=ProjectFactory(unit=unit_a), kind="signed")  # approved, 2026-03-15
    return year


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize("role", ["reviewer", "leader"])
def test_reviewers_and_leaders_download_a_live_computation(request, login, year, role):
    response = ranking_download(login(request.getfixturevalue(role)), 2026, 1)
    assert "测算稿（未发布）" in unquote(response["Content-Disposition"])
    wb = workbook(response)
    ws = wb["单位排名"]
    assert "2026年第一季度" in ws["A1"].value
    assert "测算稿（未发布）" in ws["A1"].value  # a draft says so in the workbook too
    # Issue 22: title, the draft line, a note, the header, the 方阵 section row, then 甲县.
    assert ws["C6"].value == "甲县"
    ws = wb["指标完成情况（一）"]
    assert ws["C6"].value == "甲县"  # title, draft line, note, two header rows
    assert ws["E6"].value == 1  # one approved signing counted
    assert ws["F6"].value == pytest.approx(0.5)


def test_unit_users_wait_for_publication(login, year, staff_a):
    assert login(staff_a).post(URL).status_code == 403


def test_published_snapshot_is_served_to_everyone_as_published(login, year, staff_a, reviewer):
    data = result_to_dict(compute(2026, 1))
    data["units"][0]["name"] = "甲县（已发布）"
    SnapshotFactory(
        year=year,
        quarter=1,
        status=SnapshotStatus.PUBLISHED,
        data=data,
        computed_at=timezone.now(),
        published_at=timezone.now(),
    )
    response = ranking_download(login(staff_a), 2026, 1)
    assert "测算" not in unquote(response["Content-Disposition"])
    ws = workbook(response)["单位排名"]
    assert "测算" not in ws["A1"].value
    assert ws["C5"].value == "甲县（已发布）"  # title, note, header, 方阵 section row


def test_unknown_year_or_quarter_is_404(login, reviewer, year):
    client = login(reviewer)
    assert client.post(reverse("workbook:ranking", args=[2019, 1])).status_code == 404
    assert client.post(reverse("workbook:ranking", args=[2026, 5])).status_code == 404


def test_ranking_and_report_pages_offer_the_workbook(login, year, reviewer):
    client = login(reviewer)
    for name in ("assessment:ranking", "assessment:report"):
        page = client.get(reverse(name, args=[2026, 1])).content.decode()
        assert URL in page
