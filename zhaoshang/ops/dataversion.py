"""The data version, and results cached by it (issue 21: nothing stale is ever shown).

Pages that compute a quarter live (the dashboard's trend, the forecast, a group's workspace) ask
`cached(...)` instead of computing on every view. The cache key holds the **data version**: the
(smallest id, largest id, number of rows) of `DataChange`, read in one aggregate query. Every
write of data the figures rest on inserts a `DataChange` row in the write's own transaction:

- every guarded model (`zhaoshang.guarded`: claims, projects, credit shares, introducers,
  evidence, years, indicators, targets, adjustments, groups and memberships) on save, delete,
  bulk create, update and bulk update — the one hook every write path already goes through;
- units and snapshots (unguarded; the engine reads units' type and activity, escalation reads
  earlier years' snapshots) through post_save / post_delete receivers;
- a restore of a backup, which bypasses both.

Why the triple and not a counter: an insert takes no lock another writer waits on (a counter
row would serialise every write on it), and the row is seen by a reader exactly when the write
it belongs to is — at commit, under the database's own isolation; a rolled-back write takes its
row with it. Ids are not enough alone: two writers' ids can commit out of order, so a later
commit may not raise the largest id — but it always raises the count. Pruning raises the
smallest id, so a version is never seen twice for different data.

The cache is Django's (`CACHES`: local memory per process by default; Redis for several
servers, see docs/deployment.md). Entries expire after `DATA_CACHE_SECONDS` as a safety net.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Max, Min

KEY_PREFIX = "zs:v1"


def touch(using=DEFAULT_DB_ALIAS):
    """Record that data changed (inside the caller's transaction, where there is one)."""
    from zhaoshang.ops.models import DataChange

    DataChange.objects.using(using).create()


def version(using=DEFAULT_DB_ALIAS):
    """The current data version as a short string (one query)."""
    from zhaoshang.ops.models import DataChange

    row = DataChange.objects.using(using).aggregate(lo=Min("id"), hi=Max("id"), n=Count("id"))
    return f"{row['lo'] or 0}-{row['hi'] or 0}-{row['n']}"


def cached(name, parts, compute, using=DEFAULT_DB_ALIAS):
    """`compute()` as of the current data version, from the cache when it holds it.

    `name` and `parts` (a tuple of str/int) identify the computation. The version is read
    before computing, so a write that commits meanwhile gives a newer version and a fresh
    computation on the next view; the stored result is never newer-labelled than its data."""
    # Which database, so that two sites (or a test database) sharing a cache never mix.
    database = hashlib.sha1(str(connections[using].settings_dict.get("NAME")).encode()).hexdigest()
    key = ":".join([KEY_PREFIX, database[:12], name, *map(str, parts), version(using)])
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, getattr(settings, "DATA_CACHE_SECONDS", 600))
    return result


def prune(using=DEFAULT_DB_ALIAS):
    """Delete every DataChange row but the newest; returns how many were deleted."""
    from zhaoshang.ops.models import DataChange

    newest = DataChange.objects.using(using).aggregate(hi=Max("id"))["hi"]
    if newest is None:
        return 0
    deleted, _ = DataChange.objects.using(using).filter(id__lt=newest).delete()
    return deleted
