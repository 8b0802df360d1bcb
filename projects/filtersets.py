"""Filters for the project, lead, visit and assistance lists. Unit and group choices are limited
to what the user may read."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from projects.models import (
    AssistanceCategory,
    AssistanceItem,
    AssistanceStatus,
    Category,
    HeadEnterprise,
    Industry,
    Lead,
    LeadStatus,
    Milestone,
    MilestoneKind,
    Person,
    PersonKind,
    PersonStatus,
    Project,
    Stage,
    Visit,
)
from units import access
from units.models import CollaborationGroup, GroupMembership, Unit
from units.search import UnitSearchSelect
from zhaoshang.web.filters import YesNoFilter

# 投资规模: total investment at least … 万元
BANDS = [
    ("5000", "5000万元以上"),
    ("10000", "1亿元以上"),
    ("100000", "10亿元以上"),
    ("500000", "50亿元以上"),
    ("1000000", "100亿元以上"),
]
DATE = forms.DateInput(attrs={"type": "date"})


class ScopedFilterSet(django_filters.FilterSet):
    """Unit and group choices follow the access policy of the requesting user."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        if user is not None and "unit" in self.filters:
            self.filters["unit"].queryset = access.visible_units(user)
            if access.sees_everything(user):  # every unit: search, not a select of them all
                self.filters["unit"].extra["widget"] = UnitSearchSelect()
        if user is not None and "group" in self.filters:
            self.filters["group"].queryset = access.visible_groups(
                user, CollaborationGroup.objects.order_by("-year", "sort_order")
            )

    def filter_group(self, queryset, name, value):
        """Units that are members of the group in the group's own year."""
        members = GroupMembership.objects.filter(group=value).values("unit_id")
        return queryset.filter(**{f"{self.unit_path}__in": members})


class ProjectFilterSet(ScopedFilterSet):
    unit_path = "unit_id"
    q = django_filters.CharFilter(method="search", label="搜索")
    unit = django_filters.ModelChoiceFilter(label="责任单位", queryset=None)
    group = django_filters.ModelChoiceFilter(label="协作组", queryset=None, method="filter_group")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="项目阶段")
    industry = django_filters.ModelChoiceFilter(queryset=Industry.objects.all(), label="产业")
    category = django_filters.ChoiceFilter(choices=Category.choices, label="项目类别")
    band = django_filters.ChoiceFilter(choices=BANDS, method="filter_band", label="投资规模")
    is_key = YesNoFilter(label="重点项目")
    is_high_tech = YesNoFilter(label="高新技术")
    head_enterprise = django_filters.ChoiceFilter(
        choices=[c for c in HeadEnterprise.choices if c[0]], label="头部企业"
    )
    is_new = YesNoFilter(field_name="new_in_year", label="新引进（本年度）")
    signed_after = django_filters.DateFilter(
        method="filter_signed_after", label="签约日期起", widget=DATE
    )
    signed_before = django_filters.DateFilter(
        method="filter_signed_before", label="签约日期止", widget=DATE
    )

    class Meta:
        model = Project
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(investor_name__icontains=value)
            | Q(investor_credit_code__icontains=value)
            | Q(location__icontains=value)
        )

    def filter_band(self, queryset, name, value):
        return queryset.filter(total_investment__gte=Decimal(value))

    def _signed(self, **lookup):
        return Exists(
            Milestone.objects.filter(project=OuterRef("pk"), kind=MilestoneKind.SIGNED, **lookup)
        )

    def filter_signed_after(self, queryset, name, value):
        return queryset.filter(self._signed(date__gte=value))

    def filter_signed_before(self, queryset, name, value):
        return queryset.filter(self._signed(date__lte=value))


class LeadFilterSet(ScopedFilterSet):
    unit_path = "unit_id"
    q = django_filters.CharFilter(method="search", label="搜索")
    unit = django_filters.ModelChoiceFilter(label="收集单位", queryset=None)
    group = django_filters.ModelChoiceFilter(label="协作组", queryset=None, method="filter_group")
    industry = django_filters.ModelChoiceFilter(queryset=Industry.objects.all(), label="产业")
    status = django_filters.ChoiceFilter(choices=LeadStatus.choices, label="状态")

    class Meta:
        model = Lead
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(investor_name__icontains=value)
            | Q(source__icontains=value)
            | Q(description__icontains=value)
        )


class VisitFilterSet(ScopedFilterSet):
    unit_path = "unit_id"
    q = django_filters.CharFilter(method="search", label="搜索")
    unit = django_filters.ModelChoiceFilter(label="接待单位", queryset=None)
    group = django_filters.ModelChoiceFilter(label="协作组", queryset=None, method="filter_group")
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="日期起", widget=DATE
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="日期止", widget=DATE
    )

    class Meta:
        model = Visit
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(investor_name__icontains=value)
            | Q(visitors__icontains=value)
            | Q(outcome__icontains=value)
        )


class AssistanceFilterSet(ScopedFilterSet):
    unit_path = "project__unit_id"
    q = django_filters.CharFilter(method="search", label="搜索")
    unit = django_filters.ModelChoiceFilter(
        field_name="project__unit", label="项目责任单位", queryset=None
    )
    group = django_filters.ModelChoiceFilter(label="协作组", queryset=None, method="filter_group")
    category = django_filters.ChoiceFilter(choices=AssistanceCategory.choices, label="类别")
    status = django_filters.ChoiceFilter(choices=AssistanceStatus.choices, label="办理状态")
    overdue = YesNoFilter(method="filter_overdue", label="已逾期")

    class Meta:
        model = AssistanceItem
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(problem__icontains=value)
            | Q(project__name__icontains=value)
            | Q(responsible_leader__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status=AssistanceStatus.RESOLVED)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class PersonFilterSet(django_filters.FilterSet):
    """The registry's filters: a name (or organisation, contact), kind, unit and status."""

    q = django_filters.CharFilter(method="search", label="姓名/机构")
    kind = django_filters.ChoiceFilter(choices=PersonKind.choices, label="身份")
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.none(), label="所属单位", widget=UnitSearchSelect()
    )
    status = django_filters.ChoiceFilter(choices=PersonStatus.choices, label="状态")

    class Meta:
        model = Person
        fields = ["q", "kind", "unit", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["unit"].queryset = access.visible_units(request.user)

    def search(self, queryset, name, value):
        return queryset.search(value)
