import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from units.models import CollaborationGroup, Unit


class UnitTable(tables.Table):
    name = tables.Column(linkify=True)
    group = tables.Column(
        verbose_name=_("协作组"), accessor="current_group_name", orderable=False, default="—"
    )
    is_active = tables.BooleanColumn(yesno="✔,停用")

    class Meta:
        model = Unit
        fields = ("name", "unit_type", "group", "head_name", "contact_name", "contact_phone")
        sequence = ("name", "unit_type", "group", "head_name", "contact_name", "contact_phone")
        order_by = ("sort_order", "name")
        empty_text = _("没有符合条件的单位")


class GroupTable(tables.Table):
    name = tables.Column(linkify=True)
    leader = tables.Column(
        verbose_name=_("组长"), accessor="leader_name", order_by=("leader_name",)
    )
    lead_unit = tables.Column(linkify=True)
    member_count = tables.Column(verbose_name=_("成员单位数"))

    class Meta:
        model = CollaborationGroup
        fields = ("year", "name", "leader", "leader_title", "lead_unit", "member_count")
        empty_text = _("该年度没有协作组")
