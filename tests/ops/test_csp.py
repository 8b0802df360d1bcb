"""Every page carries a Content Security Policy that only trusts our own files."""

import django
import pytest
from django.urls import reverse

# The CSP is Django 6's built-in one. Only the documented Python 3.11 fallback (Django 5.2 LTS,
# see README) lacks it; CI and `make run` on Python >= 3.12 always run these tests.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(django.VERSION < (6, 0), reason="Django 5.2 fallback: no built-in CSP"),
]


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_login_page_policy_allows_only_own_files(client):
    csp = policy(client.get(reverse("login")))
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]


def render_with_nonce(rf):
    """A page with an inline script, as ECharts set-up blocks are written."""
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">go()</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    return ContentSecurityPolicyMiddleware(view)(rf.get("/"))


def test_inline_script_nonce_matches_the_header(rf):
    response = render_with_nonce(rf)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert len(nonce) >= 16
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]


def test_nonce_is_fresh_per_request(rf):
    first = policy(render_with_nonce(rf))["script-src"]
    second = policy(render_with_nonce(rf))["script-src"]
    assert first != second


def test_logged_in_pages_carry_the_policy(login, staff_a):
    response = login(staff_a).get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert "'self'" in policy(response)["script-src"]
