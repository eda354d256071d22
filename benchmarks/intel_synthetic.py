"""Synthetic incidents for the crime-map benchmark: seeded, clustered around U.S. cities.

Nothing here is real: points are drawn around 40 city centres (weighted by a rough size),
with 4% scattered across the contiguous United States, scenarios and sources in fixed
proportions, dates spread over 2022-2025. The same seed gives the same incidents.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

# name, latitude, longitude, weight (a rough share of the incidents)
CITIES = [
    ("New York", 40.7128, -74.0060, 10.0),
    ("Los Angeles", 34.0522, -118.2437, 8.0),
    ("Chicago", 41.8781, -87.6298, 6.0),
    ("Houston", 29.7604, -95.3698, 5.0),
    ("Phoenix", 33.4484, -112.0740, 3.5),
    ("Philadelphia", 39.9526, -75.1652, 3.5),
    ("San Antonio", 29.4241, -98.4936, 3.0),
    ("San Diego", 32.7157, -117.1611, 3.0),
    ("Dallas", 32.7767, -96.7970, 3.5),
    ("San Jose", 37.3382, -121.8863, 2.0),
    ("Austin", 30.2672, -97.7431, 2.0),
    ("Jacksonville", 30.3322, -81.6557, 1.5),
    ("Columbus", 39.9612, -82.9988, 1.5),
    ("Charlotte", 35.2271, -80.8431, 1.5),
    ("Indianapolis", 39.7684, -86.1581, 1.5),
    ("San Francisco", 37.7749, -122.4194, 2.5),
    ("Seattle", 47.6062, -122.3321, 2.5),
    ("Denver", 39.7392, -104.9903, 2.5),
    ("Washington", 38.9072, -77.0369, 2.5),
    ("Boston", 42.3601, -71.0589, 2.5),
    ("Nashville", 36.1627, -86.7816, 1.2),
    ("Detroit", 42.3314, -83.0458, 2.0),
    ("Portland", 45.5152, -122.6784, 1.2),
    ("Las Vegas", 36.1699, -115.1398, 1.5),
    ("Memphis", 35.1495, -90.0490, 1.0),
    ("Baltimore", 39.2904, -76.6122, 1.5),
    ("Milwaukee", 43.0389, -87.9065, 1.0),
    ("Albuquerque", 35.0844, -106.6504, 0.8),
    ("Atlanta", 33.7490, -84.3880, 2.5),
    ("Miami", 25.7617, -80.1918, 3.0),
    ("Minneapolis", 44.9778, -93.2650, 1.5),
    ("New Orleans", 29.9511, -90.0715, 1.0),
    ("Cleveland", 41.4993, -81.6944, 1.0),
    ("Tampa", 27.9506, -82.4572, 1.2),
    ("St. Louis", 38.6270, -90.1994, 1.2),
    ("Pittsburgh", 40.4406, -79.9959, 1.0),
    ("Kansas City", 39.0997, -94.5786, 1.0),
    ("Salt Lake City", 40.7608, -111.8910, 0.8),
    ("Sacramento", 38.5816, -121.4944, 0.8),
    ("Honolulu", 21.3069, -157.8583, 0.6),
]
SCATTERED = 0.04
# (scenario id, NIBRS code, share)
SCENARIOS = [
    ("grab_and_run", "23C", 30),
    ("distraction_theft", "23D", 15),
    ("three_minute_burglary", "220", 14),
    ("smash_and_grab", "120", 10),
    ("armed_robbery", "120", 8),
    ("fraud", "26A", 8),
    ("switch_theft", "23D", 6),
    ("off_premises", "23F", 4),
    ("safe_burglary", "220", 3),
    ("insider_theft", "23H", 2),
]
START = datetime(2022, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2026, 1, 1, tzinfo=UTC) - START).total_seconds())


@dataclass(frozen=True)
class SyntheticIncident:
    number: int
    latitude: float
    longitude: float
    scenario_id: str
    nibrs: str
    occurred_at: datetime
    source: str  # import (90%), member_report (8%), live_event (2%)
    visibility: str  # public (85%), members (9%), law_enforcement (3%), private (3%)
    verification: str  # verified (95%), submitted (5%)


def synthetic_incidents(*, count: int, seed: int = 20261201) -> Iterator[SyntheticIncident]:
    """``count`` incidents, the same ones for the same seed."""
    rng = random.Random(seed)
    weights = [city[3] for city in CITIES]
    scenario_weights = [s[2] for s in SCENARIOS]
    for number in range(count):
        if rng.random() < SCATTERED:
            latitude, longitude = rng.uniform(25.0, 49.0), rng.uniform(-124.0, -67.0)
        else:
            _name, lat, lon, _w = rng.choices(CITIES, weights)[0]
            # most incidents near the centre, a tail out to the suburbs (sigma ~ 6 km, 25 km)
            sigma = 0.055 if rng.random() < 0.7 else 0.22
            latitude = lat + rng.gauss(0, sigma)
            longitude = lon + rng.gauss(0, sigma * 1.3)
        scenario_id, nibrs, _share = rng.choices(SCENARIOS, scenario_weights)[0]
        roll = rng.random()
        source = "import" if roll < 0.90 else ("member_report" if roll < 0.98 else "live_event")
        roll = rng.random()
        visibility = (
            "public"
            if roll < 0.85
            else "members"
            if roll < 0.94
            else "law_enforcement"
            if roll < 0.97
            else "private"
        )
        yield SyntheticIncident(
            number=number,
            latitude=round(latitude, 6),
            longitude=round(longitude, 6),
            scenario_id=scenario_id,
            nibrs=nibrs,
            occurred_at=START + timedelta(seconds=rng.randrange(SPAN_SECONDS)),
            source=source,
            visibility=visibility,
            verification="verified" if rng.random() < 0.95 else "submitted",
        )


# The offense names the synthetic police CSV uses, one per scenario (see synthetic.yaml).
OFFENSE_NAMES = {scenario_id: f"synthetic-{scenario_id}" for scenario_id, _c, _s in SCENARIOS}


def synthetic_csv_write(*, path: Path, count: int, seed: int = 20261201) -> None:
    """A police open-data CSV of ``count`` synthetic rows, for the import benchmark."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ID", "OFFENSE", "OCCURRED", "REPORTED", "ADDRESS", "LAT", "LON"])
        for incident in synthetic_incidents(count=count, seed=seed):
            when = incident.occurred_at.strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow(
                [
                    f"S{incident.number:08d}",
                    OFFENSE_NAMES[incident.scenario_id],
                    when,
                    when,
                    f"{incident.number % 9000 + 100} BLOCK SYNTHETIC ST",
                    f"{incident.latitude:.6f}",
                    f"{incident.longitude:.6f}",
                ]
            )
