"""Which dates lie inside a published (locked) quarter.

A claim dated inside a published quarter is read-only until a reviewer unlocks that quarter with a
reason (SPEC §5 Snapshots). The assessment app owns the data; everything else asks here.
"""


def is_date_locked(day):
    """True when `day` falls inside a quarter whose latest snapshot is published and not unlocked.

    Placeholder until publishing exists: nothing is locked yet.
    """
    return False
