"""The quarterly 通报: A4-printable, lists zero-progress, below-half and (Q4) escalations."""

import datetime

import pytest
from django.urls import reverse

from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.factories import UnitFactory


@pytest.fixture
def year(db, unit_a, unit_b):
    ay = default_year(2026)
    c = UnitFactory(name="丙县")
    for unit in (unit_a, unit_b, c):
        set_targets(ay, unit, signed_100m=4)
    for _ in range(4):
        signed_project(unit_a, date=datetime.date(2026, 2, 1))
    signed_project(unit_b, date=datetime.date(2026, 2, 1))
    return ay


def test_report_for_a_published_quarter(year, login, staff_b, reviewer):
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    page = login(staff_b).get(reverse("assessment:report", args=[2026, 1])).content.decode()
    assert "2026年第一季度全市招商引资工作考核情况通报" in page  # quarter_name, as the workbook
    assert "@page { size: A4" in page and "@media print" in page
    assert '<p data-testid="zero-units">丙县</p>' in page
    assert "乙县（25.00%）" in page
    # Before year end the escalation is a projection, and says so (issue 17 item 7).
    assert "七、未完成年度任务的问责（按当前进度预计）" in page
    assert "不是最终结论" in page


def test_year_end_report_lists_escalations(year, login, reviewer):
    publish(compute_snapshot(year, 4, reviewer), reviewer)
    page = login(reviewer).get(reverse("assessment:report", args=[2026, 4])).content.decode()
    assert "未完成年度任务的问责" in page
    assert "批评诫勉" in page


def test_unpublished_report_is_not_shown_to_unit_users(year, login, staff_a, reviewer):
    compute_snapshot(year, 1, reviewer)
    response = login(staff_a).get(reverse("assessment:report", args=[2026, 1]), follow=True)
    assert "本季度通报尚未发布" in response.content.decode()
