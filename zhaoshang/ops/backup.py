"""Backup of the database and the evidence files, proven by a manifest (layout: `archive`).

The manifest is computed from the very snapshot that was dumped, so a restore that matches it
has lost nothing. The archive appears only when complete: it is written as ``.part`` and renamed,
and a failed backup removes both the ``.part`` file and its work folder.
"""

import datetime
import json
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

from zhaoshang.ops import database
from zhaoshang.ops.archive import (
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    BackupError,
    file_sha256,
    media_files,
)
from zhaoshang.ops.cleanup import work_dir


def create_backup(output_dir, *, alias="default", media_root=None, now=None):
    """Write a backup archive of database ``alias`` and the media files into ``output_dir``.

    Returns the archive's path.
    """
    vendor = connections[alias].vendor
    if vendor not in database.VENDOR_NAMES:
        raise BackupError(f"不支持备份 {vendor} 数据库。")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.datetime.now().astimezone()
    name = f"zhaoshang-backup-{now:%Y%m%d-%H%M%S}"
    archive = output_dir / f"{name}.tar.gz"
    if archive.exists():
        raise BackupError(f"备份文件已存在：{archive}")

    with work_dir("zs-backup-") as work:
        dump, tables = database.dump(alias, work)
        files = {dump.name: file_sha256(dump)}
        relpaths = media_files(media_root)
        for relpath in relpaths:
            files[f"{MEDIA_DIR}/{relpath}"] = file_sha256(media_root / relpath)
        manifest = {
            "format": FORMAT_VERSION,
            "created": now.isoformat(),
            "vendor": vendor,
            "database_file": dump.name,
            "tables": tables,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))

        partial = archive.with_name(archive.name + ".part")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(work / MANIFEST, arcname=f"{name}/{MANIFEST}")
                tar.add(dump, arcname=f"{name}/{dump.name}")
                for relpath in relpaths:
                    tar.add(media_root / relpath, arcname=f"{name}/{MEDIA_DIR}/{relpath}")
            partial.rename(archive)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return archive
