"""Restore: check the whole archive, then replace the database and the evidence files.

Nothing is written until everything has been checked: the manifest's shape, every file's SHA-256,
and the database dump itself (SQLite: integrity check and every table's row count and checksum
against the manifest; PostgreSQL: the dump's table of contents). Then the database is replaced in
one step (SQLite's backup API, one psql transaction), checked again, and only then are the
evidence files written, each to a temporary name renamed into place.

Restore never deletes evidence: files in MEDIA_ROOT that the archive does not know are left in
place and reported.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from zhaoshang.ops import database
from zhaoshang.ops.archive import (
    MEDIA_DIR,
    BackupError,
    check_archive_files,
    compare_tables,
    file_sha256,
    media_files,
    unpack,
)
from zhaoshang.ops.cleanup import work_dir


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    extra_files: list[str] = field(default_factory=list)


def read_manifest(archive):
    """The manifest of ``archive`` (after checking every file in it against its checksum)."""
    with work_dir("zs-restore-") as work:
        root, manifest = unpack(archive, work)
        check_archive_files(root, manifest)
        return manifest


def verify_archive(archive, work, *, alias="default"):
    """Check all of ``archive`` (unpacked into ``work``) against database ``alias``'s kind, and
    the dump against its manifest; returns (folder, manifest). Touches nothing outside ``work``.
    """
    root, manifest = unpack(archive, work)
    check_archive_files(root, manifest)
    database.check_dump(alias, root / manifest["database_file"], manifest)
    return root, manifest


def _media_wanted(manifest):
    prefix = f"{MEDIA_DIR}/"
    return {
        relpath[len(prefix) :]: sha
        for relpath, sha in manifest["files"].items()
        if relpath.startswith(prefix)
    }


def _restore_media(root, wanted, media_root):
    for relpath, sha in wanted.items():
        target = media_root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        try:
            shutil.copyfile(root / MEDIA_DIR / relpath, partial)
            if file_sha256(partial) != sha:
                raise BackupError(f"佐证材料恢复后校验失败：{relpath}")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return len(wanted), [path for path in media_files(media_root) if path not in wanted]


def restore_backup(archive, *, alias="default", media_root=None):
    """Restore database ``alias`` and the media files from ``archive`` and verify the result.

    The whole archive is checked before anything is changed (see the module docstring).
    Afterwards every table's row count and checksum and every evidence file's SHA-256 must
    equal the manifest, else BackupError.
    """
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with work_dir("zs-restore-") as work:
        root, manifest = verify_archive(archive, work, alias=alias)
        restored = database.load(alias, root / manifest["database_file"], work)
        differences = compare_tables(manifest["tables"], restored)
        if differences:
            raise BackupError("数据库恢复后与备份清单不一致：" + "；".join(differences[:20]))
        files, extra = _restore_media(root, _media_wanted(manifest), media_root)
    # Results cached from the data before the restore must not be shown for the restored data.
    cache.clear()
    return RestoreResult(
        tables=len(restored),
        rows=sum(entry["rows"] for entry in restored.values()),
        files=files,
        extra_files=extra,
    )
