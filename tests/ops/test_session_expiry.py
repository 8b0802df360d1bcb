"""A login lasts one working day at most and ends when the browser closes."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in_through_the_form(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_session_cookie_dies_with_the_browser(client, staff_a):
    response = log_in_through_the_form(client, staff_a)
    cookie = response.cookies["sessionid"]
    # No Expires/Max-Age: the browser forgets the login when it closes.
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]


def test_session_expires_after_eight_hours(client, staff_a):
    log_in_through_the_form(client, staff_a)
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    remaining = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < remaining <= datetime.timedelta(hours=8)


def test_expired_session_sends_user_back_to_login(client, staff_a):
    log_in_through_the_form(client, staff_a)
    assert "用户登录" not in client.get(reverse("home"), follow=True).content.decode()
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "用户登录" in response.content.decode()
