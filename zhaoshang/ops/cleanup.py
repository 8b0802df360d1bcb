"""The app's own temporary locations, and the sweep that removes what a killed process left.

Backup and restore work in ``zs-backup-*`` / ``zs-restore-*`` folders, uploads in progress
live in ``uploads/`` and the files background jobs work on in ``jobs/`` (an import waiting for
confirmation keeps its workbook there), all under ``settings.TEMP_DIR`` (ours alone). A normal
failure removes its own files; a ``kill -9`` cannot, so ``manage.py cleanup`` (and every
``backup``) sweeps entries older than a threshold — and only there, plus ``zs-backup-*`` /
``zs-restore-*`` folders of this user in the system temporary directory, where versions before
TEMP_DIR put them.
"""

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings

WORK_PREFIXES = ("zs-backup-", "zs-restore-")
UPLOADS = "uploads"
JOBS = "jobs"
# No backup, restore or upload runs this long; anything older was left by a killed process.
STALE_AFTER_HOURS = 24


def temp_root():
    """``settings.TEMP_DIR`` and its uploads folder, created (owner only) when missing."""
    root = Path(settings.TEMP_DIR)
    (root / UPLOADS).mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


@contextlib.contextmanager
def work_dir(prefix):
    """A fresh work folder under TEMP_DIR, removed when the block ends (also on failure)."""
    with tempfile.TemporaryDirectory(prefix=prefix, dir=temp_root()) as tmp:
        yield Path(tmp)


def _newest_mtime(path):
    """The latest modification time of ``path`` and, for a folder, of anything inside it."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for child in path.rglob("*"):
            with contextlib.suppress(OSError):
                newest = max(newest, child.lstat().st_mtime)
    return newest


def _ours(path):
    return not hasattr(os, "getuid") or path.lstat().st_uid == os.getuid()


def stale_entries(hours=STALE_AFTER_HOURS, now=None):
    """The leftovers older than ``hours``: work folders and upload files."""
    cutoff = (now or time.time()) - hours * 3600
    root = temp_root()
    candidates = [path for path in (root / UPLOADS).iterdir() if path.is_file()]
    if (root / JOBS).is_dir():
        candidates += [path for path in (root / JOBS).iterdir() if path.is_file()]
    for folder in {root, Path(tempfile.gettempdir())}:
        candidates += [
            path
            for path in folder.iterdir()
            if path.name.startswith(WORK_PREFIXES) and path.is_dir() and not path.is_symlink()
        ]
    stale = []
    for path in candidates:
        with contextlib.suppress(OSError):  # gone meanwhile, or not ours to read
            if _ours(path) and _newest_mtime(path) < cutoff:
                stale.append(path)
    return sorted(stale)


def sweep_stale(hours=STALE_AFTER_HOURS, now=None):
    """Remove the leftovers older than ``hours``; returns the paths removed."""
    removed = []
    for path in stale_entries(hours, now):
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
