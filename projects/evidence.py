"""Evidence files (佐证材料): upload validation by content, storage, and permission-checked serving.

A row and its file are one unit of work (`store_evidence`): the file waits under INCOMING until
the row commits. Deleting a row keeps its history (simple-history on Evidence) and removes the
file after the deletion commits (the model's post_delete, `Evidence.remove_unreferenced_file`).

A file is accepted only when its first bytes say it is a PDF, an image (JPEG/PNG) or an Office
document and its extension agrees; SVG and HTML (which a browser would run) are always refused.
Files are served only to users who may see the project, and always as attachments.
"""

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from projects.models import (
    Evidence,
    EvidenceKind,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    evidence_path,
)

logger = logging.getLogger(__name__)

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


def sha256_of(uploaded):
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


STORAGE_FAILED = (
    "佐证材料“{name}”保存失败（服务器存储空间不足或不可写），本次填报未保存，"
    "请稍后重试或联系管理员。"
)
# Uploads wait here until their row is committed; the same storage (file system) as their final
# place, so moving them there is a rename.
INCOMING = "evidence/incoming"
# An incoming file older than this with no row belongs to a rolled-back transaction.
ABANDONED_AFTER = 24 * 3600


class EvidenceStorageError(Exception):
    """The file could not be written (disk full, permissions); `message` is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _storage():
    return Evidence._meta.get_field("file").storage


def _remove(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(path))  # the upload's own folder, when empty


def _write_incoming(uploaded, filename):
    """Copy the upload into a fresh folder under INCOMING; return its storage name. A failed
    write leaves nothing behind."""
    storage = _storage()
    directory = tempfile.mkdtemp(prefix="", dir=_ensure_dir(storage.path(INCOMING)))
    path = os.path.join(directory, filename)
    try:
        with open(path, "xb") as out:
            uploaded.seek(0)
            for chunk in uploaded.chunks():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _remove(path)
        raise
    return os.path.relpath(path, storage.path("")).replace(os.sep, "/")


def _ensure_dir(path):
    os.makedirs(path, exist_ok=True)
    return path


def _place(pk, incoming, final):
    """After commit: move an upload from INCOMING to its final name and point its row there. The
    file is linked first and the row updated before the incoming name goes, so the row always
    names a file that exists."""
    storage = _storage()
    source, target = storage.path(incoming), storage.path(final)
    try:
        _ensure_dir(os.path.dirname(target))
        if not os.path.exists(target):  # same name = same sha256 = same content
            try:
                os.link(source, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(source, target)
        Evidence.objects.filter(pk=pk, file=incoming).update(file=final)
    except (OSError, DatabaseError):
        logger.exception("evidence %s stays at %s", pk, incoming)
        return
    _remove(source)


def _sweep_incoming(now=None):
    """Remove incoming uploads of transactions that rolled back: old, and no row names them."""
    root = _storage().path(INCOMING)
    now = now or time.time()
    try:
        folders = list(os.scandir(root))
    except FileNotFoundError:
        return
    for folder in folders:
        try:
            if now - folder.stat().st_mtime < ABANDONED_AFTER or not folder.is_dir():
                continue
            for entry in os.scandir(folder.path):
                name = f"{INCOMING}/{folder.name}/{entry.name}"
                if not Evidence.objects.filter(file=name).exists():
                    _remove(entry.path)
        except OSError:
            continue


def store_evidence(claim, uploaded, user, content_type=None, kind=None):
    """Attach a validated upload to a claim, the row and the file as one unit of work.

    The file is written to INCOMING first and its row names it there; once the transaction
    commits, `_place` moves it to its final name (by sha256). A write that fails (disk full)
    raises EvidenceStorageError and leaves no file; a row that cannot be written removes the
    file; a transaction that rolls back later leaves an incoming file no row names, removed by
    the next upload's sweep. `kind` is the evidence's 类型 (`EvidenceKind`), 其他 by default.
    """
    content_type = content_type or validate_upload(uploaded)
    original = PurePath(uploaded.name).name[:200]
    evidence = Evidence(
        original_name=original,
        content_type=content_type,
        size=uploaded.size,
        sha256=sha256_of(uploaded),
        uploaded_by=user,
        kind=kind or EvidenceKind.OTHER,
        **{CLAIM_FIELD[type(claim)]: claim},
    )
    filename = stored_name(original)
    final = evidence_path(evidence, filename)
    _sweep_incoming()
    try:
        incoming = _write_incoming(uploaded, filename)
    except OSError as exc:
        logger.exception("evidence upload %s could not be written", original)
        raise EvidenceStorageError(STORAGE_FAILED.format(name=original)) from exc
    evidence.file.name = incoming
    try:
        with transaction.atomic():
            evidence.save()
    except BaseException:
        _remove(_storage().path(incoming))
        raise
    transaction.on_commit(lambda: _place(evidence.pk, incoming, final))
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
    return attachment(evidence)


def attachment(row):
    """A stored upload (`file`, `original_name`, `content_type`) as a download the browser
    neither sniffs nor runs; 404 when the file is gone."""
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=row.original_name,
        content_type=row.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
