"""The front page, the error pages and the health check."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.conftest import client_for


def test_home_page_invites_visitors_to_join(client, db):
    page = client.get("/").content.decode()
    assert "Safer stores, together" in page
    assert 'href="/accounts/signup/"' in page
    assert 'aria-current="page"' in page


def test_home_page_greets_a_signed_in_member(member):
    page = client_for(member.owner).get("/").content.decode()
    assert "Go to my JewelGuard" in page
    assert "Log out" in page


def test_pages_have_landmarks_and_a_skip_link(client, db):
    page = client.get("/").content.decode()
    assert page.index('class="skip-link" href="#content"') < page.index("<header")
    for landmark in ('<header', '<nav class="main" aria-label="Main"', '<main id="content"',
                     "<footer"):  # fmt: skip
        assert landmark in page
    assert '<html lang="en">' in page


def test_health_check_says_ok(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(DEBUG=False)
def test_unknown_page_gets_a_helpful_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and 'href="/"' in page


@override_settings(DEBUG=False)
def test_forbidden_page_says_why(officer):
    response = client_for(officer).get("/me/stores/new/")
    assert response.status_code == 403
    assert "Your account may not do this." in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_server_error_page_renders_without_a_request(language):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        page = render_to_string("500.html")
    assert "911" in page
