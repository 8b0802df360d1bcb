"""Filters of the 督办 list: status, overdue, responsible unit (choices the user may read)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from projects.filtersets import ScopedFilterSet
from projects.models import Supervision, SupervisionStatus, overdue_q
from zhaoshang.web.filters import YesNoFilter


class SupervisionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    status = django_filters.ChoiceFilter(choices=SupervisionStatus.choices, label="状态")
    overdue = YesNoFilter(method="filter_overdue", label="已逾期")
    unit = django_filters.ModelChoiceFilter(field_name="unit", label="承办单位", queryset=None)

    class Meta:
        model = Supervision
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(request__icontains=value)
            | Q(project__name__icontains=value)
            | Q(assistance_item__project__name__icontains=value)
            | Q(unit__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
