"""The demo's evidence files are well-formed (issue 22 item 5): a PDF reader finds every object
where the cross-reference table says it is, and the JPEG has its frame, tables and scan.

(The JPEG was also checked to decode in Chromium at 256×160; the PDF uses STSong-Light, the
Chinese font every PDF reader has built in.)"""

import re

from zhaoshang.ops.demo.papers import jpeg, pdf


def test_the_pdf_cross_reference_points_at_each_object():
    data = pdf("合同（签约）", ["项目名称：年产5万吨粮油精深加工项目", "金额：12,000.00 万元"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n", data).group(1))
    assert data[startxref:].startswith(b"xref\n0 8\n")
    offsets = re.findall(rb"(\d{10}) 00000 n ", data[startxref:])
    assert len(offsets) == 7
    for number, offset in enumerate(offsets, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    stream = data[data.index(b"stream\n") + 7 :]
    assert stream[length:].startswith(b"\nendstream")
    assert "合同".encode("utf-16-be").hex().upper().encode() in data  # the title, as text


def test_the_site_photo_is_a_baseline_jpeg_and_each_claim_has_its_own():
    one, two = jpeg("milestone-1", "a"), jpeg("milestone-2", "b")
    assert one != two
    assert one.startswith(b"\xff\xd8\xff\xe0") and one.endswith(b"\xff\xd9")
    for marker in (b"\xff\xdb", b"\xff\xc0", b"\xff\xc4", b"\xff\xda"):
        assert marker in one
    frame = one[one.index(b"\xff\xc0") :]
    assert (int.from_bytes(frame[5:7], "big"), int.from_bytes(frame[7:9], "big")) == (160, 256)
