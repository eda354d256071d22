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

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import h3
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from jewelguard.accounts.models import Store
from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.permissions import Action, Who, restrict
from jewelguard.intel.levels import LocalCrimeLevel
from jewelguard.intel.models import Incident, IncidentDraft, Verification, Visibility

__all__ = [
    "CellCount",
    "CellDetail",
    "LocalCrimeLevel",
    "crime_cell_detail",
    "crime_cells",
    "incident_draft_open",
    "incident_possible_duplicates",
    "incidents_visible",
    "local_crime_level",
    "moderation_queue",
]

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


# The map: counts per H3 cell in a viewport.
PUBLIC_MAX_RESOLUTION = 7
MAX_RESOLUTION = 10
MIN_RESOLUTION = 4
# The fewest incidents a cell shows with, for anyone but the association's analysts.
MIN_CELL_COUNT = 3
MAX_CELLS = 20_000


def cell_min_count(*, user: Who) -> int:
    """The fewest incidents a cell must hold to be shown to ``user``."""
    return 1 if user_is_association_staff(user=user) else MIN_CELL_COUNT


def _mapped_incidents(
    *,
    scenario_id: str | None,
    source: str | None,
    since: datetime | None,
    until: datetime | None,
) -> QuerySet[Incident]:
    """Incidents the map counts (verified, not private), narrowed by the map's filters."""
    incidents = Incident.objects.filter(verification=Verification.VERIFIED).exclude(
        visibility=Visibility.PRIVATE
    )
    if scenario_id:
        incidents = incidents.filter(scenario_id=scenario_id)
    if source:
        incidents = incidents.filter(source=source)
    if since:
        incidents = incidents.filter(occurred_from__gte=since)
    if until:
        incidents = incidents.filter(occurred_from__lt=until)
    return incidents


@dataclass(frozen=True)
class CellCount:
    cell: str
    count: int
    by_scenario: tuple[tuple[str, int], ...]


# The most cells one statement asks for (SQLite takes 32,766 parameters; PostgreSQL more).
CELLS_PER_QUERY = 5000
# Longitudes are cut into strips this wide, so that H3 never reads an edge of a wide box
# as crossing the antimeridian.
_STRIP_DEGREES = 90.0


def viewport_cells(*, bbox: tuple[float, float, float, float], resolution: int) -> list[str]:
    """The H3 cells of ``resolution`` whose centre lies in ``bbox`` (west, south, east, north)."""
    west, south, east, north = bbox
    found: set[str] = set()
    left = west
    while left < east:
        right = min(east, left + _STRIP_DEGREES)
        ring = [(south, left), (south, right), (north, right), (north, left)]
        found.update(h3.polygon_to_cells(h3.LatLngPoly(ring), resolution))
        left = right
    return sorted(found)


def _cells_rows(
    *, cells: list[str], resolution: int, incidents: QuerySet[Incident]
) -> QuerySet[Incident, tuple[str, str, int]]:
    """(cell, scenario, count) for ``incidents`` in ``cells``, one GROUP BY on the cell column.

    Asking by cell (an IN list on the cell column) rather than by latitude and longitude
    lets the database walk the partial index ``incident_counted_h3_r<N>`` for just those
    cells, and counts every cell on the edge whole. A view of more than
    ``CELLS_PER_QUERY`` cells (a country) walks the whole index instead, which is as fast
    and keeps the statement small; the caller then keeps the cells in view.
    """
    column = f"h3_r{resolution}"
    if len(cells) <= CELLS_PER_QUERY:
        incidents = incidents.filter(**{f"{column}__in": cells})
    return incidents.order_by().values_list(column, "scenario_id").annotate(count=Count("*"))


def crime_cells_sql(
    *, bbox: tuple[float, float, float, float], resolution: int
) -> tuple[str, tuple[object, ...]]:
    """The statement ``crime_cells`` runs, unfiltered, and its parameters (EXPLAIN, benchmarks)."""
    rows = _cells_rows(
        cells=viewport_cells(bbox=bbox, resolution=resolution),
        resolution=resolution,
        incidents=_mapped_incidents(scenario_id=None, source=None, since=None, until=None),
    )
    sql, params = rows.query.sql_with_params()
    return sql, tuple(params)


def cells_max_resolution(*, user: Who) -> int:
    """The finest cells ``user`` may ask for: coarse ones for the public."""
    return MAX_RESOLUTION if user.is_authenticated else PUBLIC_MAX_RESOLUTION


def crime_cells(
    *,
    user: Who,
    bbox: tuple[float, float, float, float],
    resolution: int,
    scenario_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
) -> list[CellCount]:
    """Verified, shared incidents counted per H3 cell whose centre lies in ``bbox``.

    ``bbox`` is (west, south, east, north) in degrees, west before east; each cell counts
    all of its incidents, also those beyond the box. Cells with fewer than
    ``MIN_CELL_COUNT`` incidents are left out for everyone but analysts and administrators,
    so that no cell points at one reporter. The caller checks the resolution and the bbox.
    """
    in_view = viewport_cells(bbox=bbox, resolution=resolution)
    rows = _cells_rows(
        cells=in_view,
        resolution=resolution,
        incidents=_mapped_incidents(
            scenario_id=scenario_id, source=source, since=since, until=until
        ),
    )
    shown = set(in_view)
    per_cell: dict[str, dict[str, int]] = {}
    for cell, scenario, count in rows:
        if cell in shown:
            per_cell.setdefault(cell, {})[scenario] = count
    floor = cell_min_count(user=user)
    found = []
    for cell, scenarios in sorted(per_cell.items()):
        total = sum(scenarios.values())
        if total >= floor:
            found.append(
                CellCount(cell=cell, count=total, by_scenario=tuple(sorted(scenarios.items())))
            )
    return found


# Incidents one by one: "my incidents", the moderation queue, the API's list.
def incidents_visible(*, user: Who) -> QuerySet[Incident]:
    """The incidents ``user`` may open, newest first, without duplicates merged away."""
    return (
        restrict(Incident.objects.all(), user=user, action=Action.VIEW)
        .filter(merged_into__isnull=True)
        .select_related("store")
        .order_by("-occurred_from", "-pk")
    )


def incident_draft_open(*, user: Who) -> IncidentDraft | None:
    """The user's report draft being written, if any (not one closed by a report sent)."""
    if not user.is_authenticated:
        return None
    draft = IncidentDraft.objects.filter(user_id=user.pk).first()
    return draft if draft is not None and "closed" not in draft.fields else None


def moderation_queue() -> QuerySet[Incident]:
    """Reports waiting for an analyst, oldest first: submitted and under review."""
    return (
        Incident.objects.filter(
            verification__in=(Verification.SUBMITTED, Verification.UNDER_REVIEW),
            merged_into__isnull=True,
        )
        .select_related("store", "member")
        .order_by("reported_at", "pk")
    )


def incident_possible_duplicates(*, incident: Incident) -> QuerySet[Incident]:
    """Other incidents of the same scenario in the same H3 cell (resolution 7, about 5 km²)
    within two days: what an analyst checks before merging."""
    window = timedelta(days=2)
    return (
        Incident.objects.filter(
            scenario_id=incident.scenario_id,
            h3_r7=incident.h3_r7,
            occurred_from__gte=incident.occurred_from - window,
            occurred_from__lte=incident.occurred_from + window,
            merged_into__isnull=True,
        )
        .exclude(pk=incident.pk)
        .exclude(verification=Verification.REJECTED)
        .order_by("occurred_from", "pk")[:10]
    )


# A cell's trend covers this many months, ending with the month of its latest incident.
TREND_MONTHS = 12


@dataclass(frozen=True)
class CellDetail:
    """One hexagon: its total, its counts by scenario and its incidents per month.

    ``by_scenario`` holds only scenarios with at least the viewer's floor of incidents;
    ``other`` counts the rest together, so that no small number names one reporter.
    ``trend`` is ``(first day of the month, count)`` for ``TREND_MONTHS`` months.
    """

    cell: str
    count: int
    by_scenario: tuple[tuple[str, int], ...]
    other: int
    trend: tuple[tuple[datetime, int], ...]


def crime_cell_detail(
    *,
    user: Who,
    cell: str,
    scenario_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
) -> CellDetail | None:
    """What one hexagon holds, under the map's filters; None where ``user`` may not see it.

    The same rules as ``crime_cells``: verified incidents not shared privately, and no
    cell under ``MIN_CELL_COUNT`` for anyone but analysts. The caller checks the cell id
    and its resolution.
    """
    column = f"h3_r{h3.get_resolution(cell)}"
    incidents = _mapped_incidents(
        scenario_id=scenario_id, source=source, since=since, until=until
    ).filter(**{column: cell})
    by_scenario = dict(incidents.order_by().values_list("scenario_id").annotate(count=Count("pk")))
    total = sum(by_scenario.values())
    floor = cell_min_count(user=user)
    if total == 0 or total < floor:
        return None
    shown = tuple(sorted((s, n) for s, n in by_scenario.items() if n >= floor))
    months = {
        month: count
        for month, count in incidents.order_by()
        .annotate(month=TruncMonth("occurred_from", tzinfo=UTC))
        .values_list("month")
        .annotate(count=Count("pk"))
    }
    latest = max(months)
    trend = []
    year, month = latest.year, latest.month
    for _step in range(TREND_MONTHS):
        first = latest.replace(year=year, month=month, day=1)
        trend.append((first, months.get(first, 0)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return CellDetail(
        cell=cell,
        count=total,
        by_scenario=shown,
        other=total - sum(n for _s, n in shown),
        trend=tuple(reversed(trend)),
    )
