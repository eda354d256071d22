"""Hours on the store's own clock: 24-hour text, no offset, no numbers; what is read goes back."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jewelguard.accounts.models import BusinessHours, HoursException, Store

STORE = {
    "name": "Cherry Creek Diamonds",
    "street_address": "3000 E 1st Ave",
    "postal_code": "80206",
    "country": "US",
}


@pytest.fixture
def token_client(owner_token) -> Client:
    return Client(headers={"Authorization": f"Bearer {owner_token}"})


def post(client: Client, payload: dict[str, object]):
    return client.post("/api/stores", json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        ("10:00+02:00", "18:00"),  # an offset beside a plain time broke the comparison: 500
        ("10:00Z", "18:00Z"),  # offsets on both reached the database, which refused them: 500
        (36000, 64800),  # seconds since midnight were read as UTC times: 500
        ("10:00:30", "18:00"),  # seconds the form would refuse
        ("10", "18"),
        ("24:00", "18:00"),
        ("10:00\n", "18:00"),
    ],
    ids=["offset-on-one", "offsets-on-both", "seconds-as-numbers", "seconds", "hours-only",
         "hour-24", "trailing-newline"],
)  # fmt: skip
def test_times_other_than_24_hour_hh_mm_are_refused_on_the_day(token_client, opens, closes):
    before = (Store.objects.count(), BusinessHours.objects.count())
    response = post(
        token_client, {**STORE, "hours": {"monday": {"opens": opens, "closes": closes}}}
    )
    assert response.status_code == 422, response.content
    assert ["body", "payload", "hours", "monday", "opens"] in [
        e["loc"] for e in response.json()["detail"]
    ]
    assert (Store.objects.count(), BusinessHours.objects.count()) == before


@pytest.mark.parametrize("day", [0, "20261224", "2026-12-24T00:00:00", "24/12/2026"])
def test_special_days_are_dates_written_yyyy_mm_dd(token_client, day):
    response = post(token_client, {**STORE, "exceptions": [{"date": day}]})
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["body", "payload", "exceptions", 0, "date"]
    ]
    assert HoursException.objects.count() == 0


def test_hours_read_from_the_api_can_be_sent_back_unchanged(token_client):
    # given a store with weekday hours and a short special day
    created = post(
        token_client,
        {
            **STORE,
            "hours": {"monday": {"opens": "09:30", "closes": "18:00"}},
            "exceptions": [
                {"date": "2026-12-24", "label": "Eve", "opens": "10:00", "closes": "14:00"}
            ],
        },
    ).json()
    # when it is read, and what was read is sent back
    path = f"/api/stores/{created['id']}"
    read = token_client.get(path).json()
    sent_back = token_client.put(path, json.dumps(read), content_type="application/json")
    # then it is taken, and the hours, special days and placing are as they were
    assert read["hours"] == {"monday": {"opens": "09:30", "closes": "18:00"}}
    assert sent_back.status_code == 200, sent_back.content
    kept = sent_back.json()
    assert (kept["hours"], kept["exceptions"]) == (read["hours"], read["exceptions"])
    assert kept["location_source"] == read["location_source"] == "postal_code"
