"""Journey 4: a city leader (市领导) reads the published third quarter.

The dashboard draws its charts; from a unit's rank the leader goes to the explanation of its
score and down to one verified claim behind it; then opens the quarterly 通报 and prints it to PDF.
"""

import io
import re

import pytest
from playwright.sync_api import expect

from assessment import snapshots
from assessment.formatting import quarter_name
from assessment.models import AssessmentYear
from assessment.workbooks.importer import import_workbook
from tests.browser.workbook import EXPECTED_SCORES, QUARTER, YEAR, workbook_bytes
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "年产5万吨锂电正极材料项目"  # 东湖区's signing, 2026-03-10, verified
CHART_IDS = [
    "chart-totals",
    "chart-units",
    "chart-groups",
    "chart-trend",
    "chart-distribution",
    "chart-funnel",
]


def published_third_quarter(reviewer):
    report = import_workbook(io.BytesIO(workbook_bytes()), verified=True)
    assert report.ok, report.errors
    ay = AssessmentYear.objects.get(year=YEAR)
    snapshots.publish(snapshots.compute_snapshot(ay, QUARTER, reviewer), reviewer)


def chart_drawing(page, chart_id):
    """(width, height, number of drawn shapes) of one chart container's SVG or canvas."""
    return page.evaluate(
        """id => {
            const el = document.querySelector(`[data-chart="${id}"]`);
            const surface = el && el.querySelector("svg, canvas");
            if (!surface) return [0, 0, 0];
            const box = surface.getBoundingClientRect();
            const shapes = surface.tagName === "CANVAS"
                ? surface.toDataURL().length / 1000
                : surface.querySelectorAll("path, rect, circle, text").length;
            return [box.width, box.height, shapes];
        }""",
        chart_id,
    )


def dashboard_draws_its_charts(j):
    page = j.page
    j.nav("领导看板", "领导看板")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{YEAR}年{quarter_name(QUARTER)}招商引资领导看板"
    )
    expect(page.get_by_test_id("period-note")).to_contain_text("已发布")
    assert_charts_drawn(page, CHART_IDS)
    units = page.get_by_test_id("unit-ranking-table")
    page.locator("#h-units").locator("xpath=..").get_by_text("查看数据").click()
    first = units.locator("tbody tr").first
    expect(first).to_contain_text("东湖区")
    expect(first.locator("td").first).to_have_text("1")
    expect(first).to_contain_text(EXPECTED_SCORES["东湖区"])
    j.check_widths("dashboard")
    j.shot("dashboard")


def assert_charts_drawn(page, chart_ids):
    """Each chart is visible, has a real size and draws more than an empty frame."""
    for chart_id in chart_ids:
        surface = f'[data-chart="{chart_id}"] svg, [data-chart="{chart_id}"] canvas'
        expect(page.locator(surface).first).to_be_visible()
        width, height, shapes = chart_drawing(page, chart_id)
        assert width > 100 and height > 100, f"{chart_id} has no size: {width}×{height}"
        assert shapes > 5, f"{chart_id} is drawn empty ({shapes} shapes)"


STRUCTURE_CHARTS = ["chart-sizes", "chart-categories", "chart-industries", "chart-origins"]


def structure_page_draws_its_charts(j):
    page = j.page
    j.nav("领导看板", "领导看板")
    page.get_by_role("link", name="结构分析").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("structure-summary")).to_be_visible()
    assert_charts_drawn(page, STRUCTURE_CHARTS)
    j.check_widths("structure")
    j.shot("structure")


def rank_to_explanation_to_claim(j):
    page = j.page
    page.get_by_test_id("unit-ranking-table").get_by_role("link", name="东湖区").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("东湖区")
    expect(page.get_by_test_id("rank")).to_have_text("1")
    expect(page.get_by_test_id("score")).to_have_text(EXPECTED_SCORES["东湖区"])
    signed = page.locator("#ind-signed_100m")
    expect(signed.locator("tbody tr")).to_have_count(2)
    j.check_widths("explanation")
    j.shot("explanation")

    signed.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("已审定")
    expect(page.get_by_test_id("lock-notice")).to_contain_text("已发布通报，数据已锁定")
    expect(page.get_by_text("您当前没有可办理的操作")).to_be_visible()
    j.shot("claim")


def report_prints_to_pdf(j):
    page = j.page
    j.nav("考核", "通报")
    title = f"{YEAR}年{quarter_name(QUARTER)}全市招商引资工作考核情况通报"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("article.report")).to_contain_text("东湖区")
    j.check_widths("report")
    j.shot("report")
    path = j.artifact("通报.pdf")
    page.pdf(path=str(path), format="A4", print_background=True)
    print(f"pdf: {path}")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 10_000, f"the printed 通报 is only {len(data)} bytes"
    assert re.search(rb"/Type\s*/Page[^s]", data), "the printed 通报 has no page"
    # The navigation bar is d-print-none: the printout holds the report, not the app's chrome.
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("article.report h1")).to_be_visible()
    page.emulate_media(media="screen")


def test_leader_reads_dashboard_explanation_claim_and_prints_report(journey, reviewer, leader):
    published_third_quarter(reviewer)
    j = journey("leader")
    j.login(leader.username, PASSWORD)
    dashboard_draws_its_charts(j)
    rank_to_explanation_to_claim(j)
    structure_page_draws_its_charts(j)
    report_prints_to_pdf(j)
    j.assert_no_page_problems()
