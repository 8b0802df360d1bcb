"""Workbook imports one at a time, across processes, on SQLite and PostgreSQL (issue 16, case 6).

Two imports of the same workbook once both reported 新增 N: each matched the file against a
database the other had not yet committed to, so every project, figure and share was written
twice. An import now holds the lease (`ImportLease`, one row) from before its first write until
it ends, however it ends:

- `holding(holder)` takes it in a short transaction of its own — under the row's lock on
  PostgreSQL, in an IMMEDIATE transaction on SQLite — and a second import, web job or command,
  started meanwhile is refused with BUSY. It never waits: nobody's request or worker hangs
  behind an import that may take minutes. Once the first has ended, importing the same workbook
  again matches what it wrote and changes nothing.
- On PostgreSQL the holder also holds a session advisory lock: a holder whose process died
  lost it with its connection, so the lease is free at once. On SQLite a lease whose
  heartbeat (`beat`, once per chunk) is older than STALE_AFTER is free; there the one-transaction
  command import holds the database's write lock from start to end anyway.
- `years` on the lease are the years the import's writes have touched (`mark_years`, from
  `zhaoshang.guard.lock_years`, in the write's own transaction). Until the import ends, acting on
  them in a way that would make a later chunk of it refused — publishing, computing, unlocking,
  approving — is refused with IMPORTING (`refusal`, asked by `zhaoshang.guard.import_refusal`):
  the chunked import is all or nothing (`assessment.workbooks.staged`).
"""

import contextlib
import datetime
import secrets
from contextvars import ContextVar

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from assessment.models import ImportLease

STALE_AFTER = datetime.timedelta(minutes=10)
# pg_try_advisory_lock(key1, key2): a key of this application's own.
ADVISORY_KEY = (0x7A5A, 16)
BUSY = (
    "另一个导入正在进行（{holder}，{started} 开始），两个导入不能同时写入（否则数据会重复）。"
    "请等它完成后再导入。"
)
IMPORTING = (
    "{year} 年度正在导入数据（{holder}），导入完成前不能发布、测算、解锁或审定该年度的数据，"
    "请等导入完成后再试。"
)
COMMAND_HOLDER = "命令行导入"

_held = ContextVar("import_lease", default=None)


class ImportBusy(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class _Held:
    def __init__(self, token):
        self.token = token
        self.years = set()


def _postgres():
    return connection.vendor == "postgresql"


def _locked_row():
    ImportLease.objects.bulk_create([ImportLease(pk=ImportLease.SINGLETON)], ignore_conflicts=True)
    rows = ImportLease.objects.filter(pk=ImportLease.SINGLETON)
    if connection.features.has_select_for_update:
        rows = rows.select_for_update()
    return rows.get()


def _advisory(function):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", ADVISORY_KEY)
        return cursor.fetchone()[0]


def _busy(lease):
    started = timezone.localtime(lease.started_at).strftime("%H:%M") if lease.started_at else ""
    return ImportBusy(BUSY.format(holder=lease.holder or "另一导入", started=started))


def acquire(holder):
    """Take the lease for `holder` (a name users read) → token; ImportBusy when it is held."""
    if _postgres() and not _advisory("pg_try_advisory_lock"):
        lease = ImportLease.objects.filter(pk=ImportLease.SINGLETON).first()
        raise _busy(lease or ImportLease())
    try:
        with transaction.atomic():
            lease = _locked_row()
            now = timezone.now()
            alive = lease.token and lease.heartbeat_at and now - lease.heartbeat_at < STALE_AFTER
            if alive and not _postgres():  # on PostgreSQL the advisory lock says who is alive
                raise _busy(lease)
            token = secrets.token_hex(16)
            lease.token, lease.holder, lease.years = token, holder[:100], []
            lease.started_at = lease.heartbeat_at = now
            lease.save()
    except DatabaseError as exc:  # SQLite: a one-transaction import kept the write lock
        _unlock_advisory()
        raise ImportBusy(BUSY.format(holder="另一导入", started="刚刚")) from exc
    except ImportBusy:
        _unlock_advisory()
        raise
    return token


def _unlock_advisory():
    if _postgres():
        _advisory("pg_advisory_unlock")


def release(token):
    try:
        with transaction.atomic():
            # Gone with the import: a refused or finished import leaves no row behind.
            ImportLease.objects.filter(pk=ImportLease.SINGLETON, token=token).delete()
    finally:
        _unlock_advisory()


@contextlib.contextmanager
def holding(holder):
    """Hold the lease for the block (nested: the outer hold goes on)."""
    if _held.get() is not None:
        yield _held.get()
        return
    held = _Held(acquire(holder))
    reset = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(reset)
        release(held.token)


def is_holding():
    return _held.get() is not None


def mark_years(years):
    """Record on the lease that this import writes `years` (in the caller's transaction, after
    the years' own locks: lock order years, then the lease). No query once a year is marked."""
    held = _held.get()
    new = {y for y in years if y is not None} - (held.years if held else set())
    if not new:
        return
    lease = _locked_row()
    if lease.token == held.token:
        lease.years = sorted(set(lease.years) | new)
        lease.heartbeat_at = timezone.now()
        lease.save(update_fields=["years", "heartbeat_at"])
    held.years |= new


def beat():
    """The holder is still writing (a chunk begins): keeps a SQLite lease from going stale."""
    held = _held.get()
    if held is not None:
        ImportLease.objects.filter(pk=ImportLease.SINGLETON, token=held.token).update(
            heartbeat_at=timezone.now()
        )


def _alive(lease):
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = %s AND objid = %s AND objsubid = 2)",
                ADVISORY_KEY,
            )
            return cursor.fetchone()[0]
    return lease.heartbeat_at is not None and timezone.now() - lease.heartbeat_at < STALE_AFTER


def refusal(years):
    """IMPORTING when an import other than this one is writing any of `years`, else None."""
    years = {y for y in years if y is not None}
    held = _held.get()
    lease = ImportLease.objects.filter(pk=ImportLease.SINGLETON).first() if years else None
    if lease is None or not lease.token or (held is not None and held.token == lease.token):
        return None
    hit = sorted(years & set(lease.years))
    if not hit or not _alive(lease):
        return None
    return IMPORTING.format(year=hit[0], holder=lease.holder)
