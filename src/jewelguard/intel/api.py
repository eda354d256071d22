"""The crime map's data: incidents counted per H3 hexagon in a viewport, as GeoJSON."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, date, datetime, time
from typing import Any

import h3
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from jewelguard.intel.selectors import (
    MAX_CELLS,
    MIN_RESOLUTION,
    cells_max_resolution,
    crime_cells,
)
from jewelguard.playbook.content import SCENARIO_IDS

router = Router(tags=["crime map"])

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
    return date.fromisoformat(text) if text else None


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
    if scenario is not None and scenario not in SCENARIO_IDS:
        return _refuse("scenario", _("Choose one of the crime scenarios."))
    try:
        first, last = _day(since), _day(until)
    except ValueError:
        return _refuse("since", _("Give dates as YYYY-MM-DD."))
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
        scenario_id=scenario,
        since=datetime.combine(first, time(), tzinfo=UTC) if first else None,
        until=datetime.combine(last, time(), tzinfo=UTC) if last else None,
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
    body = json.dumps(
        {"type": "FeatureCollection", "resolution": res, "features": features},
        separators=(",", ":"),
    ).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = (
        f"private, max-age={SIGNED_IN_MAX_AGE}"
        if signed_in
        else f"public, max-age={PUBLIC_MAX_AGE}"
    )
    response["Vary"] = "Cookie, Authorization, Accept-Language"
    return response
