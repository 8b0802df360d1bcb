"""The factories' base: test data is set up as a recorded path would write it.

A test builds the state it needs directly (an approved claim, say) rather than walking it through
the workflow, so factories write under `zhaoshang.guarded.building`. The locks of published quarters
and published years still hold for them: set data up before publishing, as a real office would.
"""

import contextlib
import functools
from unittest import mock

import factory

from zhaoshang import guarded
from zhaoshang.guarded import building


class GuardedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with building("测试数据"):
            return super()._create(model_class, *args, **kwargs)


def setting_up(function):
    """Decorate a test helper that writes data outside a factory (see GuardedFactory)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with building("测试数据"):
            return function(*args, **kwargs)

    return wrapper


class _NoRule:
    """Lets everything through (see `unguarded`)."""

    @staticmethod
    def check_save(obj):
        pass

    @staticmethod
    def check_delete(obj):
        pass

    @staticmethod
    def check_create(objs):
        pass


@contextlib.contextmanager
def unguarded():
    """Set up or wipe data as SQL would, past the write guard: claims that existed before a
    quarter was published, a city wiped between two measurements, a registration date moved back.
    For the guard's own behaviour never use this; use the application's paths."""
    with (
        mock.patch.object(guarded, "rule_for", lambda model: _NoRule),
        mock.patch.object(guarded, "is_trusted", lambda: True),
    ):
        yield
