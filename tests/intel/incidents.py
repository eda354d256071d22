"""Incidents for tests, made through the room's own service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jewelguard.accounts.models import Store, User
from jewelguard.intel.models import Incident
from jewelguard.intel.services import IncidentDetails, incident_create

WHEN = datetime(2025, 3, 4, 15, 30, tzinfo=UTC)


def incident_report(*, reporter: User, store: Store | None = None, **details: Any) -> Incident:
    """A completed smash-and-grab at the store (or at Larimer Square), reported by ``reporter``."""
    details.setdefault("scenario_id", "smash_and_grab")
    details.setdefault("nibrs_offense_code", "120")
    details.setdefault("occurred_from", WHEN)
    details.setdefault("latitude", store.latitude if store else 39.7478)
    details.setdefault("longitude", store.longitude if store else -104.9994)
    return incident_create(reporter=reporter, store=store, details=IncidentDetails(**details))


def incident_imported(*, cell: str, scenario_id: str, number: int, **fields: Any) -> Incident:
    """A verified police-data incident at the centre of H3 ``cell``."""
    import h3

    from jewelguard.intel.geo import incident_cells

    latitude, longitude = h3.cell_to_latlng(cell)
    source_name = fields.pop("source_name", "test-pd")
    fields.setdefault("verification", "verified")
    fields.setdefault("visibility", "public")
    fields.setdefault("occurred_from", WHEN)
    fields.setdefault("source", "import")
    return Incident.objects.create(
        scenario_id=scenario_id,
        nibrs_offense_code="220",
        attempt="completed",
        reported_at=WHEN,
        latitude=latitude,
        longitude=longitude,
        **incident_cells(latitude=latitude, longitude=longitude),
        location_type="25",
        premises="on",
        source_name=source_name,
        source_id=f"{cell}-{scenario_id}-{number}",
        **fields,
    )
