"""Notifications (issue 18 item 3): the in-app list with its bell, e-mail, and group robots.

`from zhaoshang.notify import notify` is the one entry point for every trigger; see
`zhaoshang.notify.services`. The name is resolved lazily so that importing the package while
Django loads its apps does not import the models too early.
"""


def __getattr__(name):
    if name in {"notify", "notify_many", "Message"}:
        from zhaoshang.notify import services

        return getattr(services, name)
    raise AttributeError(name)
