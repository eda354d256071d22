"""Where incidents are: their H3 cells, one per resolution the map uses."""

from __future__ import annotations

import h3

# The resolutions the map shows (zoom 6 -> 4 ... zoom 14-15 -> 10); each has its own column.
MAP_RESOLUTIONS = (4, 5, 6, 7, 8, 9, 10)


def incident_cells(*, latitude: float, longitude: float) -> dict[str, str]:
    """The incident's ``h3_r<N>`` fields for a point, one cell per map resolution."""
    finest = h3.latlng_to_cell(latitude, longitude, MAP_RESOLUTIONS[-1])
    cells = {f"h3_r{MAP_RESOLUTIONS[-1]}": str(finest)}
    for resolution in MAP_RESOLUTIONS[:-1]:
        cells[f"h3_r{resolution}"] = str(h3.cell_to_parent(finest, resolution))
    return cells
