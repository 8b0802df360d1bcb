"""Cell values of a django-tables2 table for the .xlsx export, read the way the table shows them.

`export_getter(table, bound_column)` decides once per column how to read it and returns
`get(record)`. The rule is the one django-tables2's `BoundRow.get_cell_value` applies, without its
per-cell costs (`inspect.signature` on every call, `Accessor` parsing, choices rebuilt by
`get_FOO_display`):

- a table method `value_<name>`: the table's own export text (called with the arguments it names);
- a bool stays a bool (the workbook writes 是/否); a timestamp in a date column becomes its
  local date (the date the table shows);
- otherwise a number or date (not a bool) stays typed, so Excel can sum it;
- an empty date column gives the column's default, as the table shows it;
- a choice field gives its label; an empty value gives None;
- anything else goes through the column's `value`/`render` (or the table's `render_<name>`), and
  HTML in the result becomes plain text (remembered per distinct HTML: a badge column renders the
  same few strings 50,000 times).
"""

import datetime
import html
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import strip_tags
from django_tables2 import A as Accessor
from django_tables2.columns import Column, DateColumn, DateTimeColumn, ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import signature

TYPED = (int, Decimal, float, datetime.date)
PLAIN_CACHE_SIZE = 4096


def plain_text(value):
    if isinstance(value, str) and "<" in value:
        return html.unescape(strip_tags(value)).strip()
    return value


def _typed(value):
    return isinstance(value, TYPED) and not isinstance(value, bool)


def _choices(table, name):
    """{value: label} of a model field with choices read directly by `name`, else None."""
    model = getattr(table.data, "model", None)
    if model is None or not name.isidentifier() or "__" in name:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not getattr(field, "choices", None) or not hasattr(model, f"get_{name}_display"):
        return None
    # Labels are lazy translations: turn them into text once, not once per cell.
    return {make_hashable(k): force_str(v) for k, v in field.flatchoices}


def _caller(fn):
    """`call_with_appropriate(fn, kwargs)` with the signature read once."""
    args, catch_all = signature(fn)
    if catch_all:
        return fn, None
    return fn, tuple(args)


def _renderer(table, bound_column):
    """(function, argument names or None for all) that turns a value into the cell's text."""
    column = bound_column.column
    fn = bound_column.value
    # Column.value only calls render with the appropriate arguments: skip that layer.
    if getattr(fn, "__func__", None) is Column.value:
        if type(column).render is Column.render and not hasattr(
            table, f"render_{bound_column.name}"
        ):
            return None
        fn = column.render
    return _caller(fn)


def _slow_getter(table, name):
    def get(record):
        return plain_text(BoundRow(record, table=table).get_cell_value(name))

    return get


def _plain_text_remembered():
    """`plain_text` that remembers the text of each distinct HTML string (up to a bound)."""
    seen = {}

    def plain(value):
        if not (isinstance(value, str) and "<" in value):
            return value
        text = seen.get(value)
        if text is None:
            text = plain_text(value)
            if len(seen) < PLAIN_CACHE_SIZE:
                seen[value] = text
        return text

    return plain


def export_getter(table, bound_column):
    name = bound_column.name
    column = bound_column.column
    accessor = str(bound_column.accessor)
    simple = accessor.isidentifier() and "__" not in accessor
    has_value = hasattr(table, f"value_{name}")
    if isinstance(column, BaseLinkColumn | ManyToManyColumn) or not simple:
        slow = _slow_getter(table, name)
        return slow if has_value else _typed_or(slow, Accessor(accessor))
    choices = _choices(table, accessor)
    renderer = _renderer(table, bound_column)
    empty = column.empty_values
    resolver = Accessor(accessor)
    keep_typed = not has_value
    # A date column renders its default for an empty date (its template's `|default:`).
    empty_date = None
    if isinstance(column, DateColumn | DateTimeColumn) and not has_value:
        empty_date = plain_text(force_str(bound_column.default, strings_only=True))
    plain = _plain_text_remembered()
    # A date column over a timestamp (收集日期 of a created-at) exports the date it shows.
    as_date = isinstance(column, DateColumn) and not isinstance(column, DateTimeColumn)

    def get(record):
        try:
            if isinstance(record, models.Model):
                raw = getattr(record, accessor)
                if callable(raw):
                    raw = resolver.resolve(record)
            else:  # a dict row (values()) or any other object
                raw = resolver.resolve(record)
        except Exception:  # a computed column has no plain value
            raw = None
        if isinstance(raw, bool):
            return raw  # written as 是/否, whatever the column shows on screen (✔)
        if as_date and isinstance(raw, datetime.datetime):
            return _local_date(raw)
        if keep_typed and _typed(raw):
            return raw
        if raw is None and empty_date is not None:
            return empty_date
        value = raw
        if choices is not None and isinstance(record, models.Model):
            value = choices.get(make_hashable(raw), raw)
        if value in empty:
            return None
        if renderer is None:
            return plain(value)
        fn, wanted = renderer
        kwargs = {
            "value": value,
            "record": record,
            "column": column,
            "bound_column": bound_column,
            "table": table,
        }
        if wanted is None or "bound_row" in wanted:
            kwargs["bound_row"] = BoundRow(record, table=table)
        if wanted is not None:
            if any(arg not in kwargs for arg in wanted):
                return None
            kwargs = {key: kwargs[key] for key in wanted}
        return plain(fn(**kwargs))

    return get


def _local_date(value):
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.date()


def _typed_or(fallback, accessor):
    """A number or date stays typed; anything else as the table shows it (`fallback`)."""

    def get(record):
        try:
            raw = accessor.resolve(record)
        except Exception:  # a computed column has no plain value
            raw = None
        if _typed(raw):
            return raw
        return fallback(record)

    return get
