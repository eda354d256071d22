"""Reads of crime intelligence that other rooms may call. Keep them stable.

The local crime level compares, per scenario, how many incidents happened around a store with
how many happen in its region:

- around the store: its H3 cell at resolution 7 (about 5 km²) and the six around it;
- its region: its cell at resolution 4 (about 1,800 km²) and the six around it;
- the regional rate is per resolution-7 cell *where any incident was recorded*, so that
  mountains, lakes and farmland do not dilute a city's rate; the local rate is per cell of
  the store's seven, empty ones included.

Counted: verified incidents shared in any way other than "private" (police imports, members'
verified reports). With fewer than ``MIN_REGIONAL_INCIDENTS`` in the region the level is
unknown, and so is a scenario the region has never seen.
"""

from __future__ import annotations

import h3
from django.db.models import Count

from jewelguard.accounts.models import Store
from jewelguard.intel.levels import LocalCrimeLevel
from jewelguard.intel.models import Incident, Verification, Visibility

__all__ = ["LocalCrimeLevel", "local_crime_level"]

LOCAL_RESOLUTION = 7
REGION_RESOLUTION = 4
MIN_REGIONAL_INCIDENTS = 30


def local_crime_level(*, store: Store) -> LocalCrimeLevel:
    """How common each scenario is around ``store`` against the regional rate."""
    if not store.h3_cell or not h3.is_valid_cell(store.h3_cell):
        return LocalCrimeLevel.unknown()
    if h3.get_resolution(store.h3_cell) < LOCAL_RESOLUTION:
        return LocalCrimeLevel.unknown()
    local_cells = h3.grid_disk(h3.cell_to_parent(store.h3_cell, LOCAL_RESOLUTION), 1)
    region_cells = h3.grid_disk(h3.cell_to_parent(store.h3_cell, REGION_RESOLUTION), 1)
    counted = Incident.objects.filter(verification=Verification.VERIFIED).exclude(
        visibility=Visibility.PRIVATE
    )
    regional = counted.filter(h3_r4__in=region_cells)
    by_scenario = dict(regional.order_by().values_list("scenario_id").annotate(count=Count("pk")))
    if sum(by_scenario.values()) < MIN_REGIONAL_INCIDENTS:
        return LocalCrimeLevel.unknown()
    active_cells = regional.order_by().values("h3_r7").distinct().count()
    local = dict(
        counted.filter(h3_r7__in=local_cells)
        .order_by()
        .values_list("scenario_id")
        .annotate(count=Count("pk"))
    )
    ratios = {
        scenario_id: (local.get(scenario_id, 0) / len(local_cells)) / (count / active_cells)
        for scenario_id, count in by_scenario.items()
    }
    return LocalCrimeLevel.from_ratios(ratios)
