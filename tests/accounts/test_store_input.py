"""Bad store input, on the form and through the API: a clear error naming the field, and
nothing saved."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jewelguard.accounts.models import LocationSource, Store
from tests.accounts.conftest import (
    api_error_fields,
    api_error_paths,
    saved_rows,
    store_form_data,
    store_payload,
)
from tests.conftest import client_for

TORONTO = {"latitude": "43.6532", "longitude": "-79.3832"}
MONTREAL = {"latitude": "45.5017", "longitude": "-73.5673"}


def post_form(client, **fields):
    return client.post("/me/stores/new/", store_form_data(**fields))


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form should be shown again"
    return {k: list(v) for k, v in response.context["form"].errors.items()}


# ----------------------------------------------------------------------------- the form


def test_form_adds_a_store_placed_by_its_zip_code(member_client, member):
    # when a member adds a store by ZIP code with Monday's hours
    response = post_form(member_client)
    # then it is placed at the ZIP code's centroid, in its time zone, with those hours
    store = Store.objects.get()
    assert response["Location"] == f"/me/stores/{store.pk}/"
    assert (store.city, store.region, store.time_zone) == ("Denver", "CO", "America/Denver")
    assert store.location_source == LocationSource.POSTAL_CODE
    assert [str(h) for h in store.hours.all()] == ["Monday 10:00-18:00"]


def test_form_adds_a_canadian_store_picked_on_the_map(member_client):
    post_form(member_client, country="CA", postal_code="h2y1c6", **MONTREAL)
    store = Store.objects.get()
    assert (store.postal_code, store.region) == ("H2Y 1C6", "QC")
    assert store.location_source == LocationSource.MAP
    assert store.time_zone in ("America/Toronto", "America/Montreal")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"postal_code": "99999"}, "postal_code", "ZIP code 99999 is not a known U.S. ZIP code."),
        ({"postal_code": "8020"}, "postal_code", "A U.S. ZIP code has five digits, e.g. 80202."),
        ({"postal_code": "09015"}, "postal_code", "military mail code"),
        ({"country": "MX"}, "country", "Select a valid choice."),
        (
            {"country": "CA", "postal_code": "Z9Z 9Z9"},
            "postal_code",
            "A Canadian postal code looks like H2Y 1C6.",
        ),
        (TORONTO, "latitude", "That point is outside the country chosen for the store."),
        (
            {"country": "CA", "postal_code": "V6B 1A1", "latitude": "47.6062",
             "longitude": "-122.3321"},
            "latitude",
            "That point is outside the country chosen for the store.",
        ),
        ({"latitude": "91", "longitude": "-104.99"}, "latitude", "less than or equal to 90"),
        ({"latitude": "39.7", "longitude": "-181"}, "longitude", "greater than or equal to -180"),
        ({"latitude": "39.7"}, "longitude", "Give both latitude and longitude, or neither."),
        ({"latitude": "NaN", "longitude": "-104.99"}, "latitude", "Enter a number."),
        ({"name": "N" * 121}, "name", "at most 120 characters"),
        ({"street_address": "1" * 10_000}, "street_address", "at most 200 characters"),
        ({"name": "   "}, "name", "This field is required."),
        ({"name": "Gems\nand more"}, "name", "Use one line of visible text"),
        (
            {"monday_opens": "18:00", "monday_closes": "10:00"},
            "monday_opens",
            "The store must open before it closes on the same day.",
        ),
        (
            {"monday_opens": "10:00", "monday_closes": ""},
            "monday_opens",
            "Give both an opening and a closing time, or neither if closed.",
        ),
        (
            {"tuesday_opens": "25:00", "tuesday_closes": "18:00"},
            "tuesday_opens",
            "Use a 24-hour time such as 09:30.",
        ),
    ],
    ids=[
        "unknown-zip", "short-zip", "military-zip", "wrong-country", "canada-unknown-letter",
        "us-zip-picked-in-canada", "canada-picked-in-us", "latitude-91", "longitude-minus-181",
        "latitude-alone", "nan", "long-name", "10kB-street", "blank-name", "newline-in-name",
        "closes-before-opens", "opens-only", "hour-25",
    ],
)  # fmt: skip
def test_form_refuses_bad_input_naming_the_field(member_client, fields, field, message):
    # given what exists before
    before = saved_rows()
    # when the member submits the store form with one thing wrong
    response = post_form(member_client, **fields)
    # then the form comes back with the message on that field, and nothing is saved
    errors = form_errors(response)
    assert any(message in text for text in errors.get(field, [])), errors
    assert saved_rows() == before


def test_form_shows_every_problem_the_services_find_at_once(member_client):
    response = post_form(
        member_client, postal_code="99999", monday_opens="19:00", tuesday_opens="09:00"
    )
    errors = form_errors(response)
    assert set(errors) == {"postal_code", "monday_opens", "tuesday_opens"}


def test_form_error_is_shown_next_to_its_field(member_client):
    page = post_form(member_client, postal_code="99999").content.decode()
    label_at = page.index('for="id_postal_code"')
    error_at = page.index("ZIP code 99999 is not a known U.S. ZIP code.")
    input_at = page.index('id="id_postal_code"')
    assert label_at < error_at < input_at
    assert 'aria-invalid="true"' in page[error_at : input_at + 200]


def test_refused_edit_changes_nothing(member_client, store):
    # given a store with its hours
    before = (store.name, [str(h) for h in store.hours.all()])
    # when an edit has a bad ZIP code
    response = member_client.post(
        f"/me/stores/{store.pk}/edit/", store_form_data(name="New name", postal_code="99999")
    )
    # then the page still shows the saved name, and nothing changed
    assert "Edit Front Range Jewelers" in response.content.decode()
    store.refresh_from_db()
    assert (store.name, [str(h) for h in store.hours.all()]) == before


def test_changing_the_zip_code_moves_a_store_placed_by_zip(member_client, store):
    # given a store placed from ZIP 80202 (Denver), whose edit form shows its city
    form = member_client.get(f"/me/stores/{store.pk}/edit/").context["form"]
    assert form.initial["city"] == "Denver"
    assert "latitude" not in form.initial
    # when the member changes only the ZIP code, to Philadelphia's 19103
    data = store_form_data(name=store.name, city="Denver", postal_code="19103")
    member_client.post(f"/me/stores/{store.pk}/edit/", data)
    # then the store moves, with the new city and time zone
    store.refresh_from_db()
    assert (store.city, store.region, store.time_zone) == ("Philadelphia", "PA", "America/New_York")
    assert round(store.latitude, 1) == 40.0


def test_markup_in_a_name_is_stored_as_text_and_shown_escaped(member_client):
    # when a member names a store with markup
    markup = "<script>alert(1)</script>"
    post_form(member_client, name=markup)
    store = Store.objects.get()
    # then the name is kept as typed
    assert store.name == markup
    # and the store page shows it as text: escaped, with no extra script element
    page = member_client.get(f"/me/stores/{store.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert markup not in page
    plain = Store.objects.create(
        **{f.name: getattr(store, f.name) for f in Store._meta.fields if f.name != "id"}
        | {"name": "Plain"}
    )
    assert page.count("<script") == member_client.get(
        f"/me/stores/{plain.pk}/"
    ).content.decode().count("<script")


# ------------------------------------------------------------------------------ the API


def post_api(client, **overrides):
    return client.post("/api/stores", store_payload(**overrides), content_type="application/json")


def test_api_adds_a_store_with_hours_and_special_days(member):
    client = client_for(member.owner)
    response = post_api(
        client,
        exceptions=[
            {"date": "2026-12-25", "label": "Christmas"},
            {"date": "2026-12-24", "opens": "10:00", "closes": "14:00"},
        ],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["time_zone"] == "America/Denver"
    assert body["hours"] == {"monday": {"opens": "10:00", "closes": "18:00"}}
    assert [e["date"] for e in body["exceptions"]] == ["2026-12-24", "2026-12-25"]


def _days(n: int) -> list[dict[str, str]]:
    start = date(2026, 1, 1)
    return [{"date": (start + timedelta(days=i)).isoformat()} for i in range(n)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"postal_code": "99999"}, "postal_code"),
        ({"country": "MX"}, "country"),
        ({"country": "CA", "postal_code": "W1A 0AX"}, "postal_code"),
        ({"latitude": 43.6532, "longitude": -79.3832}, "latitude"),
        ({"latitude": 91, "longitude": -104.99}, "latitude"),
        ({"latitude": 39.7, "longitude": -181}, "longitude"),
        ({"latitude": 39.7}, "longitude"),
        ({"name": "N" * 121}, "name"),
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "Gems\u0000"}, "name"),
        ({"street_address": "1" * 10_000}, "street_address"),
        ({"hours": {"monday": {"opens": "18:00", "closes": "10:00"}}}, "hours_monday"),
        ({"hours": {"monday": {"opens": "10:00"}}}, "closes"),
        ({"hours": {"someday": {"opens": "10:00", "closes": "18:00"}}}, "hours"),
        ({"exceptions": [{"date": "2026-12-25"}, {"date": "2026-12-25"}]}, "exceptions"),
        ({"exceptions": [{"date": "2026-12-24", "opens": "14:00"}]}, "exceptions"),
        ({"exceptions": _days(367)}, "exceptions"),
    ],
    ids=[
        "unknown-zip", "wrong-country", "canada-bad-letter", "us-zip-picked-in-canada",
        "latitude-91", "longitude-minus-181", "latitude-alone", "long-name", "empty-name",
        "blank-name", "nul-in-name", "10kB-street", "closes-before-opens", "opens-only",
        "unknown-weekday", "duplicate-holiday", "holiday-opens-only", "367-special-days",
    ],
)  # fmt: skip
def test_api_refuses_bad_input_naming_the_field(member, overrides, field):
    before = saved_rows()
    response = post_api(client_for(member.owner), **overrides)
    assert response.status_code == 422, response.content
    assert field in api_error_paths(response), response.json()
    assert saved_rows() == before


def test_api_accepts_a_full_year_of_special_days(member):
    response = post_api(client_for(member.owner), exceptions=_days(366))
    assert response.status_code == 201
    assert len(response.json()["exceptions"]) == 366


def test_api_duplicate_holiday_message_names_the_row(member):
    response = post_api(
        client_for(member.owner),
        exceptions=[{"date": "2026-12-25"}, {"date": "2026-12-26"}, {"date": "2026-12-25"}],
    )
    assert response.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "payload", "exceptions"],
            "msg": "Row 3: 2026-12-25 is listed twice.",
        }
    ]


def test_api_refused_update_leaves_store_and_hours_alone(store):
    client = client_for(store.member.owner)
    before = (store.name, store.latitude, [str(h) for h in store.hours.all()])
    response = client.put(
        f"/api/stores/{store.pk}",
        store_payload(name="Renamed", hours={"monday": {"opens": "18:00", "closes": "09:00"}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    store.refresh_from_db()
    assert (store.name, store.latitude, [str(h) for h in store.hours.all()]) == before


def test_api_refuses_malformed_json(member):
    response = client_for(member.owner).post(
        "/api/stores", "{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert Store.objects.count() == 0


# ------------------------------------------------------------------------ properties

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def as_written(text: str) -> str:
    """What a name is kept as: composed (NFC), with runs of any space made one."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@PROPERTY_SETTINGS
@given(name=st.text(max_size=130))
def test_any_name_through_the_api_is_saved_stripped_or_refused_on_name(member, name):
    # given any text at all as a store name
    before = Store.objects.count()
    # when it is sent to the API (a server error would raise here)
    response = post_api(client_for(member.owner), name=name)
    # then the store is saved with that name as written text (NFC, spaces trimmed and
    # collapsed), or the name is refused
    if response.status_code == 201:
        assert Store.objects.get(pk=response.json()["id"]).name == as_written(name)
        assert name.strip()
    else:
        assert response.status_code == 422
        assert api_error_fields(response) == {"name"}
        assert Store.objects.count() == before


@PROPERTY_SETTINGS
@given(name=st.text(max_size=130))
def test_any_name_on_the_form_is_saved_stripped_or_refused_on_name(member, name):
    before = Store.objects.count()
    response = post_form(client_for(member.owner), name=name)
    if response.status_code == 302:
        assert Store.objects.latest("pk").name == as_written(name)
    else:
        assert set(form_errors(response)) == {"name"}
        assert Store.objects.count() == before


def test_api_refuses_a_name_that_is_not_valid_unicode(member):
    body = (
        '{"name": "\\ud800", "street_address": "1 Main", "postal_code": "80202", "country": "US"}'
    )
    response = client_for(member.owner).post("/api/stores", body, content_type="application/json")
    assert response.status_code == 422
    assert api_error_fields(response) == {"name"}
    assert Store.objects.count() == 0
