"""The ranking workbook printed the way an office prints it: LibreOffice headless turns it into a
PDF, and each sheet takes the pages its rows need at a legible size — one page wide, not 22
columns shrunk to ~6 pt (issue 22). Skipped where LibreOffice (soffice) is not installed
(Debian: libreoffice-calc-nogui; pdfinfo from poppler-utils is optional)."""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from assessment.results import AssessmentResult, EntityResult, IndicatorSpec
from assessment.workbooks.ranking import ClaimRow, write_ranking_workbook
from tests.workbooks.test_ranking_workbook import entity

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
D = Decimal


def city(units=40, indicators=6):
    """A city of `units` ranked units and `indicators` indicators (7 × 3 + 4 columns before)."""
    specs = [
        IndicatorSpec(f"i{n}", f"第{n + 1}项考核指标", "万元", D(10)) for n in range(indicators)
    ]
    members = []
    for n in range(units):
        name = f"第{n + 1}号经济开发区管理委员会"
        echelon = 1 + n * 3 // units
        figures = (D(4), D(2)), (D(100), D(50))
        e = entity("unit", n + 1, name, n + 1, echelon, "80.00", "80.00", "过半", *figures, "一组")
        e.indicators = {s.code: e.indicators["funds"] for s in specs}
        e.adjustment = D(1)
        members.append(e)
    members.append(EntityResult(kind="unit", id=999, name="未考核单位"))
    group = entity(
        "group", 9, "第一招商协作组", 1, 1, "90", "90", "过半", (D(1), D(1)), (D(1), D(1))
    )
    group.indicators = {s.code: group.indicators["funds"] for s in specs}
    return AssessmentResult(
        year=2026, quarter=4, period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31), expected_progress=D("100.00"),
        indicators=specs, units=members, groups=[group],
    )  # fmt: skip


def pdf_pages(path):
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(re.search(r"Pages:\s+(\d+)", out.stdout).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def to_pdf(xlsx, outdir):
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{outdir}/profile",
         "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return outdir / (xlsx.stem + ".pdf")


def test_ranking_workbook_prints_on_a_few_legible_pages(tmp_path):
    xlsx = tmp_path / "ranking.xlsx"
    lines = [
        ClaimRow(f"第{n % 40 + 1}号经济开发区管理委员会", "i0", f"新能源汽车零部件产业园项目{n}",
                 "到位资金（企业和个人投资）", datetime.date(2026, 5, 1), D("1234.5"), D(100))
        for n in range(60)
    ]  # fmt: skip
    write_ranking_workbook(city(), xlsx, claim_rows=lines, groups={9: ("王建国", "东湖区")})
    pages = pdf_pages(to_pdf(xlsx, tmp_path))
    # 单位排名 (40 units in 3 方阵 sections), 指标完成情况（一）（二）, 协作组排名, 佐证明细
    # (60 lines): each one page wide and at most two pages tall at a legible size. Shrunk to
    # fit everything on a page or two, the count would be lower; spread over several pages
    # wide (not fitted), much higher.
    assert 5 <= pages <= 10, pages
