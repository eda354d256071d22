"""Any text at all in a store's free-text fields, through the API: saved clean or refused."""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jewelguard.accounts.models import HoursException, Store
from jewelguard.core.text import REFUSED_CATEGORIES, TextRefusedError, single_line_clean

# Where each free-text field is saved, and the payload field a refusal names.
TEXT_FIELDS = {
    "name": "name",
    "street_address": "street_address",
    "city": "city",
    "label": "exceptions",
}


def payload_with(field: str, text: str) -> dict[str, object]:
    payload: dict[str, object] = {
        "name": "Cherry Creek Diamonds",
        "street_address": "3000 E 1st Ave",
        "postal_code": "80206",
        "country": "US",
        "exceptions": [{"date": "2026-12-24", "label": "Christmas Eve"}],
    }
    if field == "label":
        payload["exceptions"] = [{"date": "2026-12-24", "label": text}]
    else:
        payload[field] = text
    return payload


def saved_text(store_id: int, field: str) -> str:
    if field == "label":
        return HoursException.objects.get(store_id=store_id).label
    return str(getattr(Store.objects.get(pk=store_id), field))


def has_hidden_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in text)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    field=st.sampled_from(sorted(TEXT_FIELDS)),
    # Every code point JSON can carry as UTF-8, NUL and other control characters included.
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
)
def test_any_text_is_saved_stripped_or_refused_on_its_field(owner_token, field, text):
    # given a member's token and any text in one free-text field
    client = Client(headers={"Authorization": f"Bearer {owner_token}"})
    before = (Store.objects.count(), HoursException.objects.count())
    # when a store is added with it (a server error fails here, on SQLite and PostgreSQL)
    response = client.post(
        "/api/stores", json.dumps(payload_with(field, text)), content_type="application/json"
    )
    # then it is saved normalised and on one line, or refused naming that field, nothing saved
    if response.status_code == 201:
        saved = saved_text(response.json()["id"], field)
        # A blank city is the ZIP code's own.
        assert saved == (single_line_clean(value=text) or ("Denver" if field == "city" else ""))
        assert not has_hidden_characters(saved)
    else:
        assert response.status_code == 422, response.content
        if has_hidden_characters(text):
            with pytest.raises(TextRefusedError):
                single_line_clean(value=text)
        assert TEXT_FIELDS[field] in {str(e["loc"][2]) for e in response.json()["detail"]}
        assert (Store.objects.count(), HoursException.objects.count()) == before


def test_a_nul_in_a_special_days_label_is_refused_on_exceptions(owner_token):
    # given a special day whose label carries a NUL (PostgreSQL refused it with a 500)
    client = Client(headers={"Authorization": f"Bearer {owner_token}"})
    payload = payload_with("label", "Christmas\x00Eve")
    # when the store is added
    response = client.post("/api/stores", json.dumps(payload), content_type="application/json")
    # then the row is named and nothing is saved
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "exceptions", 0, "label"]
    assert "Use one line of visible text" in error["msg"]
    assert Store.objects.count() == 0
