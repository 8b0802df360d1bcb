"""Bad uploads: each one must be refused with a Chinese message."""

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def good_pdf(name="合同扫描件.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


BAD_EVIDENCE = {
    "empty": lambda: SimpleUploadedFile("空文件.pdf", b"", content_type="application/pdf"),
    "exe": lambda: SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 64),
    "html-as-pdf": lambda: SimpleUploadedFile("合同.pdf", b"<html><script>alert(1)</script>"),
    "svg": lambda: SimpleUploadedFile("图.svg", b"<svg onload='alert(1)'></svg>"),
    "svg-as-png": lambda: SimpleUploadedFile("图.png", b"<svg onload='alert(1)'></svg>"),
    "fake-docx": lambda: SimpleUploadedFile("报告.docx", b"PK\x03\x04not really a zip"),
    "no-extension": lambda: SimpleUploadedFile("合同", PDF),
    "double-extension": lambda: SimpleUploadedFile("合同.pdf.exe", PDF),
}
