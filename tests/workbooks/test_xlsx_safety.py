"""zhaoshang.web.xlsx: formula-looking text is written as text; unsafe uploads are refused."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from zhaoshang.web.xlsx import WorkbookRejected, check_upload, write_rows_streaming


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+86 123", "-2+3", "@cmd", "\t=1+1", "\r=1"])
def test_formula_triggers_are_written_as_text(text):
    buf = io.BytesIO()
    write_rows_streaming("测试", ["名称"], [[text]], buf)
    buf.seek(0)
    cell = load_workbook(buf).active["A3"]  # row 1: the title, row 2: the header
    # A carriage return is stored as OOXML's `_x000D_` escape, which Excel and WPS decode;
    # openpyxl leaves it escaped, so decode it the way they do.
    assert unescape(cell.value) == text
    assert cell.data_type == "s"
    assert cell.quotePrefix  # editing the cell in Excel keeps it text


def test_ordinary_values_keep_their_types():
    from decimal import Decimal

    buf = io.BytesIO()
    write_rows_streaming("测试", ["金额", "个数"], [[Decimal("-12.50"), 3]], buf)
    buf.seek(0)
    ws = load_workbook(buf).active
    assert ws["A3"].value == -12.5 and ws["A3"].number_format == "#,##0.00"
    assert ws["B3"].value == 3


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buf.seek(0)
    return buf


@pytest.mark.parametrize(
    "fileobj, message",
    [
        (io.BytesIO(b""), "空的"),
        (io.BytesIO(b"PK\x03\x04garbage"), "已损坏"),
        (zip_bytes({"word/document.xml": "<w/>"}), "没有 Excel 工作簿"),
        (zip_bytes({"xl/workbook.xml": "not xml"}), "无法作为 Excel 工作簿打开"),
    ],
)
def test_bad_uploads_are_refused(fileobj, message):
    with pytest.raises(WorkbookRejected, match=message):
        check_upload(fileobj)


def test_total_uncompressed_size_limit(settings):
    settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES = 1000
    bomb = zip_bytes({"xl/workbook.xml": "x" * 600, "xl/sheet.xml": "y" * 600}, zipfile.ZIP_STORED)
    with pytest.raises(WorkbookRejected, match="压缩炸弹"):
        check_upload(bomb)


def test_a_real_workbook_passes_and_is_rewound():
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    buf.seek(5)
    check_upload(buf)
    assert buf.tell() == 0
