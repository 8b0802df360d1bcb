"""The form base every form of the app uses: the text guard (a named validator, installed by the
form base whatever the styling) and Bootstrap classes for the widgets, so templates only lay
fields out."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# Tab, newline and carriage return are typed into text areas; other control characters are not.
ALLOWED_CONTROLS = frozenset("\t\n\r")
# Bidirectional embeddings, overrides and isolates reorder what is shown ("Trojan source"): a
# name could read differently on screen, in a ranking and in an exported workbook.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROL_MESSAGE = "不能包含控制字符或不可见的文字方向控制符（U+%(code)s），请删除后重新输入。"


# Text areas (descriptions, reasons, problems) hold at most this many characters.
TEXTAREA_MAX_LENGTH = 20_000


def forbidden_character(value):
    """The first control or bidi-control character of `value`, else None."""
    for ch in value:
        if ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS):
            return ch
    return None


def validate_text(value):
    """Refuse text holding control characters (NUL, which PostgreSQL cannot store, among them)
    or invisible direction controls. Every text input of every form has it (`TextGuardMixin`)."""
    ch = forbidden_character(str(value))
    if ch is not None:
        raise ValidationError(
            CONTROL_MESSAGE, code="control_character", params={"code": f"{ord(ch):04X}"}
        )


class CleanTextField(forms.CharField):
    """A text field that refuses control characters wherever it is declared."""

    default_validators = [validate_text]


def guard_text(form):
    """Give every text field of `form` the text validator (once), and every text area without a
    length of its own a generous bound (a description, not a pasted book). Returns `form`."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and validate_text not in field.validators:
            field.validators.append(validate_text)
            if isinstance(field.widget, forms.Textarea) and field.max_length is None:
                field.max_length = TEXTAREA_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXTAREA_MAX_LENGTH))
                field.widget.attrs.setdefault("maxlength", str(TEXTAREA_MAX_LENGTH))
    return form


def bootstrapify(form, small=False):
    """Bootstrap classes on every widget.

    The text guard does not depend on this: form classes get it from `TextGuardMixin`. Forms
    built outside a form class of ours (formsets' generated forms, filter forms) are guarded
    here as well, before they are styled, so styling never leaves a form unguarded.
    """
    guard_text(form)
    suffix = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            css = f"form-select form-select{suffix}" if small else "form-select"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        else:
            css = f"form-control form-control{suffix}" if small else "form-control"
        existing = widget.attrs.get("class", "")
        if css not in existing:
            widget.attrs["class"] = f"{existing} {css}".strip()
    return form


class TextGuardMixin:
    """The form base of every form: the text guard on every text field, independent of styling
    (a form without Bootstrap classes still refuses control characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text(self)


class GuardedForm(TextGuardMixin, forms.Form):
    pass


class GuardedModelForm(TextGuardMixin, forms.ModelForm):
    pass


class BootstrapMixin(TextGuardMixin):
    """The guarded form base with Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


# Years the app plans and assesses (the workbook import accepts the same range).
YEAR_MIN, YEAR_MAX = 2000, 2100


def validate_year(value):
    if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(
            "年度应为 %(low)s 至 %(high)s 之间的四位年份，而不是 %(value)s。",
            code="year_range",
            params={"low": YEAR_MIN, "high": YEAR_MAX, "value": value},
        )


class CheckboxList(forms.CheckboxSelectMultiple):
    """Several rows (units) chosen by checkboxes in a scrollable box.

    A plain click toggles one box and leaves the others as they are: the multi-select this
    replaces dropped 40 Ctrl-clicked units on one plain click (issue 22). The field still
    validates every posted id on the server (`IdMultipleChoiceField`); without JavaScript or CSS
    it is a list of ordinary checkboxes, each with its own label.
    """

    box_class = "checkbox-list"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The options were built with the inputs' class; the box around them gets its own.
        context["widget"]["attrs"] = {**context["widget"]["attrs"], "class": self.box_class}
        return context


# Largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses ids no database could hold.

    Django checks each id for the wrong type but not for size; SQLite then fails the `__in`
    query with an OverflowError (a 500) on an id of 30 digits.
    """

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not text.isdecimal() or not text.isascii() or int(text) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
