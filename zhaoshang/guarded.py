"""The hook under every write of a model whose figures can be frozen (issue 15: one guard).

What is frozen — approved claims, anything dated in a published quarter, a project's assessment
basis once a figure is verified, a published year's rules, targets, adjustments and memberships —
is decided by the rules in `zhaoshang.guard`. This module only makes sure every path asks them:

- `GuardedModel.save()` runs the model's rule inside the write's own transaction (so the rule can
  lock the period row and publishing and writing serialise) before the row is written;
- deletes — `Model.delete()`, `QuerySet.delete()` and cascades alike — are checked by a
  `pre_delete` receiver, which Django sends inside the deletion's transaction;
- `GuardedQuerySet.bulk_create()` and `bulk_update()` check every object; `update()` may write
  only the model's `GUARD_FREE_FIELDS` (version counters, timestamps) unless a recorded path
  (`trusted()`) — the claim workflow, the verified import of historical data — does the writing.

Forms and the import ask the same rules first to show a message beside the field; this hook is
what holds when they did not (the admin, a command, a race between the check and the write).
Models import only this module; `zhaoshang.guard` registers the rules when the apps are ready.

Every write that passes also records a data change (`zhaoshang.ops.dataversion.touch`), in the
same transaction: cached computations are keyed by the data version, and this hook is the one
every write of the figures' data goes through.
"""

import contextlib
from contextvars import ContextVar

from django.db import models, router, transaction
from django.db.models.signals import pre_delete

_rules = {}
_trusted = ContextVar("guard_trusted", default=None)
_building = ContextVar("guard_building", default=None)


class Frozen(Exception):
    """A write the guard refuses; `message` is shown to the user as is (Chinese)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class GuardBypass(RuntimeError):
    """Code tried to write guarded fields in a way the guard cannot check (a programming error)."""


def register(model, rule):
    """Register `rule` (an object with check_save(obj), check_delete(obj), check_create(objs))."""
    _rules[model] = rule
    pre_delete.connect(_check_delete, sender=model, dispatch_uid=f"guard-{model._meta.label}")


def rule_for(model):
    try:
        return _rules[model]
    except KeyError:
        raise GuardBypass(f"{model._meta.label} has no guard rule registered") from None


def _check_delete(sender, instance, **kwargs):
    rule_for(sender).check_delete(instance)
    _touch(instance._state.db or router.db_for_write(sender, instance=instance))


def _touch(using):
    from zhaoshang.ops.dataversion import touch

    touch(using)


@contextlib.contextmanager
def trusted(reason):
    """Writes made by a recorded path: the workflow's status moves and the verified import of
    historical data. They may set a claim approved; they never write into a published quarter."""
    token = _trusted.set(reason)
    try:
        yield
    finally:
        _trusted.reset(token)


def is_trusted():
    return _trusted.get() is not None or is_building()


@contextlib.contextmanager
def building(reason):
    """A dataset written from scratch (the demo loader, test factories): its figures are being
    built, not changed, so a verified project's basis may still be written. Published quarters
    and published years hold even here."""
    token = _building.set(reason)
    try:
        yield
    finally:
        _building.reset(token)


def is_building():
    return _building.get() is not None


class GuardedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            rule_for(self.model).check_create(objs)
            _touch(self.db)
            return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        # The pre_delete receiver asks the rule for every row; in a savepoint of its own, so a
        # refusal leaves the caller's transaction usable.
        with transaction.atomic(using=self.db):
            return super().delete()

    def update(self, **kwargs):
        free = set(getattr(self.model, "GUARD_FREE_FIELDS", ()))
        if set(kwargs) - free and not is_trusted():
            raise GuardBypass(
                f"{self.model._meta.label}: update() of {sorted(set(kwargs) - free)} bypasses "
                "the guard; save() each object or use a recorded path"
            )
        # The change row and the update commit together (a reader never sees one alone).
        with transaction.atomic(using=self.db):
            _touch(self.db)
            return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        free = set(getattr(self.model, "GUARD_FREE_FIELDS", ()))
        with transaction.atomic(using=self.db):
            if set(fields) - free:  # stage or version counters alone need no check
                _check_many(rule_for(self.model), "check_save", objs)
            # Django writes a bulk update with update(): checked above, so let it through.
            _touch(self.db)
            with trusted("bulk_update"):
                return super().bulk_update(objs, fields, batch_size=batch_size)


def check_raw_delete(model, rows):
    """For code that deletes rows without signals (`QuerySet._raw_delete`, kept for speed where
    nothing depends on the rows): ask the rule as a delete would. Unguarded models pass."""
    rule = _rules.get(model)
    if rule is not None:
        _check_many(rule, "check_delete", rows)
        _touch(router.db_for_write(model))


def _check_many(rule, check, objs):
    """A rule's batched check (`check_save_many`, `check_delete_many`) where it has one, so a
    grid of a thousand targets costs the queries ten do; else one check per object."""
    batched = getattr(rule, f"{check}_many", None)
    if batched is not None:
        batched(objs)
    else:
        for obj in objs:
            getattr(rule, check)(obj)


class GuardedModel(models.Model):
    """Base of every model the guard watches: save() asks the rule in the write's transaction."""

    # Fields a queryset update() may write without the guard: counters and timestamps.
    GUARD_FREE_FIELDS = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            rule_for(type(self)).check_save(self)
            _touch(using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Asked in a savepoint of its own before Django collects the deletion: a refusal then
        # leaves the caller's transaction usable (the import reports it and goes on checking).
        # The pre_delete receiver asks again for what this object's deletion cascades to.
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            rule_for(type(self)).check_delete(self)
            return super().delete(*args, **kwargs)
