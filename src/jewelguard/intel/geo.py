"""Where incidents are: their H3 cells, one per resolution the map uses."""

from __future__ import annotations

import h3

from jewelguard.intel.places import incident_place

# The resolutions the map shows (zoom 6 -> 4 ... zoom 14-15 -> 10); each has its own column.
MAP_RESOLUTIONS = (4, 5, 6, 7, 8, 9, 10)


def incident_cells(*, latitude: float, longitude: float) -> dict[str, str]:
    """The incident's fields derived from its point: ``h3_r<N>``, one cell per map resolution,
    and the ``region`` and ``city`` it lies in (see intel.places)."""
    finest = h3.latlng_to_cell(latitude, longitude, MAP_RESOLUTIONS[-1])
    cells = {f"h3_r{MAP_RESOLUTIONS[-1]}": str(finest)}
    for resolution in MAP_RESOLUTIONS[:-1]:
        cells[f"h3_r{resolution}"] = str(h3.cell_to_parent(finest, resolution))
    return {**cells, **incident_place(latitude=latitude, longitude=longitude)}
