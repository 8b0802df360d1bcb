"""The 督办 list: overdue rows in red with their days overdue."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from projects.models import Supervision


class SupervisionTable(tables.Table):
    target = tables.Column(
        verbose_name="督办对象",
        accessor="pk",
        orderable=False,
        linkify=lambda record: record.target_url,
    )
    request = tables.Column(verbose_name="督办要求", linkify=True)
    unit = tables.Column(verbose_name="承办单位")
    issued_by = tables.Column(verbose_name="督办人", orderable=False)
    reply_by = tables.DateColumn(format="Y-m-d")
    status = tables.Column()

    class Meta:
        model = Supervision
        fields = ("target", "request", "unit", "issued_by", "reply_by", "status")
        empty_text = "没有符合条件的督办"
        row_attrs = {
            "class": lambda record: "table-danger" if _overdue(record) else "",
            "data-testid": "duban-row",
        }

    def render_target(self, record):
        return record.target_label

    def render_issued_by(self, value):
        return value.get_full_name() or value.username

    def render_request(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def render_reply_by(self, record, value):
        if _overdue(record):
            days = (timezone.localdate() - record.reply_by).days
            return format_html(
                '{} <span class="badge text-bg-danger">逾期 {} 天</span>', value, days
            )
        return value


def _overdue(record):
    return record.is_overdue(timezone.localdate())
