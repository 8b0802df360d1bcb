"""The operations app's one table: the mark of a database the demo city was loaded into."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDatabase(models.Model):
    """Written by `load_demo` in the transaction that loads the demo city into an empty database
    (issue 15 path 9). Its presence tells a later run that every record here began as the
    demo's, so the run changes nothing; without it, a database holding data is somebody's real
    data, which the loader refuses to touch (`zhaoshang.ops.demo.marker`)."""

    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("演示数据标记")
        verbose_name_plural = _("演示数据标记")

    def __str__(self):
        return f"演示数据（{self.loaded_at:%Y-%m-%d %H:%M}载入）"


class DataChange(models.Model):
    """One row per write of data the assessment figures rest on: the data version
    (`zhaoshang.ops.dataversion`) is read off this table, so a cached computation is keyed by
    exactly the data it was computed from. Rows carry nothing but their id; `manage.py
    cleanup` prunes them (the version stays new: the smallest id moves)."""

    class Meta:
        verbose_name = _("数据变更记录")
        verbose_name_plural = _("数据变更记录")

    def __str__(self):
        return f"数据变更 #{self.pk}"
