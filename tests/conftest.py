"""Shared fixtures: a small city with two units in one group and a login for every role."""

import pytest

from tests.factories import GroupFactory, UnitFactory, UserFactory, add_member
from units.models import Role


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run inside the request that queues them, so a test sees a job's end at
    # once; tests/jobs/test_db_worker.py runs the real queue and its worker.
    immediate = f"{settings.TASKS_FRAMEWORK}.backends.immediate.ImmediateBackend"
    settings.TASKS = {"default": {"BACKEND": immediate, "QUEUES": ["default"]}}


@pytest.fixture
def unit_a(db):
    return UnitFactory(name="甲县")


@pytest.fixture
def unit_b(db):
    return UnitFactory(name="乙县")


@pytest.fixture
def lead_unit(db):
    return UnitFactory(name="市发改委", unit_type="city_dept")


@pytest.fixture
def group(db, lead_unit, unit_a):
    g = GroupFactory(year=2026, name="第一招商协作组", lead_unit=lead_unit)
    add_member(g, lead_unit)
    add_member(g, unit_a)
    return g


@pytest.fixture
def staff_a(db, unit_a):
    return UserFactory(username="staff_a", role=Role.UNIT_STAFF, unit=unit_a)


@pytest.fixture
def staff_b(db, unit_b):
    return UserFactory(username="staff_b", role=Role.UNIT_STAFF, unit=unit_b)


@pytest.fixture
def head_a(db, unit_a):
    return UserFactory(username="head_a", role=Role.UNIT_HEAD, unit=unit_a)


@pytest.fixture
def coordinator(db, lead_unit, group):
    return UserFactory(username="coord", role=Role.COORDINATOR, unit=lead_unit)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role=Role.REVIEWER, unit=None)


@pytest.fixture
def reviewer2(db):
    """A second 考核办 reviewer: steps of one claim need different people (SPEC §4)."""
    return UserFactory(username="reviewer2", role=Role.REVIEWER, unit=None)


@pytest.fixture
def reviewer3(db):
    return UserFactory(username="reviewer3", role=Role.REVIEWER, unit=None)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=Role.LEADER, unit=None)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin", role=Role.ADMIN, unit=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user.

    force_login: the session a password login gives, without checking the password each time
    (half the cost, on ~2,000 logins). Password logins are tested where they are the subject
    (tests/ops/test_lockout.py, the login journey); the factories' password still works."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _axes_off_except_lockout_tests(settings):
    """django-axes refuses authenticate() without a request, which client.login() cannot give.

    Lockout is switched off for every test; tests/ops/test_lockout.py switches it back on.
    """
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: test databases are rolled back between tests, and
    a data version (zhaoshang.ops.dataversion) can repeat across them."""
    from django.core.cache import cache

    cache.clear()
    yield
