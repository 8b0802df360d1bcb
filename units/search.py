"""Choosing a unit by typing its name instead of scrolling a select of every unit (issue 8).

A province has a thousand units: a `<select>` of all of them is slow to render on every list
page and slow to use. `UnitSearchSelect` renders only the chosen unit; `static/js/unit-search.js`
puts a search box in front of it that asks `units:unit_search` for matching names. The field's
queryset still validates the choice on the server, so the search decides nothing about access.

`use_unit_search(field, scope)` switches a unit field to it; forms do that for the users who
choose among every unit (the office, leaders, the administrator) and for fields that list every
active unit (credit shares, a lead's responsible unit). Everyone else keeps a short select of
their own units, which works without JavaScript.
"""

from django import forms
from django.urls import reverse

from units import access
from units.models import Unit
from zhaoshang.web.forms import MAX_ID

SCOPES = ("visible", "active")
LIMIT = 20


def search_units(user, query, scope="visible", limit=LIMIT):
    """(id, name) of the units whose name contains `query`, in the usual unit order: "visible"
    is what the user may read (filters), "active" every active unit (choosing a partner unit)."""
    units = (
        access.visible_units(user) if scope == "visible" else Unit.objects.filter(is_active=True)
    )
    query = query.strip()
    if query:
        units = units.filter(name__icontains=query)
    return list(units.order_by("sort_order", "name").values_list("pk", "name")[:limit])


class UnitSearchSelect(forms.Select):
    """A select holding only the empty choice and the chosen unit(s); the script fills it.
    Subclasses search something else (persons: `projects.forms.persons.PersonSearchSelect`)."""

    url_name = "units:unit_search"
    placeholder = "输入单位名称搜索"
    empty_text = "没有匹配的单位"

    def __init__(self, scope="visible", attrs=None):
        super().__init__(attrs)
        self.scope = scope

    def search_url(self):
        return f"{reverse(self.url_name)}?scope={self.scope}"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        attrs["data-search-url"] = self.search_url()
        attrs.setdefault("data-placeholder", self.placeholder)
        attrs.setdefault("data-empty", self.empty_text)
        return context

    def optgroups(self, name, value, attrs=None):
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:  # not a model field: behave like a plain select
            return super().optgroups(name, value, attrs)
        chosen = [v for v in map(str, value) if v.isascii() and v.isdigit() and int(v) <= MAX_ID]
        options = []
        empty_label = getattr(choices.field, "empty_label", None)
        if empty_label is not None:
            options.append(("", empty_label))
        if chosen:
            options += [choices.choice(unit) for unit in queryset.filter(pk__in=chosen)]
        self.choices = options
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


def use_unit_search(field, scope="visible"):
    """Switch a unit ModelChoiceField (or a filter's form field) to the search widget."""
    widget = UnitSearchSelect(scope=scope, attrs=field.widget.attrs)
    widget.choices = field.widget.choices
    widget.is_required = field.widget.is_required
    field.widget = widget
    return field
