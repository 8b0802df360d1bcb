"""One world per test module, inside a transaction that is rolled back when the module ends.

Each test runs in its own savepoint (pytest-django's `db`), so what a test changes is undone
before the next one, and the world is built once instead of several hundred times.
"""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("security_media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)
