import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import CollaborationGroup, Unit, UnitType
from zhaoshang.web.filters import YesNoFilter


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    unit_type = django_filters.ChoiceFilter(choices=UnitType.choices, label=_("单位类型"))
    is_active = YesNoFilter(label=_("启用"))
    group = django_filters.ModelChoiceFilter(
        queryset=CollaborationGroup.objects.all(),
        field_name="memberships__group",
        label=_("协作组"),
    )

    class Meta:
        model = Unit
        fields = ["q", "unit_type", "group", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(head_name__icontains=value)
        )


class GroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = CollaborationGroup
        fields = ["year", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(leader_name__icontains=value)
            | Q(lead_unit__name__icontains=value)
        )
