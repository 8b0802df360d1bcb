"""Append-only records: audit rows (claim workflow events, assessment log entries) that are written
once and never changed or removed (issue 15: "ClaimEvent and AssessmentLog are append-only
everywhere").

The model refuses `save()` of an existing row and `delete()`; its queryset refuses `update()`,
`bulk_update()`, `update_or_create()`, an upserting `bulk_create()` and `delete()`. Rows still
go when the record they belong to is deleted (a database cascade, e.g. from a draft claim a unit
discards); deleting a project with verified claims is refused where it is asked for
(`projects.locks.project_deletable`).
"""

from django.db import models


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete an append-only record."""


def _refuse(model, what):
    raise AppendOnlyError(f"{model._meta.verbose_name}只能追加，不能{what}。")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse(self.model, "修改")

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse(self.model, "修改")

    def update_or_create(self, *args, **kwargs):
        _refuse(self.model, "修改")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:  # an upsert rewrites existing rows
            _refuse(self.model, "修改")
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        _refuse(self.model, "删除")

    delete.alters_data = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """Abstract base of an append-only record (no fields of its own, so no migration)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse(type(self), "修改")
        # A new row with a preset primary key must not overwrite an existing row.
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(type(self), "删除")


class InsertTimeField(models.DateTimeField):
    """`auto_now_add` that keeps a time set on the instance before its insert.

    The demo loader writes timelines that walk a claim's past (events days apart); with plain
    `auto_now_add` it had to back-date them with an UPDATE afterwards, which an append-only record
    refuses. The time is still fixed at insert and never changes after. Deconstructs as a plain
    DateTimeField, so the migration state is unchanged.
    """

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if add and value is not None:
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
