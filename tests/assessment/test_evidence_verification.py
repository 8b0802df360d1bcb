"""佐证明细 says how each claim was verified (issue 17 item 3): the claimed amount beside the
recognised one with the reason, the 现场评估 (date, inspectors, result, photos) and the 会办确认
(departments, decision) — in the stored lines, the explanation page and the workbook."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.evidence import collect_lines
from assessment.snapshots import compute_snapshot, result_of
from assessment.workbooks.ranking import snapshot_rows, write_ranking_workbook
from projects.models import ClaimStatus
from tests.assessment.factories import default_year, funds, set_targets, signed_project
from tests.factories import ClaimEventFactory, ProjectFactory
from tests.factories.base import unguarded

S = ClaimStatus
SITE = {
    "visit_date": "2026-02-10",
    "inspectors": "郑评估、李核查",
    "result": "厂房在建，资金到账属实",
    "photos": "厂区.png",
}
MEETING = {"departments": "市发改委、市商务局", "decision": "同意按 400 万元认定"}


@pytest.fixture
def city(db, unit_a):
    ay = default_year(2026)
    set_targets(ay, unit_a, funds=1000, signed_100m=2)
    project = ProjectFactory(unit=unit_a, name="甲县电池项目")
    entry = funds(project, datetime.date(2026, 2, 1), 500)
    with unguarded():
        type(entry).objects.filter(pk=entry.pk).update(
            recognised_amount=Decimal(400), recognition_reason="其中 100 万元为市内资金"
        )
    # An earlier visit superseded by a later one: the latest record is the one shown.
    ClaimEventFactory(funds=entry, from_status=S.REVIEWED, to_status=S.SITE_ASSESSED)
    ClaimEventFactory(funds=entry, from_status=S.REVIEWED, to_status=S.SITE_ASSESSED, details=SITE)
    ClaimEventFactory(
        funds=entry, from_status=S.SITE_ASSESSED, to_status=S.CONFIRMED, details=MEETING
    )
    signed_project(unit_a, name="甲县签约项目")
    return ay, entry


def funds_line(lines):
    return next(line for line in lines if line.claim_kind == "funds")


def test_live_and_stored_lines_carry_claimed_recognised_and_the_steps(city):
    ay, entry = city
    live = funds_line(collect_lines(ay, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)))
    stored = funds_line(compute_snapshot(2026, 1).lines.all())
    for line in (live, stored):
        assert line.amount == Decimal(400)  # what the engine counts
        assert line.claimed == Decimal(500)
        assert line.recognition_reason == "其中 100 万元为市内资金"
        assert line.site_record == SITE
        assert line.meeting_record == MEETING
    milestone = next(
        line for line in compute_snapshot(2026, 1).lines.all() if line.claim_kind == "milestone"
    )
    assert milestone.claimed is None  # a milestone has no amount to recognise


def test_the_workbook_evidence_sheet_lists_the_verification(city):
    snapshot = compute_snapshot(2026, 1)
    buf = io.BytesIO()
    write_ranking_workbook(result_of(snapshot), buf, claim_rows=snapshot_rows(snapshot), groups={})
    buf.seek(0)
    sheet = load_workbook(buf)["佐证明细"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[1]
    assert header[6:13] == [
        "认定金额（万元）/个数",
        "分成比例（%）",
        "计入数",
        "申报金额（万元）",
        "认定情况",
        "现场评估",
        "会办确认",
    ]
    row = next(r for r in rows if r[3] == "甲县电池项目")
    assert row[6] == 400 and row[9] == 500
    assert row[10] == "申报 500.00 万元，认定 400.00 万元（其中 100 万元为市内资金）"
    assert row[11] == (
        "评估日期：2026-02-10；评估人员：郑评估、李核查；评估结果：厂房在建，资金到账属实；"
        "现场照片：厂区.png"
    )
    assert row[12] == "参加会办部门：市发改委、市商务局；会办意见：同意按 400 万元认定"
    signed = next(r for r in rows if r[3] == "甲县签约项目")
    assert signed[9] is None and signed[10] == "按申报认定"


def test_the_explanation_page_shows_the_verification(city, login, reviewer, unit_a):
    compute_snapshot(2026, 1)
    url = reverse("assessment:unit_assessment", args=[2026, 1, unit_a.pk])
    page = login(reviewer).get(url).content.decode()
    assert "核实情况" in page
    assert "申报 500.00 万元，认定 400.00 万元（其中 100 万元为市内资金）" in page
    assert "评估人员：郑评估、李核查" in page and "现场照片：厂区.png" in page
    assert "参加会办部门：市发改委、市商务局" in page


def test_the_claim_page_shows_the_recognition_and_both_records(city, login, reviewer):
    _ay, entry = city
    page = login(reviewer).get(reverse("review:claim_detail", args=["funds", entry.pk]))
    text = page.content.decode()
    assert "认定金额" in text and "400.00 万元" in text and "500.00 万元" in text
    assert "郑评估、李核查" in text and "厂区.png" in text
    assert "市发改委、市商务局" in text and "同意按 400 万元认定" in text
