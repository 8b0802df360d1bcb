"""What the assessment app has sealed: published quarters, and the years that have one.

A claim dated inside a published quarter is read-only until a reviewer unlocks that quarter with a
reason (SPEC §5 Snapshots); a year with a published quarter keeps the configuration it was counted
with (targets, weights, rules, adjustments, groups and memberships). The assessment app owns the
data; everything else asks here — the projects app through its seam `projects.locks` (which also
answers for verified claims and a verified project's basis), the units app, the admin and the
views directly — rather than restating a rule of its own.
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


def year_is_published(year):
    """True when any quarter of `year` is published (and not unlocked).

    Such a year's configuration (targets, indicator weights, year rules, score adjustments,
    groups and memberships) decides figures already issued, so it is read-only outside the
    recorded workflow. `year` is a number or an AssessmentYear.
    """
    return locked_through(getattr(year, "year", year)) is not None


def quarter_is_published(year, quarter):
    """True when the figures of `quarter` are sealed: it, or a later quarter of the same year, is
    published. Periods are year to date, so a published Q4 seals Q1–Q3 as well."""
    year = getattr(year, "year", year)
    end = locked_through(year)
    return end is not None and quarter_end(year, quarter) <= end


def adjustments_closed(year, quarter=4):
    """Whether a new score adjustment (加减分) for `year` is refused.

    An adjustment has no quarter: it counts in every quarter of its year computed after it. It is
    refused for a sealed quarter (it would move that published ranking on a recompute); asked
    without a quarter (the admin), once the whole year is sealed. One entered while Q1 is
    published and Q2 open is meant for Q2 on; it would also enter Q1 if Q1 were unlocked and
    recomputed (adjustments carry no quarter).
    """
    return quarter_is_published(year, quarter)
