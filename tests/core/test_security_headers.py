"""Security headers on every page, and the production settings that need HTTPS."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

import jewelguard.settings
from tests.conftest import PASSWORD, client_for

SETTINGS_FILE = Path(jewelguard.settings.__file__)
# What production mode changes about cookies and transport security.
TRANSPORT_SETTINGS = [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT",
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
]  # fmt: skip


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "store"])
def test_pages_carry_the_security_headers(client, store, path):
    if path == "store":
        client.force_login(store.member.owner)
        path = f"/me/stores/{store.pk}/"
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_answers_carry_nosniff_too(store):
    response = client_for(store.member.owner).get("/api/stores")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(client, store):
    client.force_login(store.member.owner)
    for path in ("/", f"/me/stores/{store.pk}/", f"/me/stores/{store.pk}/edit/", "/me/staff/"):
        page = client.get(path).content.decode()
        assert "<script>" not in page
        assert " onclick=" not in page and " onload=" not in page


@pytest.fixture
def production(monkeypatch, tmp_path) -> dict[str, Any]:
    """The settings module as production mode computes them, from its environment."""
    monkeypatch.setenv("JEWELGUARD_DEBUG", "0")
    monkeypatch.setenv("JEWELGUARD_SECRET_KEY", "k" * 20 + "production-secret-key-for-tests")
    monkeypatch.setenv("JEWELGUARD_ALLOWED_HOSTS", "jewelguard.example.org")
    monkeypatch.setenv("JEWELGUARD_DATA_DIR", str(tmp_path))
    return runpy.run_path(str(SETTINGS_FILE))


def test_production_mode_asks_for_secure_cookies_and_hsts(production):
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
    assert (
        "'unsafe-inline'" not in production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"]
    )


def test_production_https_request_gets_hsts_and_secure_cookies(production, member):
    with override_settings(**{name: production[name] for name in TRANSPORT_SETTINGS}):
        client = Client()
        # an HTTPS request, as the reverse proxy reports it
        page = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert page.cookies["csrftoken"]["secure"] is True
        logged_in = client.post(
            "/accounts/login/",
            {"login": member.owner.email, "password": PASSWORD},
            headers={"X-Forwarded-Proto": "https", "Referer": "https://testserver/"},
        )
        assert logged_in.status_code == 302
        assert logged_in.cookies["sessionid"]["secure"] is True
        assert logged_in.cookies["sessionid"]["httponly"] is True
        # plain HTTP is never told to stick to HTTPS (browsers ignore it there anyway)
        assert "Strict-Transport-Security" not in Client().get("/")


def test_debug_mode_sends_no_hsts(client, db):
    assert "Strict-Transport-Security" not in client.get("/", secure=True)
