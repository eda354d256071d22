"""Offline geocoding for stores: ZIP centroids, H3 cells and time zones, with no network."""

from __future__ import annotations

import logging
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
from countrystatecity_postal_codes import get_postcodes_of_country
from django.utils.translation import gettext as _
from timezonefinder import TimezoneFinder

from jewelguard.core.errors import ServiceError

logger = logging.getLogger(__name__)

# Resolution 9 cells have ~0.17 km edges: fine enough to place a store, coarse enough to share.
STORE_H3_RESOLUTION = 9

# ASCII digits only: "\d" would take any script's digits (fullwidth, Arabic-Indic, ...).
US_ZIP = re.compile(r"[0-9]{5}(-[0-9]{4})?")
CA_POSTAL = re.compile(r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]")
# A map pick further than this from its postal code's centre is refused: the ZIP code, city
# and time zone would describe another place. Rural Canadian FSAs (second character 0)
# cover whole regions, so their picks may lie further out.
MAP_PICK_MAX_KM = 50.0
RURAL_FSA_MAP_PICK_MAX_KM = 1000.0
EARTH_RADIUS_KM = 6371.0088
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


class UnplacedPostalCodeError(GeoError):
    """A real postal code whose centre the offline data does not know: a map pick places it.

    ``city`` and ``region`` are what the data does know about the code.
    """

    def __init__(self, field: str, message: str, *, city: str = "", region: str = "") -> None:
        super().__init__(field, message)
        self.city = city
        self.region = region


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
        if not US_ZIP.fullmatch(code):
            raise GeoError("postal_code", _("A U.S. ZIP code has five digits, e.g. 80202."))
        return code[:5]
    if country == "CA":
        if not CA_POSTAL.fullmatch(code):
            raise GeoError("postal_code", _("A Canadian postal code looks like H2Y 1C6."))
        code = code.replace(" ", "")
        return f"{code[:3]} {code[3:]}"
    raise GeoError("country", _("Choose the United States or Canada."))


def _zip_matches(code: str) -> list[dict[str, Any]]:
    """The ZIP library's rows for ``code``; its failures, panics included, become a GeoError."""
    try:
        matches: list[dict[str, Any]] = zipcodes.matching(code)  # type: ignore[no-untyped-call]
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:
        logger.warning("ZIP code lookup failed (%s)", type(error).__name__)
        raise GeoError(
            "postal_code", _("ZIP code %(code)s could not be looked up.") % {"code": code}
        ) from None
    return matches


def postal_code_place(*, postal_code: str, country: str) -> Place:
    """The centre of a U.S. ZIP code or a Canadian postal code's FSA, from offline data.

    Raises GeoError naming the postal code when it is unknown or has no known centre.
    """
    code = normalize_postal_code(postal_code=postal_code, country=country)
    if country == "CA":
        return _fsa_place(code)
    matches = _zip_matches(code)
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
    if not _has_centre(latitude, longitude):
        # A few dozen ZIP codes sit at 0,0 in the data set: no place, not the Gulf of Guinea.
        raise UnplacedPostalCodeError(
            "postal_code",
            _(
                "ZIP code %(code)s has no known location; click the store's spot on the map "
                "to place it."
            )
            % {"code": code},
            city=found["city"],
            region=found["state"],
        )
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


def _has_centre(latitude: float, longitude: float) -> bool:
    return math.isfinite(latitude) and math.isfinite(longitude) and (latitude, longitude) != (0, 0)


@cache
def _fsa_centres() -> dict[str, tuple[str, str, float | None, float | None]]:
    """FSA (first three characters) -> (province, locality, latitude, longitude)."""
    return {
        row.code.upper(): (row.stateCode or "", row.localityName or "", row.latitude, row.longitude)
        for row in get_postcodes_of_country("CA")
    }


def _fsa_city(locality: str) -> str:
    """A city from an FSA's locality name: "Lanaudière-Nord (Saint-Esprit)" -> "Saint-Esprit"."""
    head, _sep, rest = locality.partition("(")
    inside = rest.rstrip(")").strip()
    if inside and "/" not in inside:
        return inside
    return head.strip()


def _fsa_place(code: str) -> Place:
    fsa = code[:3]
    found = _fsa_centres().get(fsa)
    if found is None:
        raise GeoError(
            "postal_code",
            _("Postal code %(code)s is not a known Canadian postal code.") % {"code": code},
        )
    province, locality, latitude, longitude = found
    if latitude is None or longitude is None or not _has_centre(latitude, longitude):
        raise UnplacedPostalCodeError(
            "postal_code",
            _(
                "Postal code %(code)s has no known location; click the store's spot on the map "
                "to place it."
            )
            % {"code": code},
            city=_fsa_city(locality),
            region=province,
        )
    return Place(
        postal_code=code,
        city=_fsa_city(locality),
        region=province or region_for(postal_code=code, country="CA"),
        latitude=latitude,
        longitude=longitude,
        time_zone=time_zone_at(latitude=latitude, longitude=longitude),
    )


def distance_km(
    *, latitude: float, longitude: float, to_latitude: float, to_longitude: float
) -> float:
    """Great-circle distance between two points."""
    p1, p2 = math.radians(latitude), math.radians(to_latitude)
    dp, dl = p2 - p1, math.radians(to_longitude - longitude)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def map_pick_max_km(*, postal_code: str, country: str) -> float:
    if country == "CA" and postal_code[1:2] == "0":
        return RURAL_FSA_MAP_PICK_MAX_KM
    return MAP_PICK_MAX_KM


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
