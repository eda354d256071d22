"""Input that once crashed a page or slipped through: refused with the field named, never a 500."""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from jewelguard.accounts import services
from jewelguard.accounts.models import ApiToken, Member, StaffInvitation, Store, User
from jewelguard.core.text import (
    REFUSED_CATEGORIES,
    TextRefusedError,
    multi_line_clean,
    single_line_clean,
)
from jewelguard.playbook.models import Inquiry
from tests.accounts.conftest import (
    api_token_for,
    saved_rows,
    store_form_data,
    store_payload,
    token_client,
)
from tests.conftest import PASSWORD

BIG_ID = "9223372036854775808"  # one past SQLite's largest integer

# Characters that hide, break a line or turn text around, one of each kind refused.
HIDDEN = {
    "rlo": "\u202e",  # right-to-left override: "Gems" shows as "smeG"
    "zwsp": "\u200b",  # zero-width space
    "line-separator": "\u2028",
    "paragraph-separator": "\u2029",
    "del": "\x7f",
    "c1-nel": "\x85",
    "c1-csi": "\x9b",
    "private-use": "\ue000",
    "bom": "\ufeff",
    "newline": "\n",
    "carriage-return": "\r",
    "tab": "\t",
    "nul": "\x00",
}


@pytest.fixture
def owner_token(member: Member) -> str:
    return api_token_for(member.owner)


def api_post(token: str, payload: dict[str, object]):
    return token_client(token).post(
        "/api/stores", json.dumps(payload), content_type="application/json"
    )


def api_put(token: str, store_id: int, payload: dict[str, object]):
    return token_client(token).put(
        f"/api/stores/{store_id}", json.dumps(payload), content_type="application/json"
    )


def error_locations(response) -> list[list[object]]:
    return [e["loc"] for e in response.json()["detail"]]


# ----------------------------------------------------------------------- the one text check


@pytest.mark.parametrize("ch", HIDDEN.values(), ids=HIDDEN.keys())
def test_one_line_check_refuses_every_hidden_character(ch):
    with pytest.raises(TextRefusedError):
        single_line_clean(value=f"Gems{ch}and more")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.text(max_size=40))
def test_one_line_check_refuses_exactly_the_hidden_categories(text):
    hidden = any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in text)
    try:
        single_line_clean(value=text)
    except TextRefusedError:
        assert hidden
    else:
        assert not hidden


def test_one_line_check_normalises_what_it_keeps():
    # decomposed e + combining acute becomes one é; odd spaces become one plain space
    assert single_line_clean(value="  Cafe\u0301\u00a0\u00a0 Bijoux\u3000 ") == "Café Bijoux"


def test_message_check_keeps_line_breaks_but_refuses_hidden_characters():
    assert multi_line_clean(value="Hello,\r\n\r\nA question.  ") == "Hello,\n\nA question."
    with pytest.raises(TextRefusedError):
        multi_line_clean(value="Hello\u202e")


# --------------------------------------------------------------- names, addresses, sign-up


@pytest.mark.parametrize("ch", HIDDEN.values(), ids=HIDDEN.keys())
def test_store_form_refuses_hidden_characters_in_the_name(member_client, ch):
    before = saved_rows()
    response = member_client.post("/me/stores/new/", store_form_data(name=f"Gems{ch}and more"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert saved_rows() == before


def test_store_name_of_only_zero_width_spaces_is_refused(member_client, owner_token):
    before = saved_rows()
    response = member_client.post("/me/stores/new/", store_form_data(name="\u200b\u200b\u200b"))
    assert "name" in response.context["form"].errors
    refused = api_post(owner_token, store_payload(name="\u200b\u200b"))
    assert refused.status_code == 422
    assert ["body", "payload", "name"] in error_locations(refused)
    assert saved_rows() == before


@pytest.mark.parametrize(
    "field", ["name", "street_address", "city", "postal_code"], ids=lambda f: f
)
def test_api_refuses_a_right_to_left_override_naming_the_field(owner_token, field):
    before = saved_rows()
    response = api_post(owner_token, store_payload(**{field: "80206\u202e"}))
    assert response.status_code == 422, response.content
    assert ["body", "payload", field] in error_locations(response)
    assert saved_rows() == before


def test_api_refuses_a_hidden_character_in_a_special_day_label(owner_token):
    response = api_post(
        owner_token, store_payload(exceptions=[{"date": "2026-12-24", "label": "Eve\u200b"}])
    )
    assert response.status_code == 422
    assert ["body", "payload", "exceptions", 0, "label"] in error_locations(response)


def test_store_name_is_saved_normalised(owner_token):
    response = api_post(owner_token, store_payload(name="  Cafe\u0301   Bijoux "))
    assert response.status_code == 201, response.content
    assert Store.objects.get().name == "Café Bijoux"


def sign_up(business_name: str, full_name: str = "Lee Park"):
    return Client().post(
        "/accounts/signup/",
        {
            "full_name": full_name,
            "business_name": business_name,
            "email": "lee@gems.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.mark.parametrize(
    ("business_name", "full_name", "field"),
    [
        ("Gems\r\nBcc: everyone@example.com", "Lee Park", "business_name"),
        ("Gems\u202e", "Lee Park", "business_name"),
        ("Gems", "Lee\u200b", "full_name"),
    ],
    ids=["crlf-business", "rlo-business", "zwsp-name"],
)
def test_sign_up_refuses_hidden_characters_and_makes_no_account(
    db, business_name, full_name, field
):
    response = sign_up(business_name, full_name)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()
    assert not Member.objects.exists()


def test_member_service_refuses_a_line_break_in_the_business_name(db):
    owner = User.objects.create_user("lee@gems.example", PASSWORD)
    with pytest.raises(ValidationError) as refused:
        services.member_create(owner=owner, name="Gems\r\nBcc: x@example.com")
    assert "name" in refused.value.message_dict
    assert not Member.objects.exists()


def test_api_token_name_with_a_line_break_is_refused(member_client):
    response = member_client.post("/me/api-tokens/", {"name": "POS\r\nBcc: x"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("field", ["name", "organisation", "subject"])
def test_inquiry_refuses_hidden_characters_in_one_line_fields(db, field):
    data = {
        "name": "Ana Morales",
        "email": "ana@frontrange.example",
        "organisation": "Front Range Jewelers",
        "subject": "Staff cards",
        "message": "Can we print the staff cards?",
        "website": "",
        field: "Ana\x85Morales",  # a C1 control the old check let through
    }
    response = Client(REMOTE_ADDR="198.51.100.20").post("/playbook/contact/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_inquiry_refuses_a_direction_override_in_the_message(db):
    data = {
        "name": "Ana Morales",
        "email": "ana@frontrange.example",
        "subject": "Staff cards",
        "message": "Please call\u202e me",
        "website": "",
    }
    response = Client(REMOTE_ADDR="198.51.100.21").post("/playbook/contact/", data)
    assert "message" in response.context["form"].errors
    assert not Inquiry.objects.exists()


# --------------------------------------------------------------------------- postal codes


@pytest.mark.parametrize(
    "code",
    [
        "\uff18\uff10\uff12\uff10\uff12",  # fullwidth 80202
        "\u0668\u0660\u0662\u0660\u0662",  # Arabic-Indic 80202
        "80202-\u09e7\u09e8\u09e9\u09ea",  # Bengali 1234 after a real ZIP code
        "\u096e\u0966\u0968\u0966\u0968",  # Devanagari 80202
        "80202\n",
    ],
    ids=["fullwidth", "arabic-indic", "bengali-plus4", "devanagari", "trailing-newline"],
)  # fmt: skip
def test_zip_codes_in_other_digits_are_refused_on_form_and_api(
    member_client, owner_token, store, code
):
    before = saved_rows()
    form = member_client.post("/me/stores/new/", store_form_data(postal_code=code))
    assert form.status_code == 200
    assert "postal_code" in form.context["form"].errors
    created = api_post(owner_token, store_payload(postal_code=code))
    assert created.status_code == 422, created.content
    updated = api_put(owner_token, store.pk, store_payload(postal_code=code))
    assert updated.status_code == 422, updated.content
    assert saved_rows() == before
    store.refresh_from_db()
    assert store.postal_code == "80202"


def test_a_zip_library_panic_becomes_a_clear_error():
    # given input that makes the ZIP library's Rust core panic (a BaseException, not an
    # Exception), should anything ever get past the ASCII check to it
    from jewelguard.accounts import geo

    # then the panic is a GeoError naming the postal code, not a crashed request
    with pytest.raises(geo.GeoError) as refused:
        geo._zip_matches("\u0668\u0660\u0662\u0660\u0662")
    assert refused.value.field == "postal_code"


# ------------------------------------------------------------------------------ id fields


def test_staff_invitation_with_a_huge_store_id_is_refused_on_the_field(member_client, store):
    response = member_client.post(
        "/me/staff/", {"email": "lee@frontrange.example", "stores": [BIG_ID]}
    )
    assert response.status_code == 200
    assert "stores" in response.context["form"].errors
    assert not StaffInvitation.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_api_store_id_past_the_database_range_is_refused(owner_token, method):
    client = token_client(owner_token)
    path = f"/api/stores/{BIG_ID}"
    if method == "put":
        response = client.put(path, json.dumps(store_payload()), content_type="application/json")
    else:
        response = getattr(client, method)(path)
    assert response.status_code == 422, response.content
    assert ["path", "store_id"] in error_locations(response)


@pytest.mark.parametrize("path", ["/me/stores/{}/", "/me/stores/{}/edit/"])
def test_page_store_id_past_the_database_range_is_not_found(member_client, path):
    assert member_client.get(path.format(BIG_ID)).status_code == 404


# -------------------------------------------------------------------------- hours and minutes


@pytest.mark.parametrize("value", ["09:00:30.123456", "09:00:30", "09:00:00", "9:00 AM"])
def test_store_form_takes_hours_and_minutes_only(member_client, value):
    response = member_client.post("/me/stores/new/", store_form_data(monday_opens=value))
    assert response.status_code == 200
    assert "monday_opens" in response.context["form"].errors
    assert not Store.objects.exists()


def test_api_answers_hours_as_hh_mm_and_refuses_seconds(owner_token):
    created = api_post(owner_token, store_payload())
    assert created.json()["hours"] == {"monday": {"opens": "10:00", "closes": "18:00"}}
    with_seconds = store_payload(hours={"monday": {"opens": "10:00:00", "closes": "18:00"}})
    refused = api_put(owner_token, created.json()["id"], with_seconds)
    assert refused.status_code == 422


# ----------------------------------------------------------------------------- API tokens


def test_the_page_showing_a_new_token_is_not_cached(member_client):
    response = member_client.post("/me/api-tokens/", {"name": "Point of sale"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
