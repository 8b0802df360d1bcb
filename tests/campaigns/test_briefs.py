"""The 《简报》 of a campaign period (issue 20 item 4): figures so far, rank and rank change,
units with nothing reported, totals, 第N期 and 落款; the page, the workbook and who reads them.

Scores, hand-computed (the fixture's targets: signed_100m and funds, weights 25 and 15, nothing
signed; 招商信息条数 weight 10, target 10 for each unit):
- period 1: 甲县 reports 5 → S = 100 × 10·0.5 / 50 = 10.00; 乙县 2 → 4.00: 甲县 1st, 乙县 2nd;
- period 2: 乙县 reports 8 more (10 so far) → 20.00, 甲县 nothing (5) → 10.00: 乙县 1st (↑1),
  甲县 2nd (↓1), and 甲县 has not reported.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessment.campaigns import briefs
from tests.factories import CampaignMeasureFactory, UnitFactory, file_report, measure_target

D = datetime.date
OFFICE = "某市招商引资工作领导小组办公室"
pytestmark = pytest.mark.django_db


@pytest.fixture
def info(campaign, unit_a, unit_b):
    measure = CampaignMeasureFactory(campaign=campaign, name="招商信息条数", unit_label="条")
    measure_target(measure, unit_a, 10)
    measure_target(measure, unit_b, 10)
    return measure


@pytest.fixture
def two_weeks(campaign, unit_a, unit_b, info, today):
    campaign.year.issuing_office = OFFICE
    campaign.year.save()
    file_report(campaign, unit_a, 1, progress="走访客商 5 家", **{info.code: 5})
    file_report(campaign, unit_b, 1, **{info.code: 2})
    file_report(campaign, unit_b, 2, progress="组建小分队 2 支", **{info.code: 8})
    today(D(2025, 4, 15))
    return campaign


def brief_url(campaign, period, what="campaign_brief"):
    return reverse(f"assessment:{what}", args=[campaign.pk, period])


def rows(brief):
    return {row.entity.name: row for row in brief.rows}


def test_ranks_and_rank_changes_between_periods(two_weeks, info):
    first = rows(briefs.build(two_weeks, 1))
    assert (first["甲县"].entity.rank, first["甲县"].entity.score) == (1, Decimal("10.00"))
    assert (first["乙县"].entity.rank, first["乙县"].entity.score) == (2, Decimal("4.00"))
    assert first["甲县"].change is None  # no previous period

    brief = briefs.build(two_weeks, 2)
    second = rows(brief)
    assert (second["乙县"].entity.rank, second["乙县"].entity.score) == (1, Decimal("20.00"))
    assert (second["甲县"].entity.rank, second["甲县"].entity.score) == (2, Decimal("10.00"))
    assert (second["乙县"].change, second["甲县"].change) == (1, -1)
    assert second["乙县"].this_period == {info.code: Decimal(8)}
    assert second["乙县"].entity.indicators[info.code].actual == Decimal(10)
    assert [u.name for u in brief.missing] == ["甲县"]
    assert brief.totals[info.code] == (Decimal(20), Decimal(15), Decimal(8))


def test_the_printable_page(login, reviewer, two_weeks):
    response = login(reviewer).get(brief_url(two_weeks, 2))
    page = response.content.decode()
    assert "第1期" in page  # the number it would take: none issued yet
    assert "测算稿（未发布）" in page and "印发本期简报" in page
    assert "↑1" in page and "↓1" in page
    assert "组建小分队 2 支" in page
    assert OFFICE in page and "印发时确定日期" in page
    missing = page.split('data-testid="missing"')[1].split("</p>")[0]
    assert "甲县" in missing and "乙县" not in missing


def test_issue_numbers_follow_the_order_of_issue(login, reviewer, two_weeks):
    client = login(reviewer)
    client.post(brief_url(two_weeks, 2, "campaign_brief_issue"))
    client.post(brief_url(two_weeks, 1, "campaign_brief_issue"))
    assert {b.period: b.number for b in two_weeks.briefs.all()} == {2: 1, 1: 2}
    page = client.get(brief_url(two_weeks, 2)).content.decode()
    assert "第1期" in page and "测算稿" not in page and "印发本期简报" not in page
    signature = page.split('data-testid="signature"')[1].split("</div></div>")[0]
    assert OFFICE in signature and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", signature)


def test_the_workbook(login, reviewer, two_weeks):
    response = login(reviewer).get(brief_url(two_weeks, 2, "campaign_brief_export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb["简报"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert "第1期" in cells[0][0] and "测算稿" in cells[0][0]
    header = cells[3]
    assert header[:5] == ["排名", "名次变化", "单位", "得分", "总体完成率"]
    by_unit = {row[2]: row for row in cells[4:6]}
    assert by_unit["乙县"][:4] == [1, "↑1", "乙县", 20]
    assert by_unit["甲县"][:4] == [2, "↓1", "甲县", 10]
    assert by_unit["乙县"][5:8] == [10, 10, 8]  # target, so far, this period
    assert by_unit["甲县"][-1] == "未报送"
    total = cells[6]
    assert total[0] == "合计" and total[5:8] == [20, 15, 8]
    flat = [v for row in cells for v in row if v]
    assert "本期未报送单位：甲县" in flat
    assert OFFICE in flat
    assert ws.print_title_rows == "$4:$4"


def test_units_read_only_issued_briefs(login, staff_a, leader, reviewer, two_weeks):
    assert login(staff_a).get(brief_url(two_weeks, 1)).status_code == 404
    assert login(staff_a).get(brief_url(two_weeks, 1, "campaign_brief_export")).status_code == 404
    assert login(leader).get(brief_url(two_weeks, 1)).status_code == 200
    assert login(leader).post(brief_url(two_weeks, 1, "campaign_brief_issue")).status_code == 403
    assert login(staff_a).post(brief_url(two_weeks, 1, "campaign_brief_issue")).status_code == 403
    assert not two_weeks.briefs.exists()
    login(reviewer).post(brief_url(two_weeks, 1, "campaign_brief_issue"))
    page = login(staff_a).get(brief_url(two_weeks, 1)).content.decode()
    assert "第1期" in page and "印发本期简报" not in page


def test_no_such_period(login, reviewer, two_weeks):
    assert login(reviewer).get(brief_url(two_weeks, 99)).status_code == 404


def _brief_queries(client, campaign):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(brief_url(campaign, 2)).status_code == 200
    return len(ctx.captured_queries)


def _more_units(campaign, info, count, first):
    for n in range(first, first + count):
        unit = UnitFactory(name=f"简报单位{n:02d}")
        measure_target(info, unit, 5)
        file_report(campaign, unit, 1, progress="进展", **{info.code: 1})
        file_report(campaign, unit, 2, **{info.code: n})


def test_brief_queries_do_not_grow_with_units(login, reviewer, two_weeks, info):
    client = login(reviewer)
    small = _brief_queries(client, two_weeks)  # 2 units
    _more_units(two_weeks, info, 6, 0)  # 8 units
    assert _brief_queries(client, two_weeks) == small
