"""The control-character guard is a named validator the form base installs, not a side effect of
styling: a form without Bootstrap classes refuses control characters with the Chinese message."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.forms.formsets import BaseFormSet

from units.forms import UnitContactForm
from zhaoshang.web.forms import (
    CleanTextField,
    GuardedForm,
    TextGuardMixin,
    validate_text,
)

APPS = ("units", "projects", "assessment", "zhaoshang")


class PlainNoteForm(GuardedForm):
    """No CSS mixin, no bootstrapify: only the guarded form base."""

    note = forms.CharField()
    details = forms.CharField(widget=forms.Textarea, required=False)


class DeclaredFieldForm(forms.Form):
    note = CleanTextField()


def test_a_form_without_the_css_mixin_refuses_control_characters():
    form = PlainNoteForm({"note": "项目\x01名称", "details": "第一行\n第二行\u202e"})
    assert "form-control" not in str(form["note"])
    assert not form.is_valid()
    assert "不能包含控制字符" in form.errors["note"][0]
    assert "U+0001" in form.errors["note"][0]
    assert "U+202E" in form.errors["details"][0]


def test_tabs_and_newlines_stay_allowed():
    form = PlainNoteForm({"note": "甲\t乙", "details": "第一行\r\n第二行"})
    assert form.is_valid(), form.errors


def test_a_declared_clean_text_field_is_guarded_in_any_form():
    form = DeclaredFieldForm({"note": "响\x07铃"})
    assert not form.is_valid()
    assert "不能包含控制字符" in form.errors["note"][0]


@pytest.mark.django_db
def test_a_unit_form_built_outside_any_view_refuses_control_characters(unit_a):
    form = UnitContactForm(
        {"head_name": "王\x1b主任", "head_title": "", "contact_name": "", "contact_phone": ""},
        instance=unit_a,
    )
    assert not form.is_valid()
    assert "不能包含控制字符" in form.errors["head_name"][0]


def _project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            yield importlib.import_module(info.name)


def _form_classes():
    """Every form class of the app: declared ones and the forms of formset factories."""
    seen = set()
    for module in _project_modules():
        for _, value in inspect.getmembers(module, inspect.isclass):
            ours = value.__module__.split(".")[0] in APPS
            if issubclass(value, BaseFormSet) and hasattr(value, "form"):
                # A factory's generated form lives in Django's module, but it is ours.
                value, ours = value.form, True
            if ours and issubclass(value, forms.BaseForm):
                seen.add(value)
    return seen


def test_every_form_with_a_text_field_is_guarded_by_its_class():
    unguarded = []
    for form_class in _form_classes():
        text_fields = [
            name
            for name, field in form_class.base_fields.items()
            if isinstance(field, forms.CharField)
        ]
        declared_clean = all(
            validate_text in form_class.base_fields[name].validators for name in text_fields
        )
        if text_fields and not issubclass(form_class, TextGuardMixin) and not declared_clean:
            unguarded.append(f"{form_class.__module__}.{form_class.__name__}")
    assert unguarded == []


@pytest.mark.django_db
def test_a_list_filter_refuses_control_characters_before_it_filters(client, reviewer, unit_a):
    """The generic list guards its filter form before validating it (styling it came after the
    filtering, so the search ran with the control character)."""
    client.force_login(reviewer)
    response = client.get("/units/", {"q": "甲\x01"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"][0].startswith("不能包含控制字符")
    assert list(response.context["table"].page.object_list) == []
