"""Login and logout in Chinese; every page but login needs a login."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户登录" in body
    assert 'lang="zh-CN"' in body


@pytest.mark.parametrize(
    "url", ["/", "/units/", "/groups/", "/units/1/", "/groups/1/edit/", "/units/add/"]
)
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_password_gets_chinese_message(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_logout_returns_to_login(login, staff_a):
    client = login(staff_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_navigation_shows_role_and_unit(login, staff_a):
    body = login(staff_a).get("/", follow=True).content.decode()
    assert "单位填报员" in body
    assert "甲县" in body


@pytest.mark.parametrize(
    ("fixture", "workspace"),
    [
        ("staff_a", "/units/"),
        ("head_a", "/units/"),
        ("coordinator", "/groups/"),
        ("leader", "/dashboard/"),
        ("reviewer", "/dashboard/"),
    ],
)
def test_each_role_lands_on_its_to_do_with_a_way_to_its_workspace(
    request, login, fixture, workspace
):
    """Issue 18: every role's home is its to-do panel, with the link to the page it works from
    (the unit's page, the group's workspace, the dashboard) at the top."""
    user = request.getfixturevalue(fixture)
    response = login(user).get("/")
    assert response.status_code == 200
    assert response.context["workspace"][1].startswith(workspace)
    assert 'data-testid="todo"' in response.content.decode()


def test_admin_lands_on_home_with_admin_link(login, admin_user):
    response = login(admin_user).get("/")
    assert response.status_code == 200
    assert "系统管理" in response.content.decode()
