"""Benchmark: the statistics page's figures over a million synthetic incidents.

What it does, in process (no HTTP server), on the embedded default (SQLite):

1. Django set up with the project's settings in debug mode, a throwaway data directory and a
   migrated SQLite database;
2. --incidents synthetic incidents (1,000,000 unless told) from a seeded generator (--seed):
   30 U.S. and Canadian cities weighted by size, points scattered about 10 km around each
   centre, dates spread over 2015-2024, every scenario, losses from a log-normal draw, 95%
   verified and 5% private, inserted with executemany in batches;
3. the tally the page reads built once, from cold (as after any change to the incidents);
4. for each query of the page (no filter: the whole data set; a state; a city over two years;
   a map area; a scenario), ``intel.stats.incident_stats`` as the page calls it, --runs times
   worked out from the tally (its kept answers cleared each time), then --runs times again as
   a repeated request gets it (kept until an incident changes), and beside it the naive way:
   load the matching rows and sum them in Python;
5. a table of p50 and p95 in milliseconds of wall-clock, with the number of incidents counted,
   and a check that both ways give the same total.

    .venv/bin/python benchmarks/intel_stats_bench.py
    .venv/bin/python benchmarks/intel_stats_bench.py --incidents 100000 --runs 20
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# (city, region, latitude, longitude, weight)
CITIES = [
    ("New York", "NY", 40.7128, -74.0060, 40),
    ("Los Angeles", "CA", 34.0522, -118.2437, 30),
    ("Chicago", "IL", 41.8781, -87.6298, 20),
    ("Houston", "TX", 29.7604, -95.3698, 18),
    ("Phoenix", "AZ", 33.4484, -112.0740, 12),
    ("Philadelphia", "PA", 39.9526, -75.1652, 12),
    ("San Antonio", "TX", 29.4241, -98.4936, 10),
    ("San Diego", "CA", 32.7157, -117.1611, 10),
    ("Dallas", "TX", 32.7767, -96.7970, 10),
    ("Miami", "FL", 25.7617, -80.1918, 14),
    ("Atlanta", "GA", 33.7490, -84.3880, 10),
    ("Denver", "CO", 39.7392, -104.9903, 8),
    ("Seattle", "WA", 47.6062, -122.3321, 8),
    ("Boston", "MA", 42.3601, -71.0589, 8),
    ("Las Vegas", "NV", 36.1699, -115.1398, 8),
    ("Detroit", "MI", 42.3314, -83.0458, 6),
    ("Minneapolis", "MN", 44.9778, -93.2650, 5),
    ("Portland", "OR", 45.5152, -122.6784, 5),
    ("Charlotte", "NC", 35.2271, -80.8431, 5),
    ("Nashville", "TN", 36.1627, -86.7816, 5),
    ("Baltimore", "MD", 39.2904, -76.6122, 5),
    ("St. Louis", "MO", 38.6270, -90.1994, 4),
    ("New Orleans", "LA", 29.9511, -90.0715, 4),
    ("Salt Lake City", "UT", 40.7608, -111.8910, 3),
    ("Albuquerque", "NM", 35.0844, -106.6504, 3),
    ("Toronto", "ON", 43.6532, -79.3832, 12),
    ("Montréal", "QC", 45.5019, -73.5674, 9),
    ("Vancouver", "BC", 49.2827, -123.1207, 6),
    ("Calgary", "AB", 51.0447, -114.0719, 3),
    ("Ottawa", "ON", 45.4215, -75.6972, 3),
]
CANADA = {"ON", "QC", "BC", "AB"}
NIBRS = {
    "smash_and_grab": "120",
    "armed_robbery": "120",
    "three_minute_burglary": "220",
    "safe_burglary": "220",
    "grab_and_run": "23C",
    "distraction_theft": "23D",
    "switch": "23D",
    "fraud": "26A",
    "off_premises": "120",
    "cyber": "26G",
}
COLUMNS = (
    "scenario_id, nibrs_offense_code, attempt, occurred_from, reported_at, address, latitude, "
    "longitude, h3_r4, h3_r5, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, region, city, location_type, "
    "premises, off_premises_scene, property_lost_cents, property_recovered_cents, currency, "
    "modus_operandi, police_case_number, source, source_name, source_id, visibility, "
    "verification, rejection_reason, created_at, updated_at"
)


def _setup(data_dir: str) -> bool:
    """Django on a data directory; True if its database already holds the incidents."""
    os.environ["JEWELGUARD_DEBUG"] = "1"
    os.environ["JEWELGUARD_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="jewelguard-bench-")
    os.environ["JEWELGUARD_REDIS_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "jewelguard.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from jewelguard.intel.models import Incident

    return Incident.objects.filter(source_name="bench").exists()


def incidents_generate(*, count: int, seed: int, batch: int = 20_000) -> float:
    """Insert ``count`` synthetic incidents (SQLite); returns the seconds it took."""
    import h3
    from django.db import connection, transaction

    from jewelguard.playbook.content import SCENARIO_IDS

    rng = random.Random(seed)
    cum_weights = list(itertools.accumulate(c[4] for c in CITIES))
    start_day = date(2015, 1, 1)
    days = (date(2024, 12, 31) - start_day).days
    placeholders = ", ".join(["%s"] * len(COLUMNS.split(",")))
    sql = f"INSERT INTO intel_incident ({COLUMNS}) VALUES ({placeholders})"  # noqa: S608
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    started = time.perf_counter()
    # Indexes are dropped for the load and made again at the end: far faster than keeping ten
    # of them up to date row by row. The throwaway database need not survive a crash.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'intel_incident' AND sql IS NOT NULL"
        )
        indexes = cursor.fetchall()
        cursor.execute("PRAGMA synchronous = OFF")
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    made = 0
    while made < count:
        rows: list[tuple[Any, ...]] = []
        for _ in range(min(batch, count - made)):
            city, region, lat, lon, _w = rng.choices(CITIES, cum_weights=cum_weights)[0]
            latitude = lat + rng.gauss(0, 0.08)
            longitude = lon + rng.gauss(0, 0.08 / math.cos(math.radians(lat)))
            finest = h3.latlng_to_cell(latitude, longitude, 10)
            cells = [h3.cell_to_parent(finest, r) for r in range(4, 10)] + [finest]
            when = datetime.combine(
                start_day + timedelta(days=rng.randrange(days)), datetime.min.time()
            ) + timedelta(seconds=rng.randrange(86_400))
            stamp = when.strftime("%Y-%m-%d %H:%M:%S")
            scenario_id = rng.choice(SCENARIO_IDS)
            made += 1
            rows.append(
                (
                    scenario_id,
                    NIBRS.get(scenario_id, "23D"),
                    "completed" if rng.random() < 0.85 else "attempted",
                    stamp,
                    stamp,
                    "",
                    latitude,
                    longitude,
                    *cells,
                    region,
                    city,
                    "24",
                    "on",
                    "",
                    int(rng.lognormvariate(10.5, 1.6)),
                    0,
                    "CAD" if region in CANADA else "USD",
                    "[]",
                    "",
                    "import",
                    "bench",
                    str(made),
                    "private" if rng.random() < 0.05 else "public",
                    "verified" if rng.random() < 0.95 else "submitted",
                    "",
                    now,
                    now,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        print(f"  {made:,} incidents", end="\r", flush=True)
    print(f"\n  making {len(indexes)} indexes ...")
    with connection.cursor() as cursor:
        for _name, sql_text in indexes:
            cursor.execute(sql_text)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def naive_stats(*, query: Any) -> tuple[int, dict[str, int]]:
    """The baseline: load every matching row and add them up in Python."""
    from jewelguard.intel.stats import counted_incidents, incidents_filter

    months: dict[tuple[str, str, str], list[int]] = {}
    regions: dict[str, int] = {}
    rows = (
        incidents_filter(counted_incidents(), query=query)
        .order_by()
        .values_list("occurred_from", "scenario_id", "currency", "property_lost_cents", "region")
    )
    total = 0
    for occurred_from, scenario_id, currency, lost, region in rows.iterator(chunk_size=10_000):
        key = (f"{occurred_from:%Y-%m}", scenario_id, currency)
        tally = months.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += lost
        regions[region] = regions.get(region, 0) + 1
        total += 1
    return total, regions


def _percentiles(call: Callable[[], object], runs: int) -> tuple[float, float, float, object]:
    """p50 and p95 of wall-clock, p95 of CPU time (ms), and the last answer. CPU time is the
    work done by this process (SQLite runs in it), meaningful on a machine shared with others."""
    times, cpu, answer = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = call()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    cpu.sort()
    at = min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)
    return statistics.median(times), times[at], cpu[at], answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--data-dir", default="", help="keep (and reuse) the database here")
    args = parser.parse_args()
    ready = _setup(args.data_dir)
    from django.contrib.auth.models import AnonymousUser

    from jewelguard.intel.stats import StatsQuery, incident_stats

    if not ready:
        print(f"generating {args.incidents:,} incidents (seed {args.seed}) ...")
        seconds = incidents_generate(count=args.incidents, seed=args.seed)
        print(f"generated in {seconds:.0f} s{' ' * 20}")
    queries = {
        "no filter (everything)": StatsQuery(),
        "state: TX": StatsQuery(region="TX"),
        "city: Denver, 2023-2024": StatsQuery(
            city="Denver", since=date(2023, 1, 1), until=date(2024, 12, 31)
        ),
        "map area: Chicago": StatsQuery(bbox=(-88.0, 41.6, -87.3, 42.1)),
        "scenario: smash_and_grab": StatsQuery(scenario_id="smash_and_grab"),
    }
    anonymous = AnonymousUser()
    from django.core.cache import cache

    from jewelguard.intel import stats

    cache.clear()
    stats._memo.clear()
    start, start_cpu = time.perf_counter(), time.process_time()
    tally = stats.counted_tally()
    print(
        f"tally (built once per change to the incidents): {len(tally):,} rows in "
        f"{(time.perf_counter() - start) * 1000:.0f} ms "
        f"({(time.process_time() - start_cpu) * 1000:.0f} ms CPU)"
    )
    print()
    print(
        f"{'query':<28} {'counted':>9} {'p50':>6} {'p95':>6} {'p95 CPU':>8}"
        f" {'again p95':>10} {'naive p50':>10} {'naive CPU':>10}"
    )

    def from_tally(query: StatsQuery) -> object:
        stats._results.clear()  # the figures worked out again, from the tally
        return incident_stats(user=anonymous, query=query)

    for name, query in queries.items():
        p50, p95, p95_cpu, result = _percentiles(lambda q=query: from_tally(q), args.runs)
        _p50, again_p95, _cpu, _same = _percentiles(
            lambda q=query: incident_stats(user=anonymous, query=q), args.runs
        )
        naive_p50, _naive_p95, naive_cpu, naive = _percentiles(
            lambda q=query: naive_stats(query=q), args.naive_runs
        )
        total = result.total  # type: ignore[attr-defined]
        assert naive is not None and naive[0] == total, "the two ways disagree"  # type: ignore[index]
        print(
            f"{name:<28} {total:>9,} {p50:>6.0f} {p95:>6.0f} {p95_cpu:>8.0f}"
            f" {again_p95:>10.0f} {naive_p50:>10.0f} {naive_cpu:>10.0f}"
        )
    print()
    print(
        f"{args.runs} runs per query (naive: {args.naive_runs}), milliseconds of wall-clock; "
        f"Python {platform.python_version()}, SQLite, {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
