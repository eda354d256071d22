"""Which state or province and city an incident is in, from its point, offline.

The nearest U.S. ZIP code or Canadian FSA centre names them (the same offline data that places
stores). A point further than ``MAX_KM`` from every centre (at sea, abroad) has neither. Lookups
are cached per H3 resolution-8 cell (about 0.7 km²), so an import of many rows in one city
costs few searches.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import h3
import zipcodes
from countrystatecity_postal_codes import get_postcodes_of_country

from jewelguard.accounts.geo import distance_km

MAX_KM = 60.0
# Centres are bucketed on a grid of this many degrees; a search looks at the 5x5 buckets around.
_BUCKET_DEGREES = 0.5
_Centre = tuple[float, float, str, str]  # latitude, longitude, region, city


def _city_of_fsa(locality: str) -> str:
    # FSA names are districts, "Downtown Toronto (Ryerson)": the part before the brackets.
    return locality.partition("(")[0].strip()


@cache
def _buckets() -> dict[tuple[int, int], list[_Centre]]:
    buckets: dict[tuple[int, int], list[_Centre]] = {}

    def add(latitude: float, longitude: float, region: str, city: str) -> None:
        key = (math.floor(latitude / _BUCKET_DEGREES), math.floor(longitude / _BUCKET_DEGREES))
        buckets.setdefault(key, []).append((latitude, longitude, region, city))

    for row in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if row["zip_code_type"] == "MILITARY" or row["country"] != "US":
            continue
        latitude, longitude = float(row["lat"]), float(row["long"])
        if (latitude, longitude) != (0.0, 0.0):
            add(latitude, longitude, str(row["state"]), str(row["city"]).title())
    for fsa in get_postcodes_of_country("CA"):
        if fsa.latitude is not None and fsa.longitude is not None and fsa.stateCode:
            add(fsa.latitude, fsa.longitude, fsa.stateCode, _city_of_fsa(fsa.localityName or ""))
    return buckets


@lru_cache(maxsize=65_536)
def _cell_place(cell: str) -> tuple[str, str]:
    latitude, longitude = h3.cell_to_latlng(cell)
    row = math.floor(latitude / _BUCKET_DEGREES)
    column = math.floor(longitude / _BUCKET_DEGREES)
    best: tuple[float, str, str] = (MAX_KM, "", "")
    buckets = _buckets()
    for d_row in range(-2, 3):
        for d_column in range(-2, 3):
            for c_lat, c_lon, region, city in buckets.get((row + d_row, column + d_column), ()):
                km = distance_km(
                    latitude=latitude, longitude=longitude, to_latitude=c_lat, to_longitude=c_lon
                )
                if km < best[0]:
                    best = (km, region, city)
    return best[1], best[2]


def incident_place(*, latitude: float, longitude: float) -> dict[str, str]:
    """The incident's ``region`` (two letters, e.g. CO, QC) and ``city``; empty where unknown."""
    region, city = _cell_place(str(h3.latlng_to_cell(latitude, longitude, 8)))
    return {"region": region, "city": city[:100]}
