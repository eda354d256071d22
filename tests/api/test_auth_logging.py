"""A credential sent to the API never reaches the logs, however it is malformed."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from jewelguard.accounts import services
from jewelguard.accounts.models import ApiToken


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("scheme", ["Token", "Basic", "", "Bearer:"])
def test_a_malformed_authorization_header_is_not_logged(db, caplog, owner_token, debug, scheme):
    # given a client that sends a real token under the wrong scheme
    header = f"{scheme} {owner_token}".strip()

    # when it calls the API, in debug mode or not
    with override_settings(DEBUG=debug), caplog.at_level(logging.DEBUG):
        response = Client().get("/api/stores", headers={"Authorization": header})

    # then it is refused, and no log line holds the token
    assert response.status_code == 401
    secret = owner_token.removeprefix("jg_")
    assert all(secret not in record.getMessage() for record in caplog.records), [
        record.getMessage() for record in caplog.records
    ]


def test_a_token_under_the_right_scheme_still_works(db, owner_token):
    response = Client().get("/api/stores", headers={"Authorization": f"Bearer {owner_token}"})

    assert response.status_code == 200


def test_token_use_is_recorded_at_most_once_a_minute(db, member):
    api_token, secret = services.api_token_create(user=member.owner, name="Till")
    headers = {"Authorization": f"Bearer {secret}"}
    long_ago = timezone.now() - timedelta(minutes=5)
    just_now = timezone.now() - timedelta(seconds=10)

    # a use five minutes after the last is recorded
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=long_ago)
    assert Client().get("/api/stores", headers=headers).status_code == 200
    assert ApiToken.objects.get(pk=api_token.pk).last_used_at > long_ago

    # a use ten seconds after the last is not written again
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=just_now)
    assert Client().get("/api/stores", headers=headers).status_code == 200
    assert ApiToken.objects.get(pk=api_token.pk).last_used_at == just_now


def test_a_deactivated_users_token_is_refused(db, member):
    _api_token, secret = services.api_token_create(user=member.owner, name="Till")
    member.owner.is_active = False
    member.owner.save(update_fields=["is_active"])

    response = Client().get("/api/stores", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401
