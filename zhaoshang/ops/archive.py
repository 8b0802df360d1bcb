"""The backup archive: its layout, the fingerprints its manifest holds, and reading one back.

An archive is one ``zhaoshang-backup-<YYYYmmdd-HHMMSS>.tar.gz`` holding a single folder::

    manifest.json       format, time, database vendor, per-table row count and checksum,
                        SHA-256 of every other file in the archive
    database.sqlite3    SQLite: a consistent copy made with the online backup API
    database.pgdump     PostgreSQL: ``pg_dump --format=custom``
    media/...           everything under MEDIA_ROOT (the evidence files)

Table checksums are order-independent (the sum of every row's SHA-256), so the same data gives the
same checksum however the database happens to return the rows. The manifest is computed from the
very snapshot that was dumped, so a restore that matches it has lost nothing.
"""

import hashlib
import json
import tarfile
from pathlib import Path

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
_CHUNK = 1024 * 1024
_MOD = 2**256


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


# --- fingerprints -------------------------------------------------------------------------


def file_sha256(path):
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _row_digest(row):
    parts = []
    for value in row:
        if isinstance(value, memoryview):
            value = bytes(value)
        parts.append(value.hex() if isinstance(value, bytes) else repr(value))
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest(), "big")


def table_names(raw, vendor):
    cursor = raw.cursor()
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(name for (name,) in cursor.fetchall())


def table_fingerprints(raw, vendor):
    """Row count and checksum of every table, read through a DB-API connection ``raw``.

    ``vendor`` is ``"sqlite"`` or ``"postgresql"``. Returns ``{table: {"rows", "checksum"}}``.
    """
    result = {}
    for table in table_names(raw, vendor):
        cursor = raw.cursor()
        quoted = '"{}"'.format(table.replace('"', '""'))
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 — name from the catalogue
        rows, total = 0, 0
        while batch := cursor.fetchmany(2000):
            rows += len(batch)
            for row in batch:
                total = (total + _row_digest(row)) % _MOD
        result[table] = {"rows": rows, "checksum": f"{total:064x}"}
    return result


def compare_tables(expected, actual):
    """Human-readable differences between two ``table_fingerprints`` results (empty if equal)."""
    differences = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            differences.append(f"缺少数据表 {table}")
        elif table not in expected:
            differences.append(f"多出数据表 {table}")
        elif expected[table]["rows"] != actual[table]["rows"]:
            differences.append(
                f"{table} 行数 {actual[table]['rows']}，应为 {expected[table]['rows']}"
            )
        elif expected[table]["checksum"] != actual[table]["checksum"]:
            differences.append(f"{table} 内容校验不符")
    return differences


def media_files(root):
    """Relative POSIX paths of every regular file under ``root`` (none if it does not exist)."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


# --- reading an archive -------------------------------------------------------------------


def unpack(archive, work):
    """Extract ``archive`` into ``work``; returns (its folder, its manifest)."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    try:
        with tarfile.open(archive, "r:*") as tar:
            # The "data" filter refuses absolute paths, "..", links out of the tree and devices.
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"备份文件已损坏或不是本系统的备份：{exc}") from exc
    manifests = list(work.glob(f"*/{MANIFEST}"))
    if len(manifests) != 1:
        raise BackupError("备份文件中没有清单（manifest.json），不是本系统的备份。")
    root = manifests[0].parent
    try:
        manifest = json.loads(manifests[0].read_text())
    except ValueError as exc:
        raise BackupError("备份清单无法读取。") from exc
    check_manifest(manifest)
    return root, manifest


def check_manifest(manifest):
    """The manifest has the shape this version writes (else a clear error, not a KeyError)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"不支持的备份格式版本：{found}")
    files, tables = manifest.get("files"), manifest.get("tables")
    database_file = manifest.get("database_file")
    well_formed = (
        isinstance(files, dict)
        and isinstance(tables, dict)
        and database_file in {SQLITE_FILE, PG_FILE}
        and database_file in files
        and manifest.get("vendor") in {"sqlite", "postgresql"}
        and all(isinstance(sha, str) for sha in files.values())
        and all(
            isinstance(entry, dict)
            and isinstance(entry.get("rows"), int)
            and isinstance(entry.get("checksum"), str)
            for entry in tables.values()
        )
    )
    if not well_formed:
        raise BackupError("备份清单内容不完整或已被改动，不能用于恢复。")


def check_archive_files(root, manifest):
    """Every file the manifest lists is present with its SHA-256, and nothing else is."""
    for relpath, expected in manifest["files"].items():
        path = root / relpath
        if not path.is_file():
            raise BackupError(f"备份不完整，缺少文件：{relpath}")
        if file_sha256(path) != expected:
            raise BackupError(f"备份文件校验失败（SHA-256 不符）：{relpath}")
    listed = set(manifest["files"]) | {MANIFEST}
    unlisted = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).as_posix() not in listed
    ]
    if unlisted:
        raise BackupError(f"备份中有清单未列出的文件：{unlisted[0]}")
