"""Evidence files (佐证材料): upload validation by content, storage, and permission-checked serving.

A file is accepted only when its first bytes say it is a PDF, an image (JPEG/PNG) or an Office
document and its extension agrees; SVG and HTML (which a browser would run) are always refused.
Files are served only to users who may see the project, and always as attachments.
"""

import hashlib
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from projects.models import Evidence, FundsEntry, Milestone, MonthlyInvestment

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"

# extension → (content type, magic prefixes, for OOXML the folder a genuine file contains)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",), None),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",), None),
    "doc": ("application/msword", (OLE,), None),
    "xls": ("application/vnd.ms-excel", (OLE,), None),
    "ppt": ("application/vnd.ms-powerpoint", (OLE,), None),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        "word/",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,), "xl/"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
        "ppt/",
    ),
}
ALLOWED_LABEL = "PDF、JPG、PNG、Word、Excel、PowerPoint"
ACTIVE_MARKERS = (b"<svg", b"<html", b"<!doctype html", b"<script", b"<?xml")

CLAIM_FIELD = {Milestone: "milestone", MonthlyInvestment: "investment", FundsEntry: "funds"}


def _ooxml_has(uploaded, folder):
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def validate_upload(uploaded):
    """Return the content type of an acceptable evidence file; raise ValidationError otherwise."""
    name = uploaded.name or ""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if uploaded.size == 0:
        raise ValidationError("文件“%(name)s”是空文件。", params={"name": name})
    if uploaded.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES / (1024 * 1024)
        raise ValidationError(
            "文件“%(name)s”超过大小上限 %(limit).0f MB。", params={"name": name, "limit": limit}
        )
    if ext not in ALLOWED:
        raise ValidationError(
            "不支持“%(name)s”这种文件类型，只接受 %(allowed)s。",
            params={"name": name, "allowed": ALLOWED_LABEL},
        )
    content_type, magics, folder = ALLOWED[ext]
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    lowered = head.lower().lstrip()
    genuine = any(head.startswith(m) for m in magics) and not any(
        lowered.startswith(m) for m in ACTIVE_MARKERS
    )
    if genuine and folder:
        genuine = _ooxml_has(uploaded, folder)
    if not genuine:
        raise ValidationError(
            "文件“%(name)s”的内容与扩展名不符或已损坏，只接受真实的 %(allowed)s 文件。",
            params={"name": name, "allowed": ALLOWED_LABEL},
        )
    return content_type


def _sha256(uploaded):
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


# File systems limit a name to 255 bytes; a Chinese name of 100 characters is 300 bytes.
STORED_NAME_BYTES = 120


def stored_name(original):
    """The on-disk name: the original shortened to fit every file system, extension kept.

    Downloads use `original_name`, so users still get the name they uploaded.
    """
    path = PurePath(original)
    stem, suffix = path.stem, path.suffix[:10]
    while stem and len((stem + suffix).encode()) > STORED_NAME_BYTES:
        stem = stem[:-1]
    return (stem or "file") + suffix


@transaction.atomic
def store_evidence(claim, uploaded, user, content_type=None):
    """Attach a validated upload to a claim; the file is stored under MEDIA_ROOT by its sha256."""
    content_type = content_type or validate_upload(uploaded)
    original = PurePath(uploaded.name).name[:200]
    evidence = Evidence(
        original_name=original,
        content_type=content_type,
        size=uploaded.size,
        sha256=_sha256(uploaded),
        uploaded_by=user,
        **{CLAIM_FIELD[type(claim)]: claim},
    )
    evidence.file.save(stored_name(original), uploaded, save=False)
    evidence.save()
    return evidence


def download(request, pk):
    """Serve an evidence file to a user who may see its claim, as an attachment; else 404.

    Seeing the project is not enough: a draft claim, and so its evidence, stays with its own unit
    until submitted (SPEC §1 "never sees another unit's drafts").
    """
    evidence = get_object_or_404(
        Evidence.objects.select_related("milestone", "investment", "funds"), pk=pk
    )
    claim = evidence.claim
    if not type(claim).objects.visible_to(request.user).filter(pk=claim.pk).exists():
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
