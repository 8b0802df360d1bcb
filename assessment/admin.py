"""The Django admin for the assessment app. A year with a published quarter keeps its rules,
indicators (weights) and targets here read-only: they decide figures already issued, and the
year pages change them only after a recorded unlock (`assessment.locks.year_is_published`)."""

from django import forms
from django.contrib import admin

from assessment import locks
from assessment.models import (
    AssessmentLog,
    AssessmentYear,
    Indicator,
    RecognitionExclusion,
    ScoreAdjustment,
    Snapshot,
    Target,
)
from projects.admin import AppendOnlyAdmin

PUBLISHED_YEAR_MESSAGE = (
    "%s 年已有发布的季度，考核配置在后台只读；如确需修改，请在考核年度页面解锁（填写理由）后修改。"
)


class PublishedYearMixin:
    """View-only for objects of a published year; `year_of(obj)` names the year. A new object
    for a published year is refused by its form (`year_field` names the field that decides it)."""

    year_field = "year"

    def year_of(self, obj):
        raise NotImplementedError

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        year_field, year_of_value, refused = self.year_field, self.year_of_value, self.add_refused

        class PublishedYearGuard(form):
            def clean(self):
                cleaned = super().clean()
                value = cleaned.get(year_field)
                year = year_of_value(value) if value is not None else None
                if year is not None and refused(year):
                    raise forms.ValidationError(PUBLISHED_YEAR_MESSAGE % year)
                return cleaned

        return PublishedYearGuard

    def year_of_value(self, value):
        """The year number behind the form's `year_field` value (an AssessmentYear by default)."""
        return value.year

    def add_refused(self, year):
        """Whether a form may not save an object into `year`."""
        return locks.year_is_published(year)

    def _published(self, obj):
        return obj is not None and locks.year_is_published(self.year_of(obj))

    def has_change_permission(self, request, obj=None):
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)


class IndicatorInline(PublishedYearMixin, admin.TabularInline):
    model = Indicator
    extra = 0

    def year_of(self, obj):  # obj is the parent AssessmentYear
        return obj.year

    def has_add_permission(self, request, obj=None):
        return not self._published(obj) and super().has_add_permission(request, obj)


@admin.register(AssessmentYear)
class AssessmentYearAdmin(PublishedYearMixin, admin.ModelAdmin):
    list_display = ["year", "score_cap", "echelon_first", "echelon_second", "site_assessment"]
    inlines = [IndicatorInline]

    def year_of(self, obj):
        return obj.year

    def year_of_value(self, value):
        return value


@admin.register(Indicator)
class IndicatorAdmin(PublishedYearMixin, admin.ModelAdmin):
    list_display = ["year", "code", "name", "weight"]
    list_filter = ["year"]

    def year_of(self, obj):
        return obj.year.year


@admin.register(Target)
class TargetAdmin(PublishedYearMixin, admin.ModelAdmin):
    list_display = ["indicator", "unit", "group", "value"]
    list_filter = ["indicator__year"]
    list_select_related = ["indicator", "unit", "group"]

    year_field = "indicator"

    def year_of(self, obj):
        return obj.indicator.year.year

    def year_of_value(self, value):
        return value.year.year


@admin.register(RecognitionExclusion)
class RecognitionExclusionAdmin(PublishedYearMixin, admin.ModelAdmin):
    """不予认定清单: edited by the office here (the only place), view-only once the year has a
    published quarter (the write guard refuses it too)."""

    list_display = ["year", "project", "industry", "reason"]
    list_filter = ["year"]
    list_select_related = ["year", "project", "industry"]
    autocomplete_fields = ["project"]

    def year_of(self, obj):
        return obj.year.year


@admin.register(ScoreAdjustment)
class ScoreAdjustmentAdmin(PublishedYearMixin, admin.ModelAdmin):
    """An adjustment of a year with a published quarter may be in published figures: view-only.
    A new one follows the same rule as the unit assessment page (`locks.adjustments_closed`)."""

    list_display = ["year", "unit", "points", "reason", "created_by", "created"]

    def year_of(self, obj):
        return obj.year.year

    def add_refused(self, year):
        return locks.adjustments_closed(year)


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    # Figures are frozen: the admin shows snapshots but never edits or deletes their data.
    list_display = ["year", "quarter", "version", "status", "computed_at", "published_at"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentLog)
class AssessmentLogAdmin(AppendOnlyAdmin):
    list_display = ["created", "year", "quarter", "action", "actor", "reason"]


# The ledger of rewards and sanctions and heads in post (issue 20) register themselves.
from assessment.ledger import admin as ledger_admin  # noqa: E402, F401
