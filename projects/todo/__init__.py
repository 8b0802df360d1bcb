"""The to-do panel of each role's home page (issue 18 item 1): lines of work waiting on the
user, each with a count and a link to the page where the work is done.

How it is put together:
- A **provider** is a function `provider(ctx) -> iterable of Line`, registered for the roles it
  serves with `@register(Role.…, …)`. It reads what it needs in a fixed number of queries (never
  one per claim, unit or report), so the home page costs the same whatever the data size.
- Providers live in the modules of `PROVIDER_MODULES`, imported once on first use. To add a kind
  of line (e.g. 督办 awaiting reply): write a module with `@register(...)` functions and append
  its dotted path to `PROVIDER_MODULES`; nothing else changes. Lines show in the order the
  providers were registered.
- `Context` carries what several providers read (the user, today, the years' settings and
  locks) so it is read once per page.
- Lines with a count of 0 are dropped unless `always` is set (the 月报 line shows its due date
  before anything is late). Drafts stay private to their unit: unit lines read the user's own
  unit only, office lines never count drafts (`visible_to` and the queue's tabs decide).
"""

from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module

from django.utils import timezone

from units import access

PROVIDER_MODULES = [
    "projects.todo.unit",
    "projects.todo.office",
    "projects.todo.group",
    "projects.todo.supervision",
]

_PROVIDERS = []  # [(frozenset of roles, function)] in registration order
_loaded = False


@dataclass
class Item:
    """One example under a line (a returned claim with its reason, a unit behind schedule)."""

    text: str
    url: str = ""
    note: str = ""


@dataclass
class Line:
    key: str  # stable name, for tests and the page's data-testid
    label: str
    count: int
    url: str
    detail: str = ""  # e.g. the due date, the oldest wait
    level: str = "primary"  # the count's badge: danger (late), warning (due soon), primary
    items: list = field(default_factory=list)
    always: bool = False  # shown even when the count is 0


@dataclass
class Context:
    user: object
    today: object = field(default_factory=timezone.localdate)

    @property
    def role(self):
        return access.role_of(self.user)

    @cached_property
    def queue_scope(self):
        """The review queue's tab filters (years' settings and locks read once)."""
        from projects.review.tabs import QueueScope

        return QueueScope(self.user)


def register(*roles):
    """Decorator: register a provider for `roles`."""

    def wrap(function):
        _PROVIDERS.append((frozenset(roles), function))
        return function

    return wrap


def _load():
    global _loaded
    if not _loaded:
        for name in PROVIDER_MODULES:
            import_module(name)
        _loaded = True


def lines_for(user, today=None):
    """The to-do lines of `user`, in the providers' order."""
    _load()
    ctx = Context(user, today or timezone.localdate())
    lines = []
    for roles, provider in _PROVIDERS:
        if ctx.role in roles:
            lines.extend(line for line in provider(ctx) if line.count or line.always)
    return lines
