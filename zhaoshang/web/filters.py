"""Filter widgets in the office's words (issue 22): a filter left alone reads 全部, not
django-filter's "---------" (FILTERS_EMPTY_CHOICE_LABEL in settings) nor a yes/no filter's
未知 — which reads as "unknown value" rather than "any"."""

import django_filters
from django_filters.widgets import BooleanWidget


class AllYesNoWidget(BooleanWidget):
    """全部 / 是 / 否; reads true/false (and 1/0) as django-filter's BooleanWidget does."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "全部"), ("true", "是"), ("false", "否")]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AllYesNoWidget)
        super().__init__(*args, **kwargs)
