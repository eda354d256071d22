"""Benchmark: the crime map's viewport query on one million incidents, and importing a million.

What it does, in one run, on SQLite and (when JEWELGUARD_DATABASE_URL is set) PostgreSQL:

1. writes --incidents synthetic incidents (1,000,000 unless told; seeded, clustered around 40
   U.S. cities, see intel_synthetic.py) into a migrated database, with a progress bar;
2. times, at city zoom (Denver at zoom 10 on a 900 x 600 px map: resolution 7) and for the
   whole country (zoom 4: resolution 4), as the public asks:
   - **api**: ``GET /api/intel/cells`` through Django's test client (routing, middleware,
     the selector, GeoJSON boundaries, ETag), no HTTP server;
   - **query**: the selector alone, ``crime_cells``;
   - **bare**: the selector's own SQL statement run on a cursor and fetched, nothing else:
     the GROUP BY on the index that the query cannot beat;
   - **naive**: the baseline the map could have been: fetch every point in the viewport
     (and its margin) and bin it with ``h3.latlng_to_cell`` in Python;
   each --runs times per round, --rounds rounds; it prints, per case, the median over the
   rounds of each round's median and 95th percentile, in milliseconds of wall clock;
3. writes a police CSV of --import-rows synthetic rows (1,000,000 unless told) with its
   profile (synthetic.yaml), and imports it through the real importer (``incidents_import``,
   what ``jewelguard import_incidents`` runs) into an empty incident table, in a subprocess of
   its own that reports its wall time and its peak memory (``resource.getrusage``).

Each database is benchmarked in a child process, so that one's memory and caches do not
colour the other's figures. PostgreSQL's incident table is emptied first: point
JEWELGUARD_DATABASE_URL at a throwaway database.

    .venv/bin/python benchmarks/intel_map_bench.py
    .venv/bin/python benchmarks/intel_map_bench.py --incidents 100000 --runs 10 --skip-import
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

# (name, bbox west,south,east,north, resolution)
VIEWS = [
    ("city (Denver, zoom 10)", (-105.61, 39.42, -104.37, 40.05), 7),
    ("country (zoom 4)", (-125.0, 24.0, -66.0, 50.0), 4),
]


def _setup(database_url: str) -> None:
    os.environ["JEWELGUARD_DEBUG"] = "1"
    os.environ["JEWELGUARD_DATA_DIR"] = tempfile.mkdtemp(prefix="jewelguard-bench-")
    os.environ["JEWELGUARD_REDIS_URL"] = ""
    os.environ["JEWELGUARD_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "jewelguard.settings"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    # debug mode only for its generated secret key: no query log (as in production)
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def _empty_incidents() -> None:
    from django.db import connection

    from jewelguard.intel.models import Incident

    table = Incident._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table} CASCADE")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the model's own table)


def _load(count: int) -> float:
    """Write ``count`` synthetic incidents straight into the table; returns seconds taken."""
    from django.db import connection, transaction
    from intel_synthetic import synthetic_incidents
    from tqdm import tqdm

    from jewelguard.intel.geo import incident_cells
    from jewelguard.intel.models import Incident

    columns = [
        "scenario_id", "nibrs_offense_code", "attempt", "occurred_from", "reported_at",
        "address", "latitude", "longitude", "h3_r4", "h3_r5", "h3_r6", "h3_r7", "h3_r8",
        "h3_r9", "h3_r10", "location_type", "premises", "off_premises_scene",
        "property_lost_cents", "property_recovered_cents", "currency", "modus_operandi",
        "police_case_number", "source", "source_name", "source_id", "visibility",
        "verification", "rejection_reason", "created_at", "updated_at",
    ]  # fmt: skip
    table = Incident._meta.db_table
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    adapt = connection.ops.adapt_datetimefield_value
    started = time.perf_counter()
    batch: list[tuple[Any, ...]] = []
    # A bulk load: the indexes are dropped first and built once at the end, as a restore does
    # (the import benchmark below inserts into the indexed table, as imports do).
    with connection.schema_editor() as editor:
        for index in Incident._meta.indexes:
            editor.remove_index(Incident, index)

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: executemany takes ten minutes
                raw = connection.connection
                assert raw is not None
                with raw.cursor() as pg, pg.copy(copy_sql) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, batch)
        batch.clear()

    with tqdm(total=count, unit=" incidents", file=sys.stderr, dynamic_ncols=True) as bar:
        for incident in synthetic_incidents(count=count):
            cells = incident_cells(latitude=incident.latitude, longitude=incident.longitude)
            when = adapt(incident.occurred_at)
            batch.append(
                (
                    incident.scenario_id, incident.nibrs, "completed", when, when, "",
                    incident.latitude, incident.longitude, cells["h3_r4"], cells["h3_r5"],
                    cells["h3_r6"], cells["h3_r7"], cells["h3_r8"], cells["h3_r9"],
                    cells["h3_r10"], "25", "on", "", 0, 0, "USD", "[]", "",
                    incident.source, "synthetic" if incident.source == "import" else "",
                    f"S{incident.number:08d}" if incident.source == "import" else "",
                    incident.visibility, incident.verification, "", when, when,
                )
            )  # fmt: skip
            if len(batch) >= 20_000:
                bar.update(len(batch))
                flush()
        bar.update(len(batch))
        if batch:
            flush()
    with connection.schema_editor() as editor:
        for index in Incident._meta.indexes:
            editor.add_index(Incident, index)
    with connection.cursor() as cursor:
        # PostgreSQL reads a covering index alone only once VACUUM has marked the pages
        # all-visible (autovacuum does it on a live site).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


def _timed(call: Callable[[], object], runs: int) -> list[float]:
    wall = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        wall.append((time.perf_counter() - start) * 1000)
    return wall


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _map_child(args: argparse.Namespace) -> dict[str, Any]:
    _setup(args.database)
    import h3
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client

    from jewelguard.intel import selectors
    from jewelguard.intel.models import Incident, Verification, Visibility

    settings.ALLOWED_HOSTS = ["testserver"]
    _empty_incidents()
    load_s = _load(args.incidents)
    client = Client()
    public = AnonymousUser()

    def api(bbox: tuple[float, ...], res: int) -> Callable[[], object]:
        query = {"bbox": ",".join(str(v) for v in bbox), "res": res}

        def call() -> object:
            answer = client.get("/api/intel/cells", query)
            assert answer.status_code == 200, answer.content[:200]
            return answer

        return call

    def query(bbox: tuple[float, float, float, float], res: int) -> Callable[[], object]:
        return lambda: selectors.crime_cells(user=public, bbox=bbox, resolution=res)

    def bare(bbox: tuple[float, float, float, float], res: int) -> Callable[[], object]:
        sql, params = selectors.crime_cells_sql(bbox=bbox, resolution=res)

        def call() -> object:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return call

    def naive(bbox: tuple[float, float, float, float], res: int) -> Callable[[], object]:
        west, south, east, north = bbox
        margin = h3.average_hexagon_edge_length(res, unit="km") * 2 / 80.0

        def call() -> object:
            points = (
                Incident.objects.filter(
                    verification=Verification.VERIFIED,
                    latitude__gte=south - margin,
                    latitude__lte=north + margin,
                    longitude__gte=west - margin,
                    longitude__lte=east + margin,
                )
                .exclude(visibility=Visibility.PRIVATE)
                .values_list("latitude", "longitude")
            )
            counts = Counter(h3.latlng_to_cell(lat, lon, res) for lat, lon in points.iterator())
            shown = []
            for cell, count in counts.items():
                lat, lon = h3.cell_to_latlng(cell)
                if count >= 3 and south <= lat <= north and west <= lon <= east:
                    shown.append((cell, count))
            return shown

        return call

    methods = {"api": api, "query": query, "bare": bare, "naive": naive}
    results: dict[str, Any] = {"load_s": load_s, "cases": []}
    for name, bbox, res in VIEWS:
        cells = len(selectors.crime_cells(user=public, bbox=bbox, resolution=res))
        for method, make in methods.items():
            call = make(bbox, res)
            call()  # warm: caches, prepared plans
            runs = max(3, args.runs // 4) if method == "naive" else args.runs
            rounds = [_timed(call, runs) for _ in range(args.rounds)]
            results["cases"].append(
                {
                    "view": name,
                    "res": res,
                    "cells": cells,
                    "method": method,
                    "median": statistics.median(statistics.median(r) for r in rounds),
                    "p95": statistics.median(_p95(r) for r in rounds),
                    "p95_worst": max(_p95(r) for r in rounds),
                }
            )
            print(f"  {name} {method}: {results['cases'][-1]}", file=sys.stderr)
    return results


def _import_child(args: argparse.Namespace) -> dict[str, Any]:
    _setup(args.database)
    from intel_synthetic import synthetic_csv_write  # noqa: F401 (the path is set up above)
    from tqdm import tqdm

    from jewelguard.intel.imports import incidents_import
    from jewelguard.intel.models import Incident
    from jewelguard.intel.profiles import profile_load

    _empty_incidents()
    profile = profile_load(name_or_path=str(HERE / "synthetic.yaml"))
    started = time.perf_counter()
    with tqdm(total=args.import_rows, unit=" rows", file=sys.stderr, dynamic_ncols=True) as bar:
        summary = incidents_import(
            paths=[Path(args.csv)],
            profile=profile,
            rejects_path=None,
            progress=lambda rows, _rejects: bar.update(rows),
        )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "added": summary.added,
        "rejects": len(summary.rejects),
        "in_table": Incident.objects.count(),
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }


def _child(kind: str, database: str, args: argparse.Namespace, extra: list[str]) -> Any:
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--database",
        database,
        "--incidents",
        str(args.incidents),
        "--import-rows",
        str(args.import_rows),
        "--runs",
        str(args.runs),
        "--rounds",
        str(args.rounds),
        *extra,
    ]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.1f}, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-map", action="store_true")
    parser.add_argument("--child", choices=["map", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "map":
        print(json.dumps(_map_child(args)))
        return
    if args.child == "import":
        print(json.dumps(_import_child(args)))
        return

    scratch = Path(tempfile.mkdtemp(prefix="jewelguard-mapbench-"))
    databases = {"SQLite": f"sqlite:///{scratch / 'bench.sqlite3'}"}
    if os.environ.get("JEWELGUARD_DATABASE_URL", "").startswith("postgres"):
        databases["PostgreSQL"] = os.environ["JEWELGUARD_DATABASE_URL"]
    else:
        print("JEWELGUARD_DATABASE_URL is not a PostgreSQL URL: SQLite only.", file=sys.stderr)
    print(f"Machine: {_machine()}")
    if not args.skip_map:
        for label, url in databases.items():
            print(f"{label}: loading {args.incidents:,} incidents...", file=sys.stderr)
            result = _child("map", url, args, [])
            print(f"\n{label}: {args.incidents:,} incidents loaded in {result['load_s']:.0f} s")
            print(f"  runs {args.runs} x {args.rounds} rounds; ms, median over rounds")
            print("  | view | res | cells | method | median | p95 | p95 worst round |")
            print("  |---|---|---|---|---|---|---|")
            for case in result["cases"]:
                print(
                    f"  | {case['view']} | {case['res']} | {case['cells']} | {case['method']} "
                    f"| {case['median']:.1f} | {case['p95']:.1f} | {case['p95_worst']:.1f} |"
                )
            for view, _bbox, _res in VIEWS:
                by = {c["method"]: c for c in result["cases"] if c["view"] == view}
                print(
                    f"  {view}: query / bare = {by['query']['median'] / by['bare']['median']:.2f}"
                    f" (medians), naive / query = "
                    f"{by['naive']['median'] / by['query']['median']:.1f}"
                )
    if not args.skip_import:
        csv_path = scratch / "synthetic-police.csv"
        print(f"writing {args.import_rows:,} rows to {csv_path}...", file=sys.stderr)
        sys.path.insert(0, str(HERE))
        from intel_synthetic import synthetic_csv_write

        synthetic_csv_write(path=csv_path, count=args.import_rows)
        for label, url in databases.items():
            result = _child("import", url, args, ["--csv", str(csv_path)])
            print(
                f"\n{label}: import of {args.import_rows:,} rows: {result['seconds']:.1f} s "
                f"({args.import_rows / result['seconds']:,.0f} rows/s), "
                f"peak memory {result['peak_rss_mib']:.0f} MiB, CPU {result['cpu_s']:.0f} s, "
                f"{result['added']:,} added, {result['rejects']} rejected, "
                f"{result['in_table']:,} in the table"
            )


if __name__ == "__main__":
    main()
