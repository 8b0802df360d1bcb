"""The bell in the navigation bar: the user's unread count, read lazily in one COUNT query
(only when a page renders the bell, and once however often the template asks)."""

from functools import cached_property

from zhaoshang.notify.services import unread_count

BADGE_MAX = 99


class Bell:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self):
        return unread_count(self.user)

    @property
    def badge(self):
        return f"{BADGE_MAX}+" if self.unread > BADGE_MAX else str(self.unread)


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}
