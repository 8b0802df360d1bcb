"""The streaming ranking workbook (xlsxwriter, constant memory; issue 21): progress is reported
per row and the evidence rows stream. (Its comparison with the openpyxl workbook of before
issue 21 was retired with issue 22, which changed the layout on purpose; the layout is pinned by
test_ranking_workbook.)"""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.workbooks.ranking import ClaimRow, write_ranking_workbook
from tests.workbooks.test_ranking_workbook import result  # noqa: F401 (fixture)

D = Decimal
ROWS = [
    ClaimRow("东湖区", "funds", "新能源电机项目", "到位资金（企业和个人投资）",
             datetime.date(2026, 2, 10), D("8000"), D("60")),
    ClaimRow("=1+1 西山区", "funds", "@SUM(A1) 项目", "到位资金（企业和个人投资）",
             datetime.date(2026, 2, 10), D("8000.55"), D("40")),
    ClaimRow("南河县", "signed_100m", None, "签约", datetime.date(2026, 3, 1), D("1"), D("100")),
]  # fmt: skip


def test_progress_counts_every_row(result):  # noqa: F811
    calls = []
    write_ranking_workbook(
        result, io.BytesIO(), claim_rows=ROWS, progress=lambda *a: calls.append(a), groups={}
    )
    ranked = 3 + 1  # three ranked units, one group
    assert calls[0] == (0, ranked + len(ROWS)) and calls[-1] == (ranked + len(ROWS),) * 2


@pytest.mark.parametrize("count", [1, 3000])
def test_evidence_rows_stream(result, count):  # noqa: F811
    rows = ROWS[:1] * count
    buf = io.BytesIO()
    write_ranking_workbook(result, buf, claim_rows=rows, groups={})
    buf.seek(0)
    ws = load_workbook(buf, read_only=True)["佐证明细"]
    assert sum(1 for _ in ws.iter_rows(min_row=3)) == count
