"""Backup and restore of the database and the evidence files, proven by a manifest.

An archive is one ``zhaoshang-backup-<YYYYmmdd-HHMMSS>.tar.gz`` holding a single folder::

    manifest.json       format, time, database vendor, per-table row count and checksum,
                        SHA-256 of every other file in the archive
    database.sqlite3    SQLite: a consistent copy made with the online backup API
    database.pgdump     PostgreSQL: ``pg_dump --format=custom``
    media/...           everything under MEDIA_ROOT (the evidence files)

Table checksums are order-independent (the sum of every row's SHA-256), so the same data gives the
same checksum however the database happens to return the rows. The manifest is computed from the
very snapshot that was dumped, so a restore that matches it has lost nothing.

Restore never deletes evidence: files in MEDIA_ROOT that the archive does not know are left in
place and reported.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
_CHUNK = 1024 * 1024
_MOD = 2**256


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    extra_files: list[str] = field(default_factory=list)


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


def _table_names(raw, vendor):
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
    for table in _table_names(raw, vendor):
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


# --- database adapters --------------------------------------------------------------------


def _raw_connection(alias):
    """A fresh DB-API connection with the project's settings (pragmas, credentials)."""
    wrapper = connections[alias]
    return wrapper.get_new_connection(wrapper.get_connection_params())


def _plain_sqlite(alias):
    """The same SQLite database without Django's type converters, as the manifest reads it."""
    params = connections[alias].get_connection_params()
    params.pop("detect_types", None)
    return sqlite3.connect(**params)


def _pg_env(settings_dict):
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env


def _run(args, env=None):
    try:
        completed = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"找不到命令 {args[0]}，请安装与服务器版本一致的 PostgreSQL 客户端。"
        ) from exc
    if completed.returncode != 0:
        raise BackupError(f"{args[0]} 执行失败：{completed.stderr.strip()[-2000:]}")
    return completed


def _dump_sqlite(alias, work):
    target = work / SQLITE_FILE
    source = _raw_connection(alias)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        # A self-contained file: no -wal/-shm companions inside the archive.
        destination.execute("PRAGMA journal_mode=DELETE")
        tables = table_fingerprints(destination, "sqlite")
    finally:
        destination.close()
        source.close()
    return target, tables


def _dump_postgresql(alias, work):
    target = work / PG_FILE
    raw = _raw_connection(alias)
    try:
        raw.autocommit = True
        cursor = raw.cursor()
        cursor.execute("SET TIME ZONE 'UTC'")
        # pg_dump and the fingerprints read one and the same snapshot.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-acl",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=_pg_env(connections[alias].settings_dict),
        )
        tables = table_fingerprints(raw, "postgresql")
        cursor.execute("COMMIT")
    finally:
        raw.close()
    return target, tables


def _restore_sqlite(alias, dump):
    wrapper = connections[alias]
    if not wrapper.is_in_memory_db():
        wrapper.close()
    source = sqlite3.connect(dump)
    destination = _raw_connection(alias)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    check = _plain_sqlite(alias)
    try:
        return table_fingerprints(check, "sqlite")
    finally:
        check.close()


def _restore_postgresql(alias, dump, work):
    """Drop every table of the current schema and load the dump, all in one transaction."""
    wrapper = connections[alias]
    wrapper.close()
    env = _pg_env(wrapper.settings_dict)
    script = work / "restore.sql"
    _run(["pg_restore", "--no-owner", "--no-acl", f"--file={script}", str(dump)], env=env)
    raw = _raw_connection(alias)
    try:
        tables = _table_names(raw, "postgresql")
    finally:
        raw.close()
    drop = work / "drop.sql"
    drop.write_text(
        "".join('DROP TABLE IF EXISTS "{}" CASCADE;\n'.format(t.replace('"', '""')) for t in tables)
    )
    _run(
        ["psql", "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
        + ["-f", str(drop), "-f", str(script)],
        env=env,
    )
    raw = _raw_connection(alias)
    try:
        raw.autocommit = True
        raw.cursor().execute("SET TIME ZONE 'UTC'")
        return table_fingerprints(raw, "postgresql")
    finally:
        raw.close()


# --- backup -------------------------------------------------------------------------------


def create_backup(output_dir, *, alias="default", media_root=None, now=None):
    """Write a backup archive of database ``alias`` and the media files into ``output_dir``.

    Returns the archive's path. The archive appears only when complete (written as ``.part``
    and renamed), so a failed backup never leaves something that looks like a good one.
    """
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持备份 {vendor} 数据库。")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.datetime.now().astimezone()
    name = f"zhaoshang-backup-{now:%Y%m%d-%H%M%S}"
    archive = output_dir / f"{name}.tar.gz"
    if archive.exists():
        raise BackupError(f"备份文件已存在：{archive}")

    with tempfile.TemporaryDirectory(prefix="zs-backup-") as tmp:
        work = Path(tmp)
        if vendor == "sqlite":
            dump, tables = _dump_sqlite(alias, work)
        else:
            dump, tables = _dump_postgresql(alias, work)
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
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=f"{name}/{MANIFEST}")
            tar.add(dump, arcname=f"{name}/{dump.name}")
            for relpath in relpaths:
                tar.add(media_root / relpath, arcname=f"{name}/{MEDIA_DIR}/{relpath}")
        partial.rename(archive)
    return archive


# --- restore ------------------------------------------------------------------------------


def _unpack(archive, work):
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
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"不支持的备份格式版本：{manifest.get('format')}")
    return root, manifest


def _check_archive_files(root, manifest):
    for relpath, expected in manifest["files"].items():
        path = root / relpath
        if not path.is_file():
            raise BackupError(f"备份不完整，缺少文件：{relpath}")
        if file_sha256(path) != expected:
            raise BackupError(f"备份文件校验失败（SHA-256 不符）：{relpath}")


def read_manifest(archive):
    """The manifest of ``archive`` (after checking every file in it against its checksum)."""
    with tempfile.TemporaryDirectory(prefix="zs-restore-") as tmp:
        root, manifest = _unpack(archive, Path(tmp))
        _check_archive_files(root, manifest)
        return manifest


def _restore_media(root, manifest, media_root):
    prefix = f"{MEDIA_DIR}/"
    wanted = {
        relpath[len(prefix) :]: sha
        for relpath, sha in manifest["files"].items()
        if relpath.startswith(prefix)
    }
    for relpath in wanted:
        target = media_root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / MEDIA_DIR / relpath, target)
    for relpath, sha in wanted.items():
        if file_sha256(media_root / relpath) != sha:
            raise BackupError(f"佐证材料恢复后校验失败：{relpath}")
    return len(wanted), [path for path in media_files(media_root) if path not in wanted]


def restore_backup(archive, *, alias="default", media_root=None):
    """Restore database ``alias`` and the media files from ``archive`` and verify the result.

    Every file of the archive is checked against the manifest before anything is changed.
    Afterwards every table's row count and checksum and every evidence file's SHA-256 must
    equal the manifest, else BackupError.
    """
    vendor = connections[alias].vendor
    media_root = Path(media_root or settings.MEDIA_ROOT)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    with tempfile.TemporaryDirectory(prefix="zs-restore-") as tmp:
        work = Path(tmp)
        root, manifest = _unpack(archive, work)
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"该备份来自 {names.get(manifest['vendor'], manifest['vendor'])} 数据库，"
                f"当前配置的是 {names.get(vendor, vendor)}，不能直接恢复。"
            )
        _check_archive_files(root, manifest)

        files, extra = _restore_media(root, manifest, media_root)
        dump = root / manifest["database_file"]
        if vendor == "sqlite":
            restored = _restore_sqlite(alias, dump)
        else:
            restored = _restore_postgresql(alias, dump, work)

    differences = compare_tables(manifest["tables"], restored)
    if differences:
        raise BackupError("数据库恢复后与备份清单不一致：" + "；".join(differences[:20]))
    return RestoreResult(
        tables=len(restored),
        rows=sum(entry["rows"] for entry in restored.values()),
        files=files,
        extra_files=extra,
    )


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
