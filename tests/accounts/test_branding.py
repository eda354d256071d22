"""Account pages and e-mails speak as JewelGuard, with the words the menu uses, in both
languages."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.test import Client

from tests.conftest import PASSWORD, client_for, make_user


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _sign_up(client: Client, email: str) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Rosa Delgado",
            "business_name": "Goldenrod Jewelers",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_confirmation_email_is_branded_and_plain(
    transactional_db, tasks_immediate, mailoutbox, settings
):
    settings.JEWELGUARD_SITE_URL = "https://jewelguard.example.org"
    # when a jeweler joins
    _sign_up(Client(), "rosa@goldenrod.example")

    # then the e-mail comes from JewelGuard, not from a host name, in the site's words
    (message,) = mailoutbox
    assert message.subject == "[JewelGuard] Confirm your e-mail address"
    assert "Hello from" not in message.body
    assert "testserver" not in message.body.split("/accounts/confirm-email/")[0]
    assert "join JewelGuard" in message.body
    assert "The JewelGuard team\nhttps://jewelguard.example.org/" in message.body


def test_confirmation_email_in_french_says_courriel(transactional_db, tasks_immediate, mailoutbox):
    _sign_up(Client(headers={"accept-language": "fr-CA"}), "rosa@goldenrod.example")

    (message,) = mailoutbox
    assert message.subject == "[JewelGuard] Confirmez votre adresse courriel"
    assert "e-mail" not in message.body.lower()
    assert "L'équipe JewelGuard" in message.body


def test_site_name_comes_from_configuration(
    transactional_db, tasks_immediate, mailoutbox, settings
):
    settings.JEWELGUARD_SITE_NAME = "Partner for Protection"
    _sign_up(Client(), "rosa@goldenrod.example")

    assert "The Partner for Protection team" in mailoutbox[0].body


def test_login_and_join_pages_use_the_menus_words(db):
    login = _text(Client().get("/accounts/login/").content.decode())
    signup = _text(Client().get("/accounts/signup/").content.decode())

    for page in (login, signup):
        assert "Sign In" not in page
        assert "Sign Up" not in page
        assert "Remember Me" not in page
    assert "Log in" in login
    assert "Remember me" in login
    assert "Join" in signup
    assert "Already have an account? Log in" in signup


def test_french_account_pages_say_courriel_everywhere(db):
    client = Client(headers={"accept-language": "fr-CA"})
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        page = _text(client.get(path).content.decode())
        assert "e-mail" not in page.lower(), (path, page)
        assert "ourriel" in page, path


def test_confirming_in_a_browser_where_someone_else_is_logged_in_keeps_them_logged_in(
    transactional_db, tasks_immediate, mailoutbox
):
    # given a colleague logged in on this browser
    colleague = make_user("chris@frontrange.example")
    browser = client_for(colleague)
    # and a jeweler who joined elsewhere
    _sign_up(Client(), "rosa@goldenrod.example")
    link = re.search(r"http\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link
    path = "/" + link.group(0).split("/", 3)[3]

    # when the link is opened and confirmed here
    assert browser.get(path).status_code == 200
    response = browser.post(path, follow=True)

    # then the address is confirmed, and the colleague is still logged in, and told so
    assert EmailAddress.objects.get(email="rosa@goldenrod.example").verified
    assert response.wsgi_request.user == colleague
    assert "rosa@goldenrod.example is confirmed; you are still logged in as" in _text(
        response.content.decode()
    )
