"""Writing notifications: the one entry point every trigger calls.

`notify()` writes the in-app rows at once (inside the caller's transaction, so a step that is
rolled back notifies nobody) and queues the other channels with `transaction.on_commit`, as a
background task (`zhaoshang.notify.delivery`), so a slow mail server or robot never delays the
request. `notify_many()` writes many messages in a fixed number of queries: a bulk action on 500
claims costs what one costs.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from units.models import UNIT_ROLES
from zhaoshang.notify.kinds import KINDS
from zhaoshang.notify.models import Notification

logger = logging.getLogger(__name__)


@dataclass
class Message:
    kind: str
    title: str
    body: str = ""
    url: str = ""
    key: str = ""
    users: tuple = ()
    units: tuple = ()
    actor: object = None


def _ids(objects):
    return {getattr(obj, "pk", obj) for obj in objects if obj is not None}


def notify(kind, *, users=(), units=(), title, body="", url="", key="", actor=None):
    """Create one in-app Notification per recipient (users given + the active staff users of
    each unit given; the actor is never notified of their own action) and queue delivery on the
    channels each recipient chose. `key` makes it idempotent: a (kind, key, user) that exists
    is not created again. Returns the number created."""
    message = Message(kind, title, body, url, key, tuple(users), tuple(units), actor)
    return notify_many([message])


def notify_many(messages):
    """`notify()` for many messages at once, in a fixed number of queries (the unit staff, the
    keys already notified, the insert) whatever their number."""
    messages = list(messages)
    for message in messages:
        message.key = (message.key or "")[:200]
        if message.kind not in KINDS:
            raise ValueError(f"unknown notification kind: {message.kind!r}")
    unit_ids = set().union(*(_ids(m.units) for m in messages)) if messages else set()
    staff = {}
    if unit_ids:
        rows = get_user_model().objects.filter(
            unit_id__in=unit_ids, is_active=True, role__in=UNIT_ROLES
        )
        for user_id, unit_id in rows.values_list("pk", "unit_id"):
            staff.setdefault(unit_id, set()).add(user_id)
    planned = []  # (message, user_id)
    for message in messages:
        recipients = _ids(message.users)
        for unit_id in _ids(message.units):
            recipients |= staff.get(unit_id, set())
        recipients.discard(getattr(message.actor, "pk", message.actor))
        planned.extend((message, user_id) for user_id in sorted(recipients))
    taken = _taken(planned)
    planned = [(m, u) for m, u in planned if not m.key or (m.kind, m.key, u) not in taken]
    seen, rows = set(), []
    for message, user_id in planned:
        if message.key:
            if (message.kind, message.key, user_id) in seen:
                continue
            seen.add((message.kind, message.key, user_id))
        rows.append(
            Notification(
                user_id=user_id,
                kind=message.kind,
                title=message.title[:200],
                body=message.body,
                url=message.url[:500],
                key=message.key,
            )
        )
    if not rows:
        return 0
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # The same key written at the same moment by another request: keep the rows that are
        # new, in the list only (which of them are ours is not known, so no copies are sent).
        logger.warning("Concurrent notifications with the same key; e-mail and robots skipped")
        before = Notification.objects.count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return Notification.objects.count() - before
    # SQLite and PostgreSQL return the new keys from a bulk insert.
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: _queue(ids))
    return len(rows)


# Keys looked up per query: keeps the OR of (kind, key) pairs far below SQLite's expression
# depth and every database's parameter limit.
KEYS_PER_QUERY = 300


def _taken(planned):
    """The (kind, key, user_id) triples of `planned` that already exist."""
    wanted = {}
    for message, user_id in planned or ():
        if message.key:
            wanted.setdefault((message.kind, message.key), set()).add(user_id)
    pairs = list(wanted.items())
    taken = set()
    for start in range(0, len(pairs), KEYS_PER_QUERY):
        match = Q()
        for (kind, key), user_ids in pairs[start : start + KEYS_PER_QUERY]:
            match |= Q(kind=kind, key=key, user_id__in=user_ids)
        rows = Notification.objects.filter(match).values_list("kind", "key", "user_id")
        taken.update(rows)
    return taken


def _queue(ids):
    from zhaoshang.notify import delivery

    delivery.queue(ids)


def unread_count(user):
    return Notification.objects.for_user(user).unread().count()


def mark_all_read(user):
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
