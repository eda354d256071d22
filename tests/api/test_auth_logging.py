"""A credential sent to the API never reaches the logs, however it is malformed."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings


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
