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


# --- an issued 简报 is sealed: what it showed when issued, whatever happens later ------------


def _issue(client, campaign, period):
    client.post(brief_url(campaign, period, "campaign_brief_issue"))
    assert campaign.briefs.filter(period=period).exists()


def _page_rows(client, campaign, period):
    """{unit: (rank, change, score)} as the printable page shows them."""
    page = client.get(brief_url(campaign, period)).content.decode()
    out = {}
    for unit, row in re.findall(r'data-unit="([^"]+)">(.*?)</tr>', page, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        out[unit] = (cells[0], cells[1], cells[3])
    return out, page


def _sheet_rows(client, campaign, period):
    """({unit: [排名, 名次变化, 单位, 得分, …]}, every cell) as the workbook shows them."""
    response = client.get(brief_url(campaign, period, "campaign_brief_export"))
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["简报"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    first = next(i for i, row in enumerate(cells) if row[0] == "排名") + 1
    return {row[2]: row for row in cells[first:] if row[0] not in ("合计", None)}, cells


def test_an_issued_brief_keeps_its_figures_when_a_claim_is_approved_later(
    login, reviewer, two_weeks, unit_b
):
    from tests.assessment.factories import signed_project

    client = login(reviewer)
    _issue(client, two_weeks, 1)
    # Signed in period 1 and approved after the 简报 was issued: 乙县 signed 1/2 (12.5) and 2/10
    # reported (2) → 29.00, which would put it first in period 1 if recomputed.
    signed_project(unit_b, D(2025, 4, 3), name="乙县补审签约项目")

    rows_1, page = _page_rows(client, two_weeks, 1)
    assert rows_1 == {"甲县": ("1", "—", "10.00"), "乙县": ("2", "—", "4.00")}
    assert "测算稿" not in page
    sheet, cells = _sheet_rows(client, two_weeks, 1)
    assert sheet["甲县"][:4] == [1, "—", "甲县", 10]
    assert sheet["乙县"][:4] == [2, "—", "乙县", 4]
    assert "第1期" in cells[0][0] and "测算稿" not in cells[0][0]

    # The next period's draft counts the claim (乙县 12.5 + 10 → 45.00) and compares with what
    # the issued 简报 showed (乙县 2nd → 1st: ↑1), not with a recomputed period 1 (1st: 持平).
    rows_2, page = _page_rows(client, two_weeks, 2)
    assert rows_2["乙县"] == ("1", "↑1", "45.00") and rows_2["甲县"] == ("2", "↓1", "10.00")
    assert "测算稿" in page
    sheet, _ = _sheet_rows(client, two_weeks, 2)
    assert sheet["乙县"][:4] == [1, "↑1", "乙县", 45]


def test_an_issued_brief_keeps_its_figures_when_targets_and_weights_change(
    login, reviewer, two_weeks, info, unit_a
):
    client = login(reviewer)
    _issue(client, two_weeks, 1)
    info.targets.filter(unit=unit_a).update(value=Decimal(20))  # 甲县 5/20 → 5.00
    info.weight = Decimal(20)
    info.save()
    two_weeks.year.issuing_office = "另一个办公室"
    two_weeks.year.save()

    rows_1, page = _page_rows(client, two_weeks, 1)
    assert rows_1 == {"甲县": ("1", "—", "10.00"), "乙县": ("2", "—", "4.00")}
    signature = page.split('data-testid="signature"')[1].split("</div></div>")[0]
    assert OFFICE in signature and "另一个办公室" not in signature
    sheet, cells = _sheet_rows(client, two_weeks, 1)
    assert sheet["甲县"][:4] == [1, "—", "甲县", 10]
    assert sheet["甲县"][5:8] == [10, 5, 5]  # the target when issued, so far, this period
    total = next(row for row in cells if row[0] == "合计")
    assert total[5:8] == [20, 7, 7]
    flat = [v for row in cells for v in row if v]
    assert OFFICE in flat and "另一个办公室" not in flat

    # Period 2's draft uses the new target and weight: 甲县 20 × 0.25 / 60 → 8.33, 乙县
    # 20 × 1 / 60 → 33.33.
    rows_2, _ = _page_rows(client, two_weeks, 2)
    assert rows_2["甲县"][2] == "8.33" and rows_2["乙县"][2] == "33.33"
    sheet, _ = _sheet_rows(client, two_weeks, 2)
    assert sheet["甲县"][5:8] == [20, 5, None]


def test_a_late_report_moves_only_the_next_draft(login, reviewer, two_weeks, info, unit_a, unit_b):
    from assessment.campaigns import reports
    from zhaoshang.guarded import Frozen

    client = login(reviewer)
    _issue(client, two_weeks, 1)
    # A late report of the issued period is refused; one of the next period counts there only.
    with pytest.raises(Frozen):
        reports.save_report(two_weeks, unit_a, 1, {info.pk: Decimal(9)}, "补报", reviewer)
    file_report(two_weeks, unit_a, 2, progress="逾期补报：签约 1 个", **{info.code: 5})
    # A measure target set for 乙县 after the 简报 would move a recomputed period 1 (2/20 → 2.00).
    info.targets.filter(unit=unit_b).update(value=Decimal(20))

    rows_1, page = _page_rows(client, two_weeks, 1)
    assert rows_1 == {"甲县": ("1", "—", "10.00"), "乙县": ("2", "—", "4.00")}
    assert "逾期补报" not in page
    sheet, cells = _sheet_rows(client, two_weeks, 1)
    assert sheet["乙县"][:4] == [2, "—", "乙县", 4]
    assert "本期未报送单位：无" in [v for row in cells for v in row if v]

    # Period 2: 甲县 10/10 → 20.00, 乙县 10/20 → 10.00; 甲县 keeps first place (持平).
    rows_2, page = _page_rows(client, two_weeks, 2)
    assert rows_2["甲县"] == ("1", "持平", "20.00") and rows_2["乙县"] == ("2", "持平", "10.00")
    assert "逾期补报：签约 1 个" in page
    missing = page.split('data-testid="missing"')[1].split("</p>")[0]
    assert "甲县" not in missing
    sheet, _ = _sheet_rows(client, two_weeks, 2)
    assert sheet["甲县"][-1] == "已报送"


def test_the_stored_brief_shows_what_the_draft_showed(login, reviewer, two_weeks):
    def shown(brief):
        return (
            brief.title,
            brief.period,
            brief.start,
            brief.result.expected_progress,
            [m.code for m in brief.measures],
            [
                (r.entity.name, r.entity.rank, r.entity.score, r.entity.overall, r.change)
                + (r.this_period, r.reported, r.progress)
                for r in brief.rows
            ],
            [u.name for u in brief.missing],
            brief.totals,
        )

    draft = briefs.build(two_weeks, 2)
    login(reviewer).post(brief_url(two_weeks, 2, "campaign_brief_issue"))
    issued = briefs.build(two_weeks, 2)
    assert not issued.draft and issued.issued.content
    assert shown(issued) == shown(draft)
    assert issued.signature[0] == OFFICE and issued.signature != draft.signature


def test_queries_stay_constant_with_an_issued_brief(login, reviewer, two_weeks, info):
    client = login(reviewer)
    _issue(client, two_weeks, 1)

    def queries(period):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(brief_url(two_weeks, period)).status_code == 200
        return len(ctx.captured_queries)

    small = queries(1), queries(2)
    for n in range(6):  # joining after period 1: targets and period-2 reports only
        unit = UnitFactory(name=f"后加单位{n}")
        measure_target(info, unit, 5)
        file_report(two_weeks, unit, 2, **{info.code: n})
    assert (queries(1), queries(2)) == small
