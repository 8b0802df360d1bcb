"""Bootstrap classes for Django form widgets, so templates only lay fields out."""

from django import forms


def bootstrapify(form, small=False):
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


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
