"""Five wrong passwords lock that username out from that address for half an hour."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


def attempt(client, username, password, ip="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail_five_times(client, username, ip="10.0.0.7"):
    for _ in range(5):
        attempt(client, username, "wrong-password", ip)


def test_four_failures_still_allow_the_right_password(client, staff_a):
    for _ in range(4):
        response = attempt(client, "staff_a", "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    assert attempt(client, "staff_a", PASSWORD).status_code == 302


def test_fifth_failure_locks_out_with_chinese_page(client, staff_a):
    fail_five_times(client, "staff_a")
    response = attempt(client, "staff_a", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录已暂时锁定" in body
    assert "30 分钟后重试" in body
    # Locked out means the right password does not log in either.
    assert client.get(reverse("home")).status_code == 302


def test_lockout_is_per_username_and_address(client, staff_a, staff_b):
    fail_five_times(client, "staff_a", ip="10.0.0.7")
    assert attempt(client, "staff_b", PASSWORD, ip="10.0.0.7").status_code == 302
    client.logout()
    assert attempt(client, "staff_a", PASSWORD, ip="10.0.0.8").status_code == 302


def test_success_resets_the_failure_count(client, staff_a):
    for _ in range(4):
        attempt(client, "staff_a", "wrong-password")
    assert attempt(client, "staff_a", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "staff_a", "wrong-password")
    assert attempt(client, "staff_a", PASSWORD).status_code == 302


def test_client_address_behind_a_trusted_proxy(rf, monkeypatch):
    from zhaoshang import settings as project_settings

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    monkeypatch.setattr(project_settings, "TRUSTED_PROXY_COUNT", 0)
    assert project_settings.client_ip(request) == "127.0.0.1"
    # One nginx in front: its own entry is the last one; anything left of it is spoofable.
    monkeypatch.setattr(project_settings, "TRUSTED_PROXY_COUNT", 1)
    assert project_settings.client_ip(request) == "203.0.113.9"
