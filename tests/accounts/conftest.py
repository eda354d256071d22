"""Fixtures for the accounts room: clean rate limits, API clients, store input that works."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from jewelguard.accounts import services
from jewelguard.accounts.models import BusinessHours, HoursException, Store, User

LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth counts failed logins and sign-ups in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def token_client(token: str, **extra: Any) -> Client:
    """A client that speaks to the API the way an integration does: a token, no cookies."""
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"}, **extra)


def api_token_for(user: User) -> str:
    _api_token, token = services.api_token_create(user=user, name="Point of sale")
    return token


def store_payload(**overrides: Any) -> dict[str, Any]:
    """A store the API accepts, with overrides."""
    payload: dict[str, Any] = {
        "name": "Cherry Creek Diamonds",
        "street_address": "3000 E 1st Ave",
        "postal_code": "80206",
        "country": "US",
        "hours": {"monday": {"opens": "10:00", "closes": "18:00"}},
    }
    payload.update(overrides)
    return payload


def store_form_data(**overrides: Any) -> dict[str, str]:
    """What the store form posts for a store it accepts, with overrides."""
    data = {
        "name": "Cherry Creek Diamonds",
        "street_address": "3000 E 1st Ave",
        "city": "",
        "country": "US",
        "postal_code": "80206",
        "latitude": "",
        "longitude": "",
        "monday_opens": "10:00",
        "monday_closes": "18:00",
    }
    data.update(overrides)
    return data


def saved_rows() -> tuple[int, int, int]:
    """How many stores, weekday hours and special days exist: unchanged after a refusal."""
    return Store.objects.count(), BusinessHours.objects.count(), HoursException.objects.count()


def api_error_fields(response: Any) -> set[str]:
    """The payload fields a 422 answer blames (the top of each error's location)."""
    return {str(error["loc"][2]) for error in response.json()["detail"]}


def api_error_paths(response: Any) -> set[str]:
    """Every name in the locations a 422 answer gives, nested ones included."""
    return {str(part) for error in response.json()["detail"] for part in error["loc"][2:]}


def links_in(body: str) -> list[str]:
    return LINK.findall(body)
