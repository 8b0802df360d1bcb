"""Requests Django refuses before a view runs get Chinese pages: 413 for an oversized form body,
400 for other bad requests (Django's default 400 page is English)."""

import pytest

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_an_oversized_form_body_gets_the_chinese_413_page(client, settings, staff_a):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/login/", {"username": "staff_a", "password": PASSWORD, "x": "长" * 2000}
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "提交内容过大" in text
    assert "Bad Request" not in text


@pytest.mark.django_db
def test_too_many_fields_gets_the_chinese_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post("/login/", {f"f{i}": "1" for i in range(50)})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_host_gets_the_chinese_400_page(client):
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
