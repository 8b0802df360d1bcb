"""Helpers for workbook tests: build an import workbook in memory from plain rows."""

import io

import pytest
from openpyxl import Workbook

from assessment.workbooks.contract import SHEETS


def build_workbook(sheets, headers=None):
    """{sheet: [row, …]} → BytesIO of an .xlsx whose first row is SPEC §6's headers."""
    headers = headers or {}
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(headers.get(title, SHEETS.get(title, [])))
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "import.xlsx"
    return buf


def saved(wb):
    """An openpyxl Workbook → BytesIO of its .xlsx, as an upload."""
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "import.xlsx"
    return buf


def sheet_of(wb, title, rows):
    """A sheet `title` of `wb` holding `rows` from row 1 (headers included, as given)."""
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append(row)
    return ws


@pytest.fixture
def city(db):
    """Two counties and a department, as most workbooks refer to them."""
    from tests.factories import IndustryFactory, UnitFactory

    IndustryFactory(name="装备制造")
    return {
        "a": UnitFactory(name="东湖区"),
        "b": UnitFactory(name="西山区"),
        "dept": UnitFactory(name="市发展和改革委员会", unit_type="city_dept"),
    }


@pytest.fixture
def published_q1(city):
    """published_q1() publishes the first quarter of 2026 (a snapshot of the year as it is)."""
    from assessment.models import SnapshotStatus
    from tests.factories.assessment import AssessmentYearFactory, SnapshotFactory

    year = AssessmentYearFactory(year=2026)
    return lambda: SnapshotFactory(year=year, quarter=1, status=SnapshotStatus.PUBLISHED)


def project_row(name="新能源电机项目", unit="东湖区", **overrides):
    row = {
        "项目名称": name,
        "责任单位": unit,
        "投资方": "某某电机科技有限公司",
        "统一社会信用代码": "",
        "产业": "装备制造",
        "类别": "产业类（工业创税型）",
        "新引进/结转": "新引进",
        "总投资(万元)": 52000,
        "合同投资(万元)": 50000,
        "签约日期": "2025-01-15",
        "开工日期": "2025-03-20",
        "竣工日期": None,
    }
    row.update(overrides)
    return [row[h] for h in SHEETS["项目"]]


def import_through_page(client, workbook, verified=False, confirm=True, name="年度数据.xlsx"):
    """Upload `workbook` (BytesIO or bytes) on the import page as a reviewer would: the preview
    job runs (immediate task backend) and, with `confirm`, the confirmed import. Returns the last
    job page response (followed redirects)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    content = workbook if isinstance(workbook, bytes) else workbook.getvalue()
    data = {"file": SimpleUploadedFile(name, content)}
    if verified:
        data["verified"] = "on"
    response = client.post(reverse("workbook:import"), data, follow=True)
    job = response.context.get("job")
    if not confirm or job is None or job.status != "preview":
        return response
    return client.post(reverse("workbook:import_confirm", args=[job.pk]), follow=True)
