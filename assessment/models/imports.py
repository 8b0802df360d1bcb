"""ImportLease: the one workbook import allowed to write at a time (issue 16, case 6).

A single row (pk 1), there while an import holds it (deleted when the import ends). Its `token`
names the holder; `years` lists the years
its writes have touched so far, which publication, computation and approval refuse to act on
until the import ends (`zhaoshang.guard.import_refusal`). The rules live in
`assessment.workbooks.serial`.
"""

from django.db import models


class ImportLease(models.Model):
    SINGLETON = 1

    token = models.CharField("持有标识", max_length=32, blank=True)
    holder = models.CharField("导入", max_length=100, blank=True)
    years = models.JSONField("正在导入的年度", default=list, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近写入时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入锁"
        verbose_name_plural = "导入锁"

    def __str__(self):
        return self.holder or "（空闲）"
