"""City totals (全市合计): the 通报's 全市 table, the ranking workbook's 合计 row and the leaders'
dashboard sum the same units — every unit, ranked or not (`assessment.totals`)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.workbooks.downloads import ranking_download

pytestmark = pytest.mark.django_db
SIGNED = "新引进亿元合同项目"


@pytest.fixture
def published_q1(unit_a, unit_b, reviewer):
    """甲县 has a target of 2 signings and signs one; 乙县 has no target (so it is not ranked)
    and signs one too: the city has signed 2 of its 2."""
    year = default_year(2026)
    set_targets(year, unit_a, signed_100m=2)
    signed_project(unit_a, name="甲县新能源电池项目")
    signed_project(unit_b, name="乙县食品加工项目")
    return publish(compute_snapshot(2026, 1, reviewer), reviewer)


def totals_row(ws):
    """{header of the indicator: (目标, 完成)} and the label of the sheet's 合计 row."""
    row = next(r for r in range(5, ws.max_row + 1) if "合计" in str(ws.cell(r, 1).value))
    header_row = next(r for r in range(1, 6) if ws.cell(r, 1).value == "序号")
    figures = {}
    for col in range(4, ws.max_column + 1):
        header = ws.cell(header_row, col).value
        if header and header.startswith(SIGNED):
            figures[SIGNED] = (ws.cell(row, col).value, ws.cell(row, col + 1).value)
    return ws.cell(row, 1).value, figures


def test_workbook_total_equals_the_bulletin_and_dashboard_city_totals(
    login, reviewer, leader, published_q1
):
    client = login(reviewer)
    report = client.get(reverse("assessment:report", args=[2026, 1]))
    city = next(row for row in report.context["summary"] if row.name == SIGNED)
    assert (city.target, city.actual) == (2, 2)

    download = ranking_download(client, 2026, 1)
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["指标完成情况（一）"]
    assert ws["C5"].value == "甲县"  # only ranked units are listed (title, note, 2 headers)
    label, figures = totals_row(ws)
    assert figures[SIGNED] == (2, 2)  # the 通报's 全市 figures, 乙县's signing included
    assert label == "全市合计（含未排名单位）"  # and the row says so, as 乙县 is not listed

    dashboard = login(leader).get(reverse("dashboard:index"), {"year": 2026, "quarter": 1})
    row = next(r for r in dashboard.context["d"]["totals"] if r.name == SIGNED)
    assert (row.target, row.actual, row.pct) == (2, 2, 100)
