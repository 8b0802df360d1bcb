"""The streaming ranking workbook (xlsxwriter, constant memory; issue 21) is the workbook the
openpyxl writer made before: same sheets, cell values, merged ranges, number formats, fills,
bold headers, frozen panes and print settings, read back with openpyxl."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.workbooks.ranking import ClaimRow, write_ranking_workbook
from tests.workbooks import ranking_reference
from tests.workbooks.test_ranking_workbook import result  # noqa: F401 (fixture)

D = Decimal
ROWS = [
    ClaimRow("东湖区", "funds", "新能源电机项目", "到位资金（企业和个人投资）",
             datetime.date(2026, 2, 10), D("8000"), D("60")),
    ClaimRow("=1+1 西山区", "funds", "@SUM(A1) 项目", "到位资金（企业和个人投资）",
             datetime.date(2026, 2, 10), D("8000.55"), D("40")),
    ClaimRow("南河县", "signed_100m", None, "签约", datetime.date(2026, 3, 1), D("1"), D("100")),
]  # fmt: skip


def _load(write, assessment):
    buf = io.BytesIO()
    write(assessment, buf, claim_rows=ROWS)
    buf.seek(0)
    return load_workbook(buf)


def _fill(cell):
    fill = cell.fill
    return (fill.fill_type, fill.fgColor.rgb[-6:]) if fill.fill_type else None


def _cells(ws):
    return [
        [
            (
                c.value,
                c.number_format,
                c.data_type if c.value is not None else None,  # of an empty cell: moot
                bool(c.quotePrefix),
                bool(c.font.bold),
                _fill(c),
                c.border.left.style,
                c.alignment.horizontal,
            )
            for c in row
        ]
        for row in ws.iter_rows()
    ]


def _sheet_settings(ws):
    return (
        ws.freeze_panes,
        ws.print_title_rows,
        ws.page_setup.orientation,
        str(ws.page_setup.paperSize),
        sorted(str(r) for r in ws.merged_cells.ranges),
        str(ws.print_area),
        ws.max_row,
        ws.max_column,
    )


def test_streamed_workbook_equals_the_openpyxl_one(result):  # noqa: F811
    old = _load(ranking_reference.write_ranking_workbook, result)
    new = _load(write_ranking_workbook, result)
    assert new.sheetnames == old.sheetnames == ["单位排名", "协作组排名", "佐证明细"]
    for name in old.sheetnames:
        assert _cells(new[name]) == _cells(old[name]), name
        assert _sheet_settings(new[name]) == _sheet_settings(old[name]), name
    units = new["单位排名"]
    assert units.row_dimensions[1].height == 30 and units.row_dimensions[3].height == 36


def test_progress_counts_every_row(result):  # noqa: F811
    calls = []
    write_ranking_workbook(
        result, io.BytesIO(), claim_rows=ROWS, progress=lambda *a: calls.append(a)
    )
    ranked = 3 + 1  # three ranked units, one group
    assert calls[0] == (0, ranked + len(ROWS)) and calls[-1] == (ranked + len(ROWS),) * 2


@pytest.mark.parametrize("count", [1, 3000])
def test_evidence_rows_stream(result, count):  # noqa: F811
    rows = ROWS[:1] * count
    buf = io.BytesIO()
    write_ranking_workbook(result, buf, claim_rows=rows)
    buf.seek(0)
    ws = load_workbook(buf, read_only=True)["佐证明细"]
    assert sum(1 for _ in ws.iter_rows(min_row=3)) == count
