"""Offline geocoding for stores: ZIP centroids, H3 cells and time zones, with no network."""

from __future__ import annotations

import math
import re
import zoneinfo
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import h3
import zipcodes
from django.utils.translation import gettext as _
from timezonefinder import TimezoneFinder

from jewelguard.core.errors import ServiceError

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
# Rough bounding boxes: a first, cheap check that a map pick is in the chosen country.
COUNTRY_BOUNDS = {
    "US": (17.5, 72.0, -180.0, -64.0),
    "CA": (41.6, 84.0, -141.1, -52.0),
}
# The tz database files U.S. territories under their own ISO codes; ZIP codes cover them.
COUNTRY_ALIASES = {"US": {"US", "PR", "VI", "GU", "AS", "MP", "UM"}, "CA": {"CA"}}


class GeoError(ServiceError):
    """A location cannot be found or does not fit; ``field`` names the form field to blame."""


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
            raise GeoError("postal_code", _("A U.S. ZIP code has five digits, e.g. 80202."))
        return code[:5]
    if country == "CA":
        if not CA_POSTAL.match(code):
            raise GeoError("postal_code", _("A Canadian postal code looks like H2Y 1C6."))
        code = code.replace(" ", "")
        return f"{code[:3]} {code[3:]}"
    raise GeoError("country", _("Choose the United States or Canada."))


def postal_code_place(*, postal_code: str, country: str) -> Place | None:
    """The centroid of a U.S. ZIP code, or None where no offline data exists (Canada)."""
    code = normalize_postal_code(postal_code=postal_code, country=country)
    if country != "US":
        return None
    matches: list[dict[str, Any]] = zipcodes.matching(code)  # type: ignore[no-untyped-call]
    if not matches:
        raise GeoError(
            "postal_code", _("ZIP code %(code)s is not a known U.S. ZIP code.") % {"code": code}
        )
    found = matches[0]
    # Military mail codes (APO/FPO) have no place on the map: a store has a street ZIP code.
    if found["zip_code_type"] == "MILITARY" or found["country"] != "US":
        raise GeoError(
            "postal_code",
            _("ZIP code %(code)s is a military mail code; give the store's street ZIP code.")
            % {"code": code},
        )
    latitude, longitude = float(found["lat"]), float(found["long"])
    zone = found["timezone"]
    if zone not in _known_time_zones():
        # The ZIP data set has a few holes and misspellings; the map always answers.
        zone = time_zone_at(latitude=latitude, longitude=longitude)
    return Place(
        postal_code=code,
        city=found["city"],
        region=found["state"],
        latitude=latitude,
        longitude=longitude,
        time_zone=zone,
    )


def region_for(*, postal_code: str, country: str) -> str:
    if country == "CA":
        return CA_REGION_BY_LETTER.get(postal_code[:1].upper(), "")
    return ""


def check_coordinates(*, latitude: float, longitude: float, country: str) -> None:
    """Refuse a point off the globe, or outside the country chosen for the store."""
    if not math.isfinite(latitude) or not -90 <= latitude <= 90:
        raise GeoError("latitude", _("Latitude must be between -90 and 90."))
    if not math.isfinite(longitude) or not -180 <= longitude <= 180:
        raise GeoError("longitude", _("Longitude must be between -180 and 180."))
    outside = GeoError("latitude", _("That point is outside the country chosen for the store."))
    south, north, west, east = COUNTRY_BOUNDS[country]
    if not (south <= latitude <= north and west <= longitude <= east):
        raise outside
    # The boxes overlap along the border; time zone borders follow the national ones.
    zone = _time_zone_finder().timezone_at(lat=latitude, lng=longitude)
    if zone is None or zone.startswith("Etc/"):
        raise outside  # open sea
    zone_country = _country_by_time_zone().get(zone)
    if zone_country is not None and zone_country not in COUNTRY_ALIASES[country]:
        raise outside


@cache
def _time_zone_finder() -> TimezoneFinder:
    return TimezoneFinder(in_memory=True)


@cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _zone_table() -> str:
    """The tz database's zone.tab, from the system or the tzdata package; empty if neither."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return (resources.files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@cache
def _country_by_time_zone() -> dict[str, str]:
    """IANA zone name -> ISO country code, from zone.tab."""
    countries: dict[str, str] = {}
    for line in _zone_table().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            countries[parts[2].strip()] = parts[0].strip()
    return countries


def time_zone_at(*, latitude: float, longitude: float) -> str:
    zone = _time_zone_finder().timezone_at(lat=latitude, lng=longitude)
    if zone is None:
        raise GeoError("latitude", _("No time zone is known for that point."))
    return str(zone)


def h3_cell(*, latitude: float, longitude: float) -> str:
    return str(h3.latlng_to_cell(latitude, longitude, STORE_H3_RESOLUTION))
