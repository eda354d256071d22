"""The crime map's data: incidents counted per H3 hexagon in a viewport, as GeoJSON."""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import UTC, date, datetime, time
from typing import Any

import h3
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from jewelguard.intel.models import Source
from jewelguard.intel.selectors import (
    MAX_CELLS,
    MIN_RESOLUTION,
    cells_max_resolution,
    crime_cell_detail,
    crime_cells,
)
from jewelguard.playbook.content import SCENARIO_IDS

router = Router(tags=["crime map"])

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PUBLIC_MAX_AGE = 300
SIGNED_IN_MAX_AGE = 60


def _refuse(field: str, message: str) -> JsonResponse:
    return JsonResponse({"detail": [{"loc": ["query", field], "msg": message}]}, status=400)


def _bbox(text: str) -> tuple[float, float, float, float] | None:
    parts = text.split(",")
    if len(parts) != 4 or len(text) > 200:
        return None
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        return None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


def _day(text: str | None) -> date | None:
    if not text:
        return None
    if not _DAY.fullmatch(text):  # fromisoformat also takes weeks and ordinals
        raise ValueError(text)
    return date.fromisoformat(text)


class _Refused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _filters(
    *, scenario: str | None, source: str | None, since: str | None, until: str | None
) -> dict[str, Any]:
    """The map's filters as the selectors take them; raises _Refused naming the parameter."""
    if scenario is not None and scenario not in SCENARIO_IDS:
        raise _Refused("scenario", _("Choose one of the crime scenarios."))
    if source is not None and source not in Source.values:
        raise _Refused("source", _("Choose a source: member reports, police data or live events."))
    days: dict[str, date | None] = {}
    for field, text in (("since", since), ("until", until)):
        try:
            days[field] = _day(text)
        except ValueError:
            raise _Refused(field, _("Give dates as YYYY-MM-DD.")) from None
    first, last = days["since"], days["until"]
    if first and last and first >= last:
        raise _Refused("until", _("The end date must come after the start date."))
    return {
        "scenario_id": scenario,
        "source": source,
        "since": datetime.combine(first, time(), tzinfo=UTC) if first else None,
        "until": datetime.combine(last, time(), tzinfo=UTC) if last else None,
    }


def _cached(request: HttpRequest, payload: dict[str, Any], content_type: str) -> HttpResponse:
    """``payload`` as JSON with an ETag (304 when unchanged) and the map's caching rules."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = (
        f"private, max-age={SIGNED_IN_MAX_AGE}"
        if request.user.is_authenticated
        else f"public, max-age={PUBLIC_MAX_AGE}"
    )
    response["Vary"] = "Cookie, Authorization, Accept-Language"
    return response


@router.get(
    "/cells",
    auth=None,
    response={200: dict[str, Any], 304: None, 400: dict[str, Any], 422: dict[str, Any]},
)
def cells(
    request: HttpRequest,
    bbox: str,
    res: int,
    scenario: str | None = None,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
) -> HttpResponse:
    """Incidents per H3 hexagon in ``bbox`` (west,south,east,north), as a GeoJSON collection.

    The public gets resolutions 4 to 7 and only totals; signed-in users go to 10 and see the
    counts by scenario. No hexagon with fewer than 3 incidents is ever returned, except to
    analysts, and never a point.
    """
    box = _bbox(bbox)
    if box is None:
        return _refuse(
            "bbox", _("Give bbox as west,south,east,north in degrees, west before east.")
        )
    finest = cells_max_resolution(user=request.user)
    if not MIN_RESOLUTION <= res <= finest:
        return _refuse(
            "res",
            _("Choose a resolution from %(low)d to %(high)d.")
            % {"low": MIN_RESOLUTION, "high": finest},
        )
    try:
        filters = _filters(scenario=scenario, source=source, since=since, until=until)
    except _Refused as refused:
        return _refuse(refused.field, refused.message)
    west, south, east, north = box
    middle = math.radians((south + north) / 2)
    area_km2 = (north - south) * 111.0 * (east - west) * 111.0 * max(math.cos(middle), 0.01)
    if area_km2 / h3.average_hexagon_area(res, unit="km^2") > MAX_CELLS:
        return _refuse(
            "res", _("This area holds too many hexagons: zoom in or choose a coarser resolution.")
        )
    found = crime_cells(
        user=request.user,
        bbox=box,
        resolution=res,
        **filters,
    )
    signed_in = request.user.is_authenticated
    features = []
    for cell in found:
        ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell.cell)]
        properties: dict[str, Any] = {"cell": cell.cell, "count": cell.count}
        if signed_in:
            properties["by_scenario"] = dict(cell.by_scenario)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                "properties": properties,
            }
        )
    return _cached(
        request,
        {"type": "FeatureCollection", "resolution": res, "features": features},
        "application/geo+json",
    )


@router.get(
    "/cells/{cell}",
    auth=None,
    response={200: dict[str, Any], 304: None, 400: dict[str, Any], 404: dict[str, Any]},
)
def cell_detail(
    request: HttpRequest,
    cell: str,
    scenario: str | None = None,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
) -> HttpResponse:
    """One hexagon of the map: its total, counts by scenario and incidents per month.

    The same rules as the hexagons themselves: the public only for cells up to resolution 7,
    and no cell with fewer than 3 incidents; scenarios with fewer than 3 are counted together
    as ``other``. A cell nobody may see answers 404, whether it is empty or too small.
    """
    if len(cell) > 16 or not h3.is_valid_cell(cell):
        return _refuse("cell", _("Give an H3 cell id, e.g. 872681364ffffff."))
    finest = cells_max_resolution(user=request.user)
    if not MIN_RESOLUTION <= h3.get_resolution(cell) <= finest:
        return _refuse(
            "cell",
            _("Choose a cell of resolution %(low)d to %(high)d.")
            % {"low": MIN_RESOLUTION, "high": finest},
        )
    try:
        filters = _filters(scenario=scenario, source=source, since=since, until=until)
    except _Refused as refused:
        return _refuse(refused.field, refused.message)
    detail = crime_cell_detail(user=request.user, cell=cell, **filters)
    if detail is None:
        return JsonResponse({"detail": _("No hexagon to show here.")}, status=404)
    latitude, longitude = h3.cell_to_latlng(cell)
    return _cached(
        request,
        {
            "cell": detail.cell,
            "resolution": h3.get_resolution(cell),
            "centre": [round(latitude, 4), round(longitude, 4)],
            "count": detail.count,
            "by_scenario": dict(detail.by_scenario),
            "other": detail.other,
            "trend": [
                {"month": month.strftime("%Y-%m"), "count": count} for month, count in detail.trend
            ],
        },
        "application/json",
    )
