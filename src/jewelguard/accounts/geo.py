"""Offline geocoding for stores: ZIP centroids, H3 cells and time zones, with no network."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import h3
import zipcodes
from timezonefinder import TimezoneFinder

# Resolution 9 cells have ~0.17 km edges: fine enough to place a store, coarse enough to share.
STORE_H3_RESOLUTION = 9

US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
CA_POSTAL = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$")
# The first letter of a Canadian postal code names the province or territory.
CA_REGION_BY_LETTER = {
    "A": "NL", "B": "NS", "C": "PE", "E": "NB", "G": "QC", "H": "QC", "J": "QC",
    "K": "ON", "L": "ON", "M": "ON", "N": "ON", "P": "ON", "R": "MB", "S": "SK",
    "T": "AB", "V": "BC", "X": "NT", "Y": "YT",
}  # fmt: skip
# Rough bounding boxes, to catch a map pick in the wrong country.
COUNTRY_BOUNDS = {
    "US": (18.0, 72.0, -180.0, -64.0),
    "CA": (41.6, 84.0, -141.1, -52.0),
}


class GeoError(ValueError):
    """A location cannot be found or does not fit; ``field`` names the form field to blame."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Place:
    postal_code: str
    city: str
    region: str
    latitude: float
    longitude: float
    time_zone: str


def normalize_postal_code(*, postal_code: str, country: str) -> str:
    code = postal_code.strip().upper()
    if country == "US":
        if not US_ZIP.match(code):
            raise GeoError("postal_code", "A U.S. ZIP code has five digits, e.g. 80202.")
        return code[:5]
    if country == "CA":
        if not CA_POSTAL.match(code):
            raise GeoError("postal_code", "A Canadian postal code looks like H2Y 1C6.")
        code = code.replace(" ", "")
        return f"{code[:3]} {code[3:]}"
    raise GeoError("country", "The country must be the United States or Canada.")


def postal_code_place(*, postal_code: str, country: str) -> Place | None:
    """The centroid of a U.S. ZIP code, or None where no offline data exists (Canada)."""
    code = normalize_postal_code(postal_code=postal_code, country=country)
    if country != "US":
        return None
    matches = zipcodes.matching(code)
    if not matches:
        raise GeoError("postal_code", f"ZIP code {code} is not a known U.S. ZIP code.")
    found = matches[0]
    return Place(
        postal_code=code,
        city=found["city"],
        region=found["state"],
        latitude=float(found["lat"]),
        longitude=float(found["long"]),
        time_zone=found["timezone"] or time_zone_at(
            latitude=float(found["lat"]), longitude=float(found["long"])
        ),
    )


def region_for(*, postal_code: str, country: str) -> str:
    if country == "CA":
        return CA_REGION_BY_LETTER.get(postal_code[:1].upper(), "")
    return ""


def check_coordinates(*, latitude: float, longitude: float, country: str) -> None:
    if not -90 <= latitude <= 90:
        raise GeoError("latitude", "Latitude must be between -90 and 90.")
    if not -180 <= longitude <= 180:
        raise GeoError("longitude", "Longitude must be between -180 and 180.")
    south, north, west, east = COUNTRY_BOUNDS[country]
    if not (south <= latitude <= north and west <= longitude <= east):
        raise GeoError(
            "latitude", "That point is outside the country chosen for the store."
        )


@cache
def _time_zone_finder() -> TimezoneFinder:
    return TimezoneFinder(in_memory=True)


def time_zone_at(*, latitude: float, longitude: float) -> str:
    zone = _time_zone_finder().timezone_at(lat=latitude, lng=longitude)
    if zone is None:
        raise GeoError("latitude", "No time zone is known for that point.")
    return str(zone)


def h3_cell(*, latitude: float, longitude: float) -> str:
    return str(h3.latlng_to_cell(latitude, longitude, STORE_H3_RESOLUTION))
