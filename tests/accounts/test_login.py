"""Signing in with e-mail and password, and the brake on guessing passwords."""

from __future__ import annotations

from django.test import Client

from jewelguard.accounts import services
from tests.conftest import PASSWORD

WRONG = "not-the-password"


def log_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    return client.get("/me/").status_code == 200


def test_member_logs_in_with_email_in_any_case(member):
    client = Client()
    response = log_in(client, "Ana@FrontRange.example", PASSWORD)
    assert response["Location"] == "/me/"
    assert signed_in(client)


def test_wrong_password_says_so_without_telling_which_part(member):
    response = log_in(Client(), member.owner.email, WRONG)
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_sixth_attempt_after_five_wrong_passwords_is_refused_even_when_right(member):
    client = Client()
    # given five wrong passwords in a row
    for _attempt in range(5):
        assert log_in(client, member.owner.email, WRONG).status_code == 200
    # when the sixth attempt uses the right password
    response = log_in(client, member.owner.email, PASSWORD)
    # then it is refused, with a message that says why and what to do
    assert response.status_code == 200
    page = response.content.decode()
    assert "Too many failed login attempts. Wait a few minutes before trying again" in page
    assert "or reset your password." in page
    assert not signed_in(client)


def test_throttle_counts_per_account_across_addresses(member):
    # five failures for one account from one address...
    for _attempt in range(5):
        log_in(Client(REMOTE_ADDR="203.0.113.7"), member.owner.email, WRONG)
    # ...lock that account from another address too
    client = Client(REMOTE_ADDR="198.51.100.9")
    response = log_in(client, member.owner.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


def test_right_password_before_the_limit_still_works(member):
    client = Client()
    for _attempt in range(4):
        log_in(client, member.owner.email, WRONG)
    assert log_in(client, member.owner.email, PASSWORD)["Location"] == "/me/"


def test_unconfirmed_address_cannot_log_in_until_confirmed(db):
    services.user_create(email="new@example.com", password=PASSWORD, email_verified=False)
    client = Client()
    response = log_in(client, "new@example.com", PASSWORD)
    assert response["Location"] == "/accounts/confirm-email/"
    assert not signed_in(client)


def test_logout_needs_a_post(member):
    client = Client()
    client.force_login(member.owner)
    assert client.get("/accounts/logout/").status_code == 200  # asks to confirm
    assert signed_in(client)
    client.post("/accounts/logout/")
    assert not signed_in(client)


def test_lockout_message_is_french_for_french_readers(member):
    client = Client()
    client.cookies["django_language"] = "fr-ca"
    for _attempt in range(5):
        log_in(client, member.owner.email, WRONG)
    page = log_in(client, member.owner.email, PASSWORD).content.decode()
    assert "Trop de tentatives de connexion ont échoué." in page
