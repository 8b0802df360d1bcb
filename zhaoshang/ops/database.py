"""Dumping, checking and loading the database for backup and restore (SQLite and PostgreSQL).

A dump is checked before it is loaded: SQLite's copy is opened on its own (integrity check and
every table's fingerprint against the manifest) without touching the target. A PostgreSQL dump is
read through ``pg_restore --list`` (a damaged archive fails there) and is loaded with one psql
transaction, so a failed load leaves the old database in place.
"""

import os
import sqlite3
import subprocess

from django.db import connections

from zhaoshang.ops.archive import (
    PG_FILE,
    SQLITE_FILE,
    BackupError,
    compare_tables,
    table_fingerprints,
    table_names,
)

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def raw_connection(alias):
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


# --- dump ---------------------------------------------------------------------------------


def dump(alias, work):
    """Dump database ``alias`` into ``work``; returns (the dump's path, table fingerprints)."""
    if connections[alias].vendor == "sqlite":
        return _dump_sqlite(alias, work)
    return _dump_postgresql(alias, work)


def _dump_sqlite(alias, work):
    target = work / SQLITE_FILE
    source = raw_connection(alias)
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
    raw = raw_connection(alias)
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


# --- check before loading -----------------------------------------------------------------


def check_dump(alias, dump_path, manifest):
    """Refuse a dump that is damaged or does not hold what the manifest says — before the target
    is touched."""
    vendor = connections[alias].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"该备份来自 {VENDOR_NAMES.get(manifest['vendor'], manifest['vendor'])} 数据库，"
            f"当前配置的是 {VENDOR_NAMES.get(vendor, vendor)}，不能直接恢复。"
        )
    if vendor == "sqlite":
        _check_sqlite_dump(dump_path, manifest["tables"])
    else:
        # Reads the whole table of contents: a truncated or damaged custom dump fails here.
        env = _pg_env(connections[alias].settings_dict)
        _run(["pg_restore", "--list", str(dump_path)], env=env)


def _check_sqlite_dump(dump_path, expected):
    try:
        copy = sqlite3.connect(f"{dump_path.as_uri()}?mode=ro", uri=True)
        try:
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            tables = table_fingerprints(copy, "sqlite") if verdict == "ok" else None
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的数据库文件已损坏：{exc}") from exc
    if tables is None:
        raise BackupError(f"备份中的数据库文件已损坏：{verdict}")
    differences = compare_tables(expected, tables)
    if differences:
        raise BackupError(
            "备份中的数据库与备份清单不一致，未做任何改动：" + "；".join(differences[:20])
        )


# --- load ---------------------------------------------------------------------------------


def load(alias, dump_path, work):
    """Replace database ``alias`` with the (checked) dump; returns the loaded fingerprints."""
    if connections[alias].vendor == "sqlite":
        return _load_sqlite(alias, dump_path)
    return _load_postgresql(alias, dump_path, work)


def _load_sqlite(alias, dump_path):
    """SQLite's backup API copies every page in one step under one write lock: the target holds
    either its old content or the whole dump, never a mix."""
    wrapper = connections[alias]
    if not wrapper.is_in_memory_db():
        wrapper.close()
    source = sqlite3.connect(dump_path)
    destination = raw_connection(alias)
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


def _load_postgresql(alias, dump_path, work):
    """Drop every table of the current schema and load the dump, all in one transaction."""
    wrapper = connections[alias]
    wrapper.close()
    env = _pg_env(wrapper.settings_dict)
    script = work / "restore.sql"
    _run(["pg_restore", "--no-owner", "--no-acl", f"--file={script}", str(dump_path)], env=env)
    raw = raw_connection(alias)
    try:
        tables = table_names(raw, "postgresql")
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
    raw = raw_connection(alias)
    try:
        raw.autocommit = True
        raw.cursor().execute("SET TIME ZONE 'UTC'")
        return table_fingerprints(raw, "postgresql")
    finally:
        raw.close()
