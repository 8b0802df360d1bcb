"""The parent process of `make bench`: a scratch database per backend and scale, one worker
process each, then goals and docs/benchmarks.md.

SQLite scratch files live in `bench/` (gitignored); the PostgreSQL scratch database is
`<DATABASE_URL's name>_bench`, created before and dropped after each scale. The developer's own
database is never opened.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings

WORKER_TIMEOUT = 3 * 3600


def sqlite_target(scale):
    folder = Path(settings.BASE_DIR) / "bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"bench_{scale}.sqlite3"
    return path


def _remove_sqlite(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _pg_admin(url):
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def pg_scratch_url(url):
    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "zhaoshang") + "_bench"
    return urlunsplit(parts._replace(path="/" + name)), name


def _pg_recreate(url, name, drop_only=False):
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def run_worker(env, scale, options):
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    cmd = [
        sys.executable,
        manage,
        "bench",
        "--worker",
        "--scale",
        scale,
        "--runs",
        str(options["runs"]),
        *(
            ("--import-projects", str(options["import_projects"]))
            if options.get("import_projects") is not None
            else ()
        ),
        "--json",
        out,
    ]
    proc = subprocess.run(cmd, env=env, timeout=WORKER_TIMEOUT)
    try:
        with open(out) as f:
            result = json.load(f)
    except (OSError, ValueError):
        return {"scale": scale, "error": f"worker failed (exit {proc.returncode})"}
    finally:
        Path(out).unlink(missing_ok=True)
    return result


def saved_path(backend, scale):
    return Path(settings.BASE_DIR) / "bench" / f"result_{backend}_{scale}.json"


def save(backend, scale, result):
    """Keep each worker's result in bench/ (gitignored): `--report-only` re-renders from them."""
    path = saved_path(backend, scale)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, default=str))


def load_saved(scales):
    results = {}
    for backend in ("sqlite", "postgresql"):
        for scale in scales:
            path = saved_path(backend, scale)
            if path.exists():
                results.setdefault(backend, {})[scale] = json.loads(path.read_text())
    return results


def backends():
    """[(backend label, DATABASE_URL or None)]: SQLite always, PostgreSQL when configured."""
    out = [("sqlite", None)]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        out.append(("postgresql", url))
    return out


def run_all(scales, options, write=print):
    """Run every scale on every backend; returns {backend: {scale: result}}."""
    results = {}
    for backend, url in backends():
        if options.get("sqlite_only") and backend != "sqlite":
            continue
        for scale in scales:
            write(f"\n=== {backend} · scale {scale} ===")
            env = dict(os.environ)
            if url:
                scratch_url, name = pg_scratch_url(url)
                _pg_recreate(url, name)
                env["DATABASE_URL"] = scratch_url
            else:
                path = sqlite_target(scale)
                _remove_sqlite(path)
                env.pop("DATABASE_URL", None)
                env["SQLITE_PATH"] = str(path)
            try:
                result = run_worker(env, scale, options)
                results.setdefault(backend, {})[scale] = result
                save(backend, scale, result)
            finally:
                if not options.get("keep"):
                    if url:
                        _pg_recreate(url, name, drop_only=True)
                    else:
                        _remove_sqlite(path)
    return results
