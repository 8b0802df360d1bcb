"""The demo city, loaded by `manage.py load_demo` in the order its command lists."""

import functools

from zhaoshang.guarded import building


def demo_writes(load):
    """A demo module's `load`: it builds the demo city's figures from scratch, through the write
    guard's `building` path (a verified project's basis may be written while it is built;
    published quarters hold even here)."""

    @functools.wraps(load)
    def wrapper(*args, **kwargs):
        with building("演示数据"):
            return load(*args, **kwargs)

    return wrapper
