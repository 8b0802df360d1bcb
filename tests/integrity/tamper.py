"""Writes behind the application's back, for tests that prove a sealed record does not depend on
the live data: what someone with the database's password could do with SQL. The write guard
(`zhaoshang.guard`) refuses these through every path of the application, so they go through
Django's plain QuerySet methods, not the guarded ones."""

from django.db.models import QuerySet


def tamper(queryset, **values):
    """An UPDATE in SQL: no guard, no history, no signal."""
    return QuerySet.update(queryset, **values)


def sneak_in(obj):
    """An INSERT in SQL of one unsaved object; returns it with its primary key."""
    QuerySet.bulk_create(type(obj)._base_manager.all(), [obj])
    return obj
