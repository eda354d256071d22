"""Where a store is: Canadian postal codes place it, codes without a centre do not, and a map
pick far from its postal code is refused so that code, city and time zone stay one place."""

from __future__ import annotations

import json

import pytest
import zipcodes

from jewelguard.accounts import geo, services
from jewelguard.accounts.models import LocationSource, Store
from tests.accounts.conftest import saved_rows, store_form_data, store_payload
from tests.conftest import client_for

HICKSVILLE = {"latitude": "40.7684", "longitude": "-73.5251"}
HONOLULU = {"latitude": "21.3069", "longitude": "-157.8583"}
NEAR_UNION_STATION = {"latitude": "39.7530", "longitude": "-105.0002"}  # ~1 km from 80202


def post_form(client, **fields):
    return client.post("/me/stores/new/", store_form_data(**fields))


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form should be shown again"
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def test_canadian_store_is_placed_by_its_postal_code_alone(member_client):
    # when a jeweler in Old Montreal gives only the postal code
    response = post_form(member_client, country="CA", postal_code="H2Y 1C6")
    # then the store is placed at its FSA's centre, in Quebec, on Eastern time
    assert response.status_code == 302, form_errors(response)
    store = Store.objects.get()
    assert store.location_source == LocationSource.POSTAL_CODE
    assert (store.postal_code, store.region, store.city) == ("H2Y 1C6", "QC", "Old Montreal")
    assert store.time_zone in ("America/Toronto", "America/Montreal")
    assert abs(store.latitude - 45.508) < 0.01 and abs(store.longitude + 73.554) < 0.01


@pytest.mark.parametrize(
    ("code", "region", "zones"),
    [
        ("V6B 1A1", "BC", {"America/Vancouver"}),
        ("T2P 1J9", "AB", {"America/Edmonton"}),
        ("X0A 0H0", "NU", {"America/Iqaluit", "America/Pangnirtung"}),
        ("A1C 5M2", "NL", {"America/St_Johns"}),
    ],
    ids=["vancouver", "calgary", "nunavut", "st-johns"],
)
def test_api_places_canadian_stores_in_their_province_and_time_zone(member, code, region, zones):
    response = client_for(member.owner).post(
        "/api/stores",
        json.dumps(store_payload(country="CA", postal_code=code)),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["region"], body["location_source"]) == (region, "postal_code")
    assert body["time_zone"] in zones


def test_unknown_canadian_fsa_is_refused_naming_the_postal_code(member_client):
    before = saved_rows()
    # K0Z is well formed but no FSA in use
    errors = form_errors(post_form(member_client, country="CA", postal_code="K0Z 1A1"))
    assert any("K0Z 1A1" in message for message in errors["postal_code"]), errors
    assert saved_rows() == before


def test_zip_code_without_a_known_centre_is_refused_naming_it(member_client):
    # given 11805 (Hicksville, NY), whose centre the ZIP data set gives as 0,0
    before = saved_rows()
    errors = form_errors(post_form(member_client, postal_code="11805"))
    # then it is refused with the code named, instead of a store off the coast of Africa
    assert any("11805" in message for message in errors["postal_code"]), errors
    assert saved_rows() == before


def test_zip_code_without_a_centre_is_placed_by_a_map_pick(member_client):
    response = post_form(member_client, postal_code="11805", **HICKSVILLE)
    assert response.status_code == 302, form_errors(response)
    store = Store.objects.get()
    assert (store.city, store.region, store.time_zone) == ("Hicksville", "NY", "America/New_York")
    assert store.location_source == LocationSource.MAP
    assert (store.latitude, store.longitude) != (0.0, 0.0)


def test_map_pick_far_from_the_zip_code_is_refused(member_client):
    # given a Denver ZIP code and a point in Honolulu, 5,000 km away
    before = saved_rows()
    errors = form_errors(post_form(member_client, postal_code="80202", **HONOLULU))
    # then the pick is refused, naming the distance and the ZIP code, and nothing is saved
    [message] = errors["latitude"]
    assert "80202" in message and "km" in message
    assert saved_rows() == before


def test_map_pick_near_the_zip_code_keeps_its_city_and_time_zone(member_client):
    response = post_form(member_client, postal_code="80202", **NEAR_UNION_STATION)
    assert response.status_code == 302, form_errors(response)
    store = Store.objects.get()
    assert (store.city, store.region, store.time_zone) == ("Denver", "CO", "America/Denver")
    assert store.location_source == LocationSource.MAP


def test_no_zip_code_at_zero_zero_in_the_data_set_places_a_store():
    # given every ZIP code the data set puts at 0,0 (military mail codes and a few dozen more)
    unplaced = [
        row["zip_code"]
        for row in zipcodes.list_all()
        if float(row["lat"]) == 0 and float(row["long"]) == 0
    ]
    assert len(unplaced) > 60
    # then none of them places a store, and each refusal names its code
    for code in unplaced:
        with pytest.raises(geo.GeoError) as refused:
            geo.postal_code_place(postal_code=code, country="US")
        assert code in refused.value.message


def test_store_pages_credit_the_postal_code_data(member_client, store):
    canadian = services.store_create(
        member=store.member,
        details=services.StoreDetails(
            name="Bijouterie",
            street_address="1 Rue Saint-Paul",
            postal_code="H2Y 1C6",
            country="CA",
        ),
    )
    for path in ("/me/stores/new/", f"/me/stores/{canadian.pk}/"):
        page = member_client.get(path).content.decode()
        assert "ODbL" in page, path
        assert "countrystatecity" in page.lower(), path
