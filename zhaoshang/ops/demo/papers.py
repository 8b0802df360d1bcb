"""The demo's evidence files (issue 22 item 5): a small one-page PDF per claim that opens in any
reader and says what it is (合同, 到账凭证, 施工许可…, in Chinese), and a site photo (JPEG) for
开工 claims — so a leader drilling from the ranking to a claim opens a real file.

Plain Python, no imaging or PDF library: the PDF uses the reader's built-in Chinese font
(STSong-Light, Adobe-GB1, which every PDF reader carries) and the JPEG is a baseline greyscale
picture of flat 8×8 blocks (DC coefficients only), a few hundred bytes.
"""

import random

# --- PDF ---------------------------------------------------------------------------------------


def _text(value):
    return "<" + value.encode("utf-16-be").hex().upper() + ">"


def pdf(title, lines):
    """A one-page A4 PDF: `title` large, then `lines`, in Chinese."""
    ops = ["BT", "/F1 20 Tf", "1 0 0 1 72 760 Tm", f"{_text(title)} Tj", "/F1 12 Tf"]
    y = 720
    for line in lines:
        ops += [f"1 0 0 1 72 {y} Tm", f"{_text(line)} Tj"]
        y -= 24
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- JPEG --------------------------------------------------------------------------------------

# The standard luminance DC table (ITU T.81 K.3); AC holds only end-of-block, code "0".
DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_VALUES = list(range(12))


def _codes(bits, values):
    codes, code, k = {}, 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[values[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


DC_CODES = _codes(DC_BITS, DC_VALUES)


def _segment(marker, payload):
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _site_picture(seed, width, height):
    """Block greys of a building site: sky, a half-built hall, a crane, bare ground."""
    rng = random.Random(seed)
    hall_left, hall_top = rng.randint(3, 10), rng.randint(8, 12)
    crane = rng.randint(18, width - 4)
    rows = []
    for by in range(height):
        row = []
        for bx in range(width):
            grey = 200 - by * 3  # sky
            if by >= hall_top + 5:
                grey = 110 + (bx * 7 + by * 3) % 20  # ground
            elif by >= hall_top and hall_left <= bx < hall_left + 12:
                grey = 150 if (bx - hall_left) % 3 else 90  # hall and its columns
            elif bx == crane and by > 2 or (by == 3 and crane - 8 <= bx <= crane + 2):
                grey = 60  # crane mast and jib
            row.append(max(0, min(255, grey + rng.randint(-4, 4))))
        rows.append(row)
    return rows


def jpeg(seed, note, width=32, height=20):
    """A width×height-block (8 px each) greyscale JPEG site photo; `note` goes in a comment."""
    picture = _site_picture(seed, width, height)
    bits, previous = [], 0
    for row in picture:
        for grey in row:
            dc = 8 * (grey - 128)
            diff, previous = dc - previous, dc
            size = abs(diff).bit_length()
            code, length = DC_CODES[size]
            bits.append(format(code, f"0{length}b"))
            if size:
                bits.append(format(diff if diff > 0 else diff + (1 << size) - 1, f"0{size}b"))
            bits.append("0")  # end of block
    data = "".join(bits)
    data += "1" * (-len(data) % 8)
    scan = bytearray()
    for i in range(0, len(data), 8):
        byte = int(data[i : i + 8], 2)
        scan.append(byte)
        if byte == 0xFF:
            scan.append(0)  # byte stuffing
    w, h = width * 8, height * 8
    return b"".join(
        [
            b"\xff\xd8",
            _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            _segment(0xFE, note.encode()),
            _segment(0xDB, b"\x00" + b"\x01" * 64),
            _segment(
                0xC0, b"\x08" + h.to_bytes(2, "big") + w.to_bytes(2, "big") + b"\x01\x01\x11\x00"
            ),
            _segment(0xC4, b"\x00" + bytes(DC_BITS) + bytes(DC_VALUES)),
            _segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00"),
            _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            bytes(scan),
            b"\xff\xd9",
        ]
    )
