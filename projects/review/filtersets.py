"""Filters of the review queue and 我的申报, and the one query that lists claims of all three
types together (a UNION, so sorting and paging happen in the database)."""

import datetime

import django_filters
from django.db.models import CharField, DecimalField, F, OuterRef, Subquery, Value
from django.utils import timezone

from projects.claims import CLAIM_MODELS
from projects.models import PENDING_STATUSES, ClaimEvent, ClaimStatus, DuplicateFlag, MilestoneKind
from units.models import Unit

TYPE_CHOICES = [
    (MilestoneKind.SIGNED.value, "签约"),
    (MilestoneKind.STARTED.value, "开工"),
    (MilestoneKind.COMPLETED.value, "竣工"),
    ("investment", "固定资产投资"),
    ("funds", "到位资金"),
]
TYPE_LABELS = dict(TYPE_CHOICES)
STEP_CHOICES = [(s.value, s.label) for s in (*PENDING_STATUSES, ClaimStatus.APPROVED)] + [
    (ClaimStatus.REJECTED.value, ClaimStatus.REJECTED.label)
]


class ClaimFilterSet(django_filters.FilterSet):
    """Declared filters only, so one filterset serves all three claim models."""

    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), field_name="project__unit", label="单位", empty_label="全部"
    )
    type = django_filters.ChoiceFilter(
        choices=TYPE_CHOICES, method="filter_type", label="类型", empty_label="全部"
    )
    status = django_filters.ChoiceFilter(choices=STEP_CHOICES, label="环节", empty_label="待办")
    min_age = django_filters.NumberFilter(
        method="filter_age", label="已等待天数 ≥", min_value=0, max_value=3650
    )
    q = django_filters.CharFilter(method="filter_project", label="项目名称")

    def filter_type(self, queryset, name, value):
        slug = queryset.model._meta.model_name
        if value in MilestoneKind.values:
            return queryset.filter(kind=value) if slug == "milestone" else queryset.none()
        wanted = {"investment": "monthlyinvestment", "funds": "fundsentry"}[value]
        return queryset if slug == wanted else queryset.none()

    def filter_age(self, queryset, name, value):
        cutoff = timezone.now() - datetime.timedelta(days=int(value))
        return queryset.filter(submitted_at__lte=cutoff)

    def filter_project(self, queryset, name, value):
        return queryset.filter(project__name__icontains=value.strip())


class MyClaimFilterSet(ClaimFilterSet):
    """A unit sees every state of its own claims; there is no unit to choose."""

    status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices, label="状态", empty_label="全部"
    )

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        filters.pop("unit", None)
        filters.pop("min_age", None)
        return filters


def _event_subquery(slug, status, column):
    return Subquery(
        ClaimEvent.objects.filter(**{slug: OuterRef("pk")}, to_status=status)
        .order_by("-created", "-pk")
        .values(column)[:1]
    )


def _slug(model):
    return next(s for s, m in CLAIM_MODELS.items() if m is model)


def rejection_reasons(rows):
    """{(type, id): comment of the latest 退回} for the rejected claims among `rows` (the page
    shown): one query per claim type on the page, however long the list (issue 21: the reason
    was a correlated subquery for every claim of the list)."""
    wanted = {}
    for row in rows:
        if row["r_status"] == ClaimStatus.REJECTED:
            wanted.setdefault(row["r_type"], []).append(row["r_id"])
    reasons = {}
    for slug, ids in wanted.items():
        events = (
            ClaimEvent.objects.filter(**{f"{slug}_id__in": ids}, to_status=ClaimStatus.REJECTED)
            .order_by("created", "pk")
            .values_list(f"{slug}_id", "comment")
        )
        for pk, comment in events:
            reasons[(slug, pk)] = comment  # the latest wins
    return reasons


COLUMNS = [
    "r_type",
    "r_id",
    "r_kind",
    "r_project_id",
    "r_unit_id",
    "r_project",
    "r_unit",
    "r_date",
    "r_amount",
    "r_status",
    "r_version",
    "r_submitted",
    "r_reason",
]


def claim_rows(querysets, reasons=False):
    """One queryset of dict rows for claims of every type, oldest wait first, sortable by column.

    `querysets` are per-model querysets, filtered. The wait starts at the stored `submitted_at`
    (issue 21). `reasons` adds each claim's latest rejection reason as `r_reason` by a subquery
    (exports of every row); a page looks them up for its rows (`rejection_reasons`).
    """
    parts = []
    for qs in querysets:
        slug = _slug(qs.model)
        kind = F("kind") if slug == "milestone" else Value(slug, output_field=CharField())
        amount = (
            Value(None, output_field=DecimalField(max_digits=14, decimal_places=2))
            if slug == "milestone"
            else F("amount")
        )
        reason = (
            _event_subquery(slug, ClaimStatus.REJECTED, "comment")
            if reasons
            else Value("", output_field=CharField())
        )
        parts.append(
            qs.order_by()
            .annotate(
                r_type=Value(slug, output_field=CharField()),
                r_id=F("pk"),
                r_kind=kind,
                r_project_id=F("project_id"),
                r_unit_id=F("project__unit_id"),
                r_project=F("project__name"),
                r_unit=F("project__unit__name"),
                r_date=F("month" if slug == "investment" else "date"),
                r_amount=amount,
                r_status=F("status"),
                r_version=F("version"),
                r_submitted=F("submitted_at"),
                r_reason=reason,
            )
            .values(*COLUMNS)
        )
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    # Without an explicit order the first model's Meta.ordering leaks into the UNION.
    return combined.order_by("r_submitted", "r_type", "r_id")


class FlagFilterSet(django_filters.FilterSet):
    class Meta:
        model = DuplicateFlag
        fields = ["status", "kind"]
