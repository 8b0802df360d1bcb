"""Which dates lie inside a published (locked) quarter.

A claim dated inside a published quarter is read-only until a reviewer unlocks that quarter with a
reason (SPEC §5 Snapshots). The assessment app owns the data; everything else asks here.
"""

import datetime

from assessment.models import Snapshot, SnapshotStatus, quarter_end


def locked_through(year):
    """The last locked day of `year` (the end of its latest locked quarter), or None.

    A quarter is locked when its latest snapshot version is published and not unlocked. Periods are
    year to date, so a locked Q3 locks every day from 1 January to 30 September. One query; code
    that checks many claims of one year can call this once and compare dates.
    """
    latest = {}
    rows = (
        Snapshot.objects.filter(year__year=year)
        .order_by("quarter", "-version")
        .values_list("quarter", "status")
    )
    for quarter, status in rows:
        latest.setdefault(quarter, status)
    locked = [q for q, status in latest.items() if status == SnapshotStatus.PUBLISHED]
    return quarter_end(year, max(locked)) if locked else None


def is_date_locked(day):
    """True when `day` lies in [1 Jan, quarter end] of a quarter whose latest snapshot is
    published and not unlocked."""
    if day is None:
        return False
    if isinstance(day, datetime.datetime):
        day = day.date()
    end = locked_through(day.year)
    return end is not None and day <= end
