"""Verified police-data incidents at a chosen place and time, for statistics and export tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jewelguard.intel.geo import incident_cells
from jewelguard.intel.models import Incident


def incident_at(
    place: tuple[float, float],
    when: datetime,
    *,
    scenario_id: str = "grab_and_run",
    lost_cents: int = 0,
    number: int,
    save: bool = True,
    **fields: Any,
) -> Incident:
    fields.setdefault("verification", "verified")
    fields.setdefault("visibility", "public")
    latitude, longitude = place
    incident = Incident(
        scenario_id=scenario_id,
        nibrs_offense_code="23C",
        attempt="completed",
        occurred_from=when,
        reported_at=when,
        latitude=latitude,
        longitude=longitude,
        **incident_cells(latitude=latitude, longitude=longitude),
        location_type="24",
        premises="on",
        property_lost_cents=lost_cents,
        source="import",
        source_name="test-pd",
        source_id=str(number),
        **fields,
    )
    if save:
        incident.save()
    return incident
