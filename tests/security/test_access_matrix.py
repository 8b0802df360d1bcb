"""Access matrix (issue 9): every named URL × every role × GET and POST against SPEC §1.

The URL names come from the resolver, so a new page without an entry in tests/security/matrix.py
fails here. Object URLs point at unit A's objects; unit B's staff must be refused every one of
them (IDOR). A refused request — and any POST that is not one of the few deliberate actions —
must leave every row of the main tables exactly as it was. No combination may answer 500.
"""

import functools

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.matrix import DENY, LOGIN, M405, MATRIX, OK, ROLES, Ref

LOGIN_PATH = reverse("login")
# Tables whose every value is compared before and after a request that must change nothing.
WATCHED_MODELS = [
    "units.Unit",
    "units.CollaborationGroup",
    "units.GroupMembership",
    "units.User",
    "projects.Project",
    "projects.CreditShare",
    "projects.Introducer",
    "projects.Person",
    "projects.Milestone",
    "projects.MonthlyInvestment",
    "projects.FundsEntry",
    "projects.Evidence",
    "projects.ClaimEvent",
    "projects.AssistanceItem",
    "projects.Lead",
    "projects.Visit",
    "projects.MonthlyReport",
    "projects.ProjectSettings",
    "projects.DuplicateFlag",
    "assessment.AssessmentYear",
    "assessment.Indicator",
    "assessment.Target",
    "assessment.ScoreAdjustment",
    "assessment.Snapshot",
    "assessment.AssessmentLog",
    "assessment.Campaign",
    "assessment.CampaignTarget",
    "assessment.UnitHead",
]
# Fields that change on every login and say nothing about the data.
VOLATILE_FIELDS = {"last_login"}


def url_names(patterns=None, namespace=None):
    """Every named URL pattern, namespaced ("units:unit_list"), without Django admin's."""
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if namespace and entry.namespace:
                inner = f"{namespace}:{entry.namespace}"
            if inner == "admin":
                continue
            names |= url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


@functools.cache
def _fingerprint_sql():
    quote = connection.ops.quote_name
    statements = []
    for label in WATCHED_MODELS:
        meta = apps.get_model(label)._meta
        columns = ", ".join(
            quote(f.column) for f in meta.concrete_fields if f.name not in VOLATILE_FIELDS
        )
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        statements.append((label, f"SELECT {columns} FROM {table} ORDER BY {pk}"))
    return statements


def fingerprint():
    """Every value of every watched table, in primary-key order (raw SQL: this runs twice in
    most of the ~1,400 tests, and the ORM's per-query cost would double the file's run time)."""
    state = {}
    with connection.cursor() as cursor:
        for label, sql in _fingerprint_sql():
            cursor.execute(sql)
            state[label] = cursor.fetchall()
    return state


def resolve_kwargs(world, kwargs):
    return {k: (world.objects[v.name].pk if isinstance(v, Ref) else v) for k, v in kwargs.items()}


def client_for(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def outcome_of(response):
    status = response.status_code
    if status in (403, 404):
        return DENY
    if status == 405:
        return M405
    if status == 302 and response["Location"].split("?")[0] == LOGIN_PATH:
        return LOGIN
    if status in (200, 302):
        return OK
    return f"HTTP {status}"


def cases():
    for name, entries in MATRIX.items():
        for index, case in enumerate(entries):
            label = case.label or (str(index) if len(entries) > 1 else "")
            for method in ("get", "post"):
                for role in ROLES:
                    test_id = "-".join(p for p in (name, label, method, role) if p)
                    yield pytest.param(name, case, method, role, id=test_id)


@pytest.mark.parametrize(("name", "case", "method", "role"), list(cases()))
def test_access(world, db, name, case, method, role):
    expected = getattr(case, method)[role]
    url = reverse(name, kwargs=resolve_kwargs(world, case.kwargs))
    client = client_for(world, role)
    if case.session and role != "anonymous":
        session = client.session
        session.update(case.session)
        session.save()
    # A permitted read needs no check; a refusal, and any POST but a deliberate action, must
    # leave the data as it was.
    permitted_read = method == "get" and expected == OK
    permitted_action = method == "post" and case.acts and expected == OK
    before = None if permitted_read or permitted_action else fingerprint()

    response = client.get(url) if method == "get" else client.post(url, case.data)
    if response.streaming:
        # Reading to the end closes the file (the test client's wrapper does it safely; calling
        # response.close() here would fire request_finished and drop a PostgreSQL connection).
        b"".join(response.streaming_content)

    assert response.status_code != 500, f"{role} {method.upper()} {url} → 500"
    assert outcome_of(response) == expected, (
        f"{role} {method.upper()} {url}: expected {expected}, got {response.status_code}"
        f" {response.get('Location', '')}"
    )
    if before is not None:
        assert fingerprint() == before, f"{role} {method.upper()} {url} changed data"


def test_every_url_is_in_the_matrix():
    missing = sorted(url_names() - set(MATRIX))
    assert not missing, (
        f"URL names without an access-matrix entry: {', '.join(missing)} — "
        "add them to tests/security/matrix.py"
    )


def test_the_matrix_names_no_url_that_no_longer_exists():
    stale = sorted(set(MATRIX) - url_names())
    assert not stale, f"remove from tests/security/matrix.py: {', '.join(stale)}"


def test_every_entry_covers_every_role_and_method():
    for name, entries in MATRIX.items():
        assert entries, name
        for case in entries:
            assert set(case.get) == set(ROLES), name
            assert set(case.post) == set(ROLES), name


def test_the_enumeration_finds_nested_namespaces():
    names = url_names()
    assert {"home", "units:unit_list", "review:claim_act", "workbook:ranking"} <= names
    assert not any(n.startswith("admin:") for n in names)


ADMIN_URLS = ["/admin/", "/admin/units/user/", "/admin/projects/project/"]


@pytest.mark.parametrize("path", ADMIN_URLS)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_django_admin_refuses_everyone_but_the_administrator(world, db, role, path):
    client = client_for(world, role)
    before = fingerprint()
    for response in (client.get(path), client.post(path, {})):
        assert response.status_code in (302, 403), f"{role} {path}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].split("?")[0] in ("/admin/login/", LOGIN_PATH)
    assert fingerprint() == before


@pytest.mark.parametrize("path", ADMIN_URLS)
def test_django_admin_opens_for_the_administrator(world, db, path):
    assert client_for(world, "admin").get(path).status_code == 200
