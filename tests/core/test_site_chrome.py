"""The parts of every page: footer links, the privacy and terms pages, quiet refusals."""

from __future__ import annotations

import logging

from django.test import Client

from tests.conftest import client_for


def test_footer_links_to_contact_privacy_and_terms(db):
    page = Client().get("/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]

    for path in ("/playbook/contact/", "/privacy/", "/terms/"):
        assert f'href="{path}"' in footer
        assert Client().get(path).status_code == 200


def test_privacy_page_says_what_is_kept_in_both_languages(db):
    english = Client().get("/privacy/").content.decode()
    french = Client(headers={"accept-language": "fr-CA"}).get("/privacy/").content.decode()

    assert "one-way hash" in english
    assert "no advertising or tracking cookies" in english
    assert "Confidentialité" in french
    assert "aucun témoin publicitaire" in french


def test_a_refusal_is_logged_in_one_line_without_traceback(staff_user, store, caplog):
    # given a staff member who may not remove the store
    client = client_for(staff_user)

    # when they try
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(f"/me/stores/{store.pk}/delete/")

    # then they are refused, and the log says so in one line, naming no one
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert (
        line
        == f"WARNING django.request Forbidden (Permission denied): /me/stores/{store.pk}/delete/"
    )
    assert staff_user.email not in line
