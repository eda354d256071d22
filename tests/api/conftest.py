"""Fixtures for the JSON API: a member's bearer token, and Django served as a bare WSGI app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from jewelguard.accounts import services
from jewelguard.accounts.models import Member


@pytest.fixture
def owner_token(member: Member) -> str:
    """A bearer token of the member who owns ``store``, as a point-of-sale integration holds."""
    _api_token, token = services.api_token_create(user=member.owner, name="Point of sale")
    return token


@pytest.fixture
def wsgi_in_test_transaction(db: None) -> Iterator[None]:
    """Let requests sent straight to the WSGI app share the test's database transaction.

    Django closes the connection at the end of each request; inside a test transaction that
    would throw away the test's data. Django's own test client unhooks the same signal.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
