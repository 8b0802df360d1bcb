"""An unreachable or locked database is a Chinese 503 page with Retry-After, not the generic
500; a database error that is a bug stays a 500 (issue 21)."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from zhaoshang.web.errors import database_unavailable


def _get(browser, message, usable=True):
    """Open the home page with every statement failing with `message` — patched for the request
    only (the test database's own teardown runs statements too)."""

    def execute(self, sql, params=None):
        raise OperationalError(message)

    with (
        mock.patch.object(CursorWrapper, "execute", execute),
        mock.patch.object(connection, "is_usable", lambda: usable),
    ):
        return browser.get(reverse("home"))


@pytest.fixture
def browser(db, admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def test_database_down_is_a_maintenance_page(browser):
    response = _get(browser, "server closed the connection", usable=False)
    assert response.status_code == 503
    assert "系统维护中" in response.content.decode()
    assert response["Retry-After"] == "120"


def test_sqlite_writer_lock_is_a_busy_page(browser):
    response = _get(browser, "database is locked")
    assert response.status_code == 503
    assert "系统繁忙" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_a_database_error_on_a_working_connection_stays_a_500(browser):
    response = _get(browser, "no such column: x")
    assert response.status_code == 500
    assert "系统暂时出错" in response.content.decode()


def test_only_database_errors_are_classified(db):
    assert database_unavailable(ValueError("database is locked")) is None
    assert database_unavailable(OperationalError("database is locked")) == "busy"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL settings")
def test_postgresql_connections_are_health_checked_and_run_without_jit(db):
    # A kept connection dropped by a server restart is replaced before a request uses it.
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
