"""Zones: who is in which area of the view, since when, and who just came in or left.

A person is in a zone when their foot point (the bottom centre of their box) is inside the
zone's polygon; zones are drawn in fractions of the frame, so any decode size fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from jewelguard.sentinel.pipeline.types import Point, Track, Zone


def point_in_polygon(*, point: Point, polygon: Sequence[Point]) -> bool:
    """Whether `point` lies inside `polygon` (ray casting; points on an edge may go either way)."""
    x, y = point
    inside = False
    count = len(polygon)
    if count < 3:
        return False
    j = count - 1
    for i in range(count):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def zone_check(*, zone: Zone) -> None:
    """Raise ValueError naming the zone when its polygon cannot be used."""
    if not zone.name or len(zone.name) > 100:
        raise ValueError("zone name: give a name of at most 100 characters")
    if not 3 <= len(zone.polygon) <= 100:
        raise ValueError(f"zone {zone.name!r}: a polygon needs 3 to 100 points")
    for x, y in zone.polygon:
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            raise ValueError(
                f"zone {zone.name!r}: points are fractions of the frame, between 0 and 1"
            )


@dataclass(frozen=True)
class ZoneEntry:
    """A person came into a zone (or was first seen inside it)."""

    track_id: int
    zone: str
    at_s: float
    speed: float  # body heights per second when they came in


@dataclass(frozen=True)
class ZoneExit:
    """A person left a zone (walked out or was lost from view)."""

    track_id: int
    zone: str
    at_s: float
    speed: float  # body heights per second when they left
    dwell_s: float


class ZonePresence:
    """Who is in each zone of one camera, and since when."""

    def __init__(self, *, zones: Sequence[Zone], lost_after_s: float = 2.0) -> None:
        for zone in zones:
            zone_check(zone=zone)
        self.zones = tuple(zones)
        self.lost_after_s = lost_after_s
        # (track id, zone name) -> when they came in
        self._since: dict[tuple[int, str], float] = {}
        self._last_seen: dict[int, tuple[float, float]] = {}  # track id -> (at_s, speed)

    def update(
        self, *, tracks: Sequence[Track], at_s: float
    ) -> tuple[list[Track], list[ZoneEntry], list[ZoneExit]]:
        """Place this frame's tracks in zones: the tracks with their zones, entries, exits."""
        placed: list[Track] = []
        entries: list[ZoneEntry] = []
        exits: list[ZoneExit] = []
        for track in tracks:
            # The foot point comes from the track's path (fractions of the frame).
            foot = track.path[-1] if track.path else None
            names = tuple(
                zone.name
                for zone in self.zones
                if foot is not None and point_in_polygon(point=foot, polygon=zone.polygon)
            )
            self._last_seen[track.track_id] = (at_s, track.speed_heights)
            for name in names:
                if (track.track_id, name) not in self._since:
                    self._since[(track.track_id, name)] = at_s
                    entries.append(
                        ZoneEntry(
                            track_id=track.track_id, zone=name, at_s=at_s, speed=track.speed_heights
                        )
                    )
            for (track_id, name), since in list(self._since.items()):
                if track_id == track.track_id and name not in names:
                    del self._since[(track_id, name)]
                    exits.append(
                        ZoneExit(
                            track_id=track_id,
                            zone=name,
                            at_s=at_s,
                            speed=track.speed_heights,
                            dwell_s=at_s - since,
                        )
                    )
            placed.append(replace(track, zones=names) if names != track.zones else track)
        # People not seen for a while have left every zone they were in.
        for track_id, (seen_at, speed) in list(self._last_seen.items()):
            if at_s - seen_at < self.lost_after_s:
                continue
            del self._last_seen[track_id]
            for (other_id, name), since in list(self._since.items()):
                if other_id == track_id:
                    del self._since[(other_id, name)]
                    exits.append(
                        ZoneExit(
                            track_id=track_id,
                            zone=name,
                            at_s=seen_at,
                            speed=speed,
                            dwell_s=seen_at - since,
                        )
                    )
        return placed, entries, exits

    def occupants(self, *, zone: str) -> list[int]:
        """The ids of the people in `zone` now."""
        return sorted(track_id for track_id, name in self._since if name == zone)

    def dwell_s(self, *, track_id: int, zone: str, at_s: float) -> float:
        """How long `track_id` has been in `zone` (0 when not in it)."""
        since = self._since.get((track_id, zone))
        return 0.0 if since is None else at_s - since
