"""The HTML 通报 as an office sends it (issue 22 item 3): a draft says 测算稿（未发布） on the page
and on paper, per-indicator figures per unit with the 待核实 figures, the totals rule stated,
加减分 beside 得分, page numbers in the print CSS, a print button, and the 落款 — a year setting
frozen with the year's rules once a quarter is published."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.snapshots import compute_snapshot, publish
from projects.models import ClaimStatus
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.factories import FundsEntryFactory, ProjectFactory, ScoreAdjustmentFactory
from zhaoshang.guard import Frozen

OFFICE = "某某市招商引资工作领导小组办公室"


@pytest.fixture
def year(db, unit_a, unit_b):
    ay = default_year(2026)
    ay.issuing_office = OFFICE
    ay.save()
    for unit in (unit_a, unit_b):
        set_targets(ay, unit, signed_100m=4, funds=1000)
    signed_project(unit_a, date=datetime.date(2026, 2, 1))
    FundsEntryFactory(
        project=ProjectFactory(unit=unit_b),
        date=datetime.date(2026, 2, 3),
        amount=Decimal("250"),
        status=ClaimStatus.SUBMITTED,
    )
    return ay


def page_of(client, quarter=1):
    response = client.get(reverse("assessment:report", args=[2026, quarter]))
    assert response.status_code == 200
    return response.content.decode()


def test_draft_is_marked_in_the_printed_part_of_the_page(year, login, reviewer):
    compute_snapshot(year, 1, reviewer)
    page = page_of(login(reviewer))
    article = page[page.index('<article class="report">') :]
    assert 'data-testid="draft-mark"' in article  # inside the article: printed, not d-print-none
    assert "测算稿（未发布）" in article
    assert f"{OFFICE}" in article and "发布时确定日期" in article


def test_published_report_has_signature_figures_pending_and_print_aids(
    year, login, reviewer, unit_a, staff_a
):
    ScoreAdjustmentFactory(year=year, unit=unit_a, points=Decimal(3), reason="重大项目加分")
    snapshot = publish(compute_snapshot(year, 1, reviewer), reviewer)
    page = page_of(login(staff_a))
    assert 'data-testid="draft-mark"' not in page
    assert "data-print" in page and "打印" in page
    assert 'counter(page) " 页 共 " counter(pages)' in page
    day = snapshot.published_at.astimezone().date()
    signature = page[page.index('data-testid="signature"') :]
    assert OFFICE in signature and f"{day.year}年{day.month}月{day.day}日" in signature
    assert 'data-testid="totals-rule"' in page and "与排名表“全市合计”行一致" in page
    # Per-indicator figures per unit, with 待核实 (submitted, not verified: 250 万元, shown in
    # the indicator's 亿元).
    funds = page[page.index('data-testid="indicator-funds"') :]
    funds = funds[: funds.index("</table>")]
    assert unit_a.name in funds and "0.03 亿元" in funds
    assert "0.03 亿元" in page[page.index('data-testid="pending-funds"') :][:80]
    # 加减分 is a column beside 得分.
    rows = page[page.index("三、单位排名") :]
    assert '<th class="num">加减分</th>' in rows and ">3.00<" in rows


def test_issuing_office_is_frozen_with_the_years_rules(year, reviewer):
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    year.refresh_from_db()
    year.issuing_office = "另一个办公室"
    with pytest.raises(Frozen):
        year.save()
