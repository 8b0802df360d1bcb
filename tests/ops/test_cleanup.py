"""What a killed backup, restore or upload leaves in the app's temporary folder is swept; nothing
fresh and nothing outside the app's own locations is touched. A failed backup leaves nothing."""

import os
import tarfile
import tempfile
import time

import pytest
from django.core.management import call_command

from zhaoshang.ops import backup, database
from zhaoshang.ops.archive import BackupError
from zhaoshang.ops.cleanup import sweep_stale

DAY = 24 * 3600


def age(path, seconds):
    """Set ``path`` (a file created if missing) and everything in it to ``seconds`` old."""
    if not path.exists():
        path.write_bytes(b"x" * 1000)
    when = time.time() - seconds
    for item in [*path.rglob("*"), path] if path.is_dir() else [path]:
        os.utime(item, (when, when))
    return path


def killed_backup(parent, name, seconds):
    """A work folder as a `kill -9` during a backup leaves it: a half-written dump inside."""
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "database.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    return age(folder, seconds)


@pytest.fixture
def temp_dirs(settings, tmp_path, monkeypatch):
    settings.TEMP_DIR = tmp_path / "app-tmp"
    system = tmp_path / "system-tmp"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    (settings.TEMP_DIR / "uploads").mkdir(parents=True)
    return settings.TEMP_DIR, system


def test_the_sweep_removes_stale_leftovers_and_nothing_else(temp_dirs):
    app, system = temp_dirs
    (app / "jobs").mkdir()
    stale = [
        killed_backup(app, "zs-backup-abc123", 2 * DAY),
        killed_backup(app, "zs-restore-def456", 2 * DAY),
        # Versions before TEMP_DIR worked in the system temporary directory.
        killed_backup(system, "zs-backup-old999", 3 * DAY),
        age(app / "uploads" / "tmpk3j2.upload.pdf", 2 * DAY),
        # The workbook of an import preview nobody confirmed, or of a killed worker's job.
        age(app / "jobs" / "job-7-0a1b2c3d.xlsx", 2 * DAY),
    ]
    kept = [
        killed_backup(app, "zs-backup-running", 60),  # a backup running right now
        age(app / "jobs" / "job-8-4e5f6a7b.xlsx", 60),  # an import being previewed now
        killed_backup(system, "someone-elses-dir", 3 * DAY),
        age(system / "tmpabcd.upload.pdf", 3 * DAY),  # not in the app's own folder
        age(app / "notes.txt", 3 * DAY),  # in our folder, but not one of our kinds
    ]
    removed = sweep_stale()
    assert sorted(removed) == sorted(stale)
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)


def test_the_cleanup_command_reports_what_it_removed(temp_dirs, capsys, db, settings, tmp_path):
    # The command also removes expired job files (zhaoshang.jobs.outputs): none here.
    settings.MEDIA_ROOT = tmp_path / "media"
    app, _ = temp_dirs
    folder = killed_backup(app, "zs-backup-killed", 2 * DAY)
    call_command("cleanup")
    out = capsys.readouterr().out
    assert str(folder) in out
    assert "共删除 1 项" in out
    assert not folder.exists()
    call_command("cleanup", "--hours", "1")
    assert "共删除 0 项" in capsys.readouterr().out


def test_a_failed_backup_leaves_no_partial_archive_and_no_work_folder(
    temp_dirs, tmp_path, monkeypatch, settings
):
    app, _ = temp_dirs
    settings.MEDIA_ROOT = tmp_path / "media"

    def fake_dump(alias, work):
        target = work / "database.sqlite3"
        target.write_bytes(b"dump")
        return target, {}

    def failing_open(path, mode):
        path.write_bytes(b"half an archive")
        raise OSError("磁盘已满")

    monkeypatch.setattr(database, "dump", fake_dump)
    monkeypatch.setattr(tarfile, "open", failing_open)
    with pytest.raises(OSError):
        backup.create_backup(tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
    assert [path.name for path in app.iterdir()] == ["uploads"]


@pytest.mark.django_db
def test_backup_refuses_an_unsupported_database(monkeypatch):
    monkeypatch.setattr(database, "VENDOR_NAMES", {})
    with pytest.raises(BackupError, match="不支持备份"):
        backup.create_backup("unused")
