"""The crime map page: hexagons from the cells API, filters, a legend and a table of the top cells.

The page holds no incident data of its own; the browser asks ``/api/intel/cells`` for what
the viewer may see. A member's or staff member's own stores are the only points on it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jewelguard.accounts.models import Role, User
from jewelguard.accounts.permissions import stores_visible_to
from jewelguard.intel.models import Source
from jewelguard.intel.selectors import MIN_CELL_COUNT, MIN_RESOLUTION, cells_max_resolution
from jewelguard.playbook.selectors import scenario_list


def _own_stores(request: HttpRequest) -> list[dict[str, object]]:
    """The viewer's own stores as map markers: members and their staff only, never others'."""
    user = request.user
    if not isinstance(user, User) or user.role not in (Role.MEMBER, Role.STAFF):
        return []
    return [
        {"name": store.name, "lat": store.latitude, "lon": store.longitude}
        for store in stores_visible_to(user=user).order_by("name", "pk")[:500]
    ]


@require_GET
def crime_map(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "intel/map.html",
        {
            "scenarios": [(scenario.id, scenario.title) for scenario in scenario_list()],
            "sources": Source.choices,
            "min_resolution": MIN_RESOLUTION,
            "max_resolution": cells_max_resolution(user=request.user),
            "min_count": MIN_CELL_COUNT,
            "own_stores": _own_stores(request),
        },
    )
