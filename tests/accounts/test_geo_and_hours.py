"""Offline placing of stores, and checking their opening hours."""

from __future__ import annotations

from datetime import time

import pytest

from jewelguard.accounts import geo
from jewelguard.accounts.hours import HoursError, check_day
from jewelguard.core.errors import ServiceError


def test_zip_code_places_a_store_at_its_centroid_in_its_time_zone():
    place = geo.postal_code_place(postal_code="80202-1234", country="US")
    assert place is not None
    assert (place.postal_code, place.city, place.region) == ("80202", "Denver", "CO")
    assert (place.latitude, place.longitude) == pytest.approx((39.7491, -104.9946))
    assert place.time_zone == "America/Denver"


def test_zip_code_with_a_misspelt_time_zone_gets_the_maps_time_zone():
    # the ZIP data set names "Napakiak" as the time zone of 99634, Alaska
    place = geo.postal_code_place(postal_code="99634", country="US")
    assert place is not None and place.time_zone == "America/Anchorage"


def test_canadian_postal_code_is_placed_at_its_fsa_centre():
    code = geo.normalize_postal_code(postal_code=" h2y1c6 ", country="CA")
    assert code == "H2Y 1C6"
    place = geo.postal_code_place(postal_code=code, country="CA")
    assert (place.postal_code, place.region) == ("H2Y 1C6", "QC")
    assert place.time_zone in ("America/Toronto", "America/Montreal")
    # Old Montreal's centre, within a kilometre
    assert (
        geo.distance_km(
            latitude=place.latitude,
            longitude=place.longitude,
            to_latitude=45.508,
            to_longitude=-73.554,
        )
        < 1
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "country"),
    [
        (42.3314, -83.0458, "US"),  # Detroit
        (18.4655, -66.1057, "US"),  # San Juan, Puerto Rico
        (21.3069, -157.8583, "US"),  # Honolulu
        (45.5017, -73.5673, "CA"),  # Montreal
        (49.2827, -123.1207, "CA"),  # Vancouver
    ],
)
def test_points_inside_the_country_are_accepted(latitude, longitude, country):
    geo.check_coordinates(latitude=latitude, longitude=longitude, country=country)


@pytest.mark.parametrize(
    ("latitude", "longitude", "country"),
    [
        (43.6532, -79.3832, "US"),  # Toronto, inside the U.S. bounding box
        (42.3149, -83.0364, "US"),  # Windsor, Ontario, across the river from Detroit
        (47.6062, -122.3321, "CA"),  # Seattle, inside the Canadian bounding box
        (32.5149, -117.0382, "US"),  # Tijuana
        (35.0, -70.0, "US"),  # the Atlantic
        (51.5074, -0.1278, "US"),  # London
    ],
)
def test_points_outside_the_country_are_refused(latitude, longitude, country):
    with pytest.raises(geo.GeoError) as refused:
        geo.check_coordinates(latitude=latitude, longitude=longitude, country=country)
    assert refused.value.field == "latitude"


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [(91, 0, "latitude"), (-90.5, 0, "latitude"), (40, -181, "longitude"),
     (float("nan"), -100, "latitude"), (40, float("inf"), "longitude")],
)  # fmt: skip
def test_points_off_the_globe_are_refused(latitude, longitude, field):
    with pytest.raises(geo.GeoError) as refused:
        geo.check_coordinates(latitude=latitude, longitude=longitude, country="US")
    assert refused.value.field == field


def test_h3_cell_is_resolution_nine():
    cell = geo.h3_cell(latitude=39.7491, longitude=-104.9946)
    assert cell.startswith("89") and len(cell) == 15


def test_hours_must_open_before_closing_and_come_in_pairs():
    assert check_day(field="monday", weekday=0, opens=None, closes=None) is None
    with pytest.raises(HoursError):
        check_day(field="monday", weekday=0, opens=time(18), closes=time(10))
    with pytest.raises(HoursError):
        check_day(field="monday", weekday=0, opens=time(10), closes=time(10))
    with pytest.raises(HoursError):
        check_day(field="monday", weekday=0, opens=time(10), closes=None)


def test_location_and_hours_errors_are_one_kind_naming_the_field():
    # a view or the API catches one error class for every service refusal
    with pytest.raises(ServiceError) as hours:
        check_day(field="friday", weekday=4, opens=time(10), closes=None)
    with pytest.raises(ServiceError) as place:
        geo.check_coordinates(latitude=0, longitude=200, country="US")
    assert hours.value.message_dict == {
        "friday": ["Give both an opening and a closing time, or neither if closed."]
    }
    assert place.value.message_dict == {"longitude": ["Longitude must be between -180 and 180."]}
