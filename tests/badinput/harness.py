"""Bad payloads and what a user must see: no 500, a Chinese error, nothing saved.

Two paths. `assert_form_refuses` checks one corpus case against the form the view would build
(same data, files, instance and user), without the test client: the corpus has ~1,500 cases and
each costs a few milliseconds this way. `assert_refused` posts through the test client and reads
the page: each form keeps one such case, proving the view refuses what its form refuses (status
200 with the errors shown, nothing saved, no 500)."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

CJK = re.compile(r"[\u4e00-\u9fff]")
# Where pages put refusals: field errors, form/non-form errors, flashed error messages.
ERROR_CLASSES = {"invalid-feedback", "alert-danger", "text-danger", "alert-warning"}
VOID = {"br", "img", "input", "hr", "meta", "link", "source", "wbr", "col"}


class _ErrorCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []  # one bool per open element: inside an error element?
        self.texts = []
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        inside = bool(self.stack and self.stack[-1]) or bool(classes & ERROR_CLASSES)
        if inside and not (self.stack and self.stack[-1]):
            self.current = []
        self.stack.append(inside)

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        inside = self.stack.pop()
        if inside and not (self.stack and self.stack[-1]):
            text = "".join(self.current).strip()
            if text:
                self.texts.append(text)

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            self.current.append(data)


def error_texts(html):
    """The texts of every error element of a page."""
    parser = _ErrorCollector()
    parser.feed(html)
    return parser.texts


def chinese_errors(response):
    return [t for t in error_texts(response.content.decode()) if CJK.search(t)]


def row_counts(*models):
    """Row counts of the models and of their simple-history tables, read in one query (the
    corpus counts before and after each of its ~1,500 cases)."""
    watched = []
    for model in models:
        watched.append(model)
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            watched.append(history.model)
    if not watched:
        return {}
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in watched)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(watched, row, strict=True)}


def fields_of(obj, exclude=("updated",)):
    """What an object holds in the database now (m2m included)."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    data = model_to_dict(fresh)
    for name in exclude:
        data.pop(name, None)
    return {k: _plain(v) for k, v in data.items()}


def _plain(value):
    """Many-to-many values come as model lists; compare them by id."""
    if isinstance(value, list) and value and hasattr(value[0], "pk"):
        return sorted(x.pk for x in value)
    return value


def submit(client, url, data, files=None):
    """POST (following a redirect back to a page that shows the message)."""
    payload = dict(data)
    if files:
        payload.update(files)
    return client.post(url, payload, follow=True)


def assert_refused(client, url, data, watch=(), obj=None, files=None, field=None):
    """POST `data`: the page shows a Chinese error, no row (nor history row) is added or removed,
    and `obj`, when given, is unchanged. `field` (when the page has a form) must carry the error."""
    page = client.get(url)
    # Chinese text a page shows in an error style anyway does not count as the refusal.
    shown_anyway = set(chinese_errors(page)) if page.status_code == 200 else set()
    before = row_counts(*watch)
    before_obj = fields_of(obj) if obj is not None else None
    response = submit(client, url, data, files)
    assert response.status_code == 200, response.status_code
    errors = [e for e in chinese_errors(response) if e not in shown_anyway]
    assert errors, (
        f"no Chinese error shown; error elements: {error_texts(response.content.decode())}"
    )
    assert row_counts(*watch) == before
    if obj is not None:
        assert fields_of(obj) == before_obj
    if field is not None and response.context and "form" in response.context:
        form = response.context["form"]
        if form is not None and hasattr(form, "errors") and not response.redirect_chain:
            assert field in form.errors or form.non_field_errors(), form.errors
    return response, errors


def assert_saved(client, url, data, files=None):
    """The baseline payload is accepted (a redirect, no error): proves the corpus cases fail
    only because of their one bad value."""
    response = client.post(url, {**data, **(files or {})})
    assert response.status_code == 302, chinese_errors(response) or error_texts(
        response.content.decode()
    )
    return response


# --- the cheap path: the form (or service) the view would use, without the test client --------


def as_post(data):
    """`data` as a view finds it in request.POST: a QueryDict in which a list is several values
    of one key and every value is text, the way the test client posts it."""
    post = QueryDict(mutable=True)
    for key, value in data.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        post.setlist(key, [str(v) for v in values])
    return post


def as_files(files):
    """`files` as a view finds them in request.FILES."""
    return MultiValueDict({key: [upload] for key, upload in (files or {}).items()})


def error_messages(errors):
    """Every message of a form's (or formset's) errors, flattened."""
    if isinstance(errors, dict):
        return [m for messages in errors.values() for m in error_messages(messages)]
    if isinstance(errors, (list, tuple)):
        return [m for item in errors for m in error_messages(item)]
    return [str(errors)]


def assert_form_refuses(form, watch=(), obj=None, field=None, then=None, refusal=None):
    """The form a view builds (same data, files, instance and user) refuses its data with a
    Chinese message, on `field` when given, and nothing is saved. Returns the Chinese messages.

    Where the view hands a valid form's data to a service that may still refuse it (a stale
    version, a future month), pass that step as `then(cleaned_data)` and its exception class as
    `refusal`: a valid form must then be refused there, with a Chinese message.

    The form is not passed through `bootstrapify` (the views' styling): every form class carries
    the text guard itself (TextGuardMixin), and this checks that it does."""
    before = row_counts(*watch)
    before_obj = fields_of(obj) if obj is not None else None
    if then is not None and form.is_valid():
        with pytest.raises(refusal) as refused:
            then(form.cleaned_data)
        errors = [str(getattr(refused.value, "message", refused.value))]
    else:
        assert not form.is_valid(), f"accepted: {form.cleaned_data}"
        errors = error_messages(form.errors)
        if field is not None:
            assert field in form.errors or form.non_field_errors(), form.errors
    errors = [e for e in errors if CJK.search(e)]
    assert errors, f"no Chinese error: {form.errors}"
    assert row_counts(*watch) == before
    if obj is not None:
        assert fields_of(obj) == before_obj
    return errors


def fresh(obj):
    """A new copy of `obj` from the database, as a view's get_object() gives it."""
    return type(obj)._default_manager.get(pk=obj.pk)
