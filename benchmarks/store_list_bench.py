"""Benchmark: the API's store list for a member with many stores and a full year of special days.

What it does, in process (Django's test client, no HTTP server):

1. Django set up with the project's settings in debug mode, a throwaway data directory and a
   migrated SQLite database; one member with --stores stores (40 unless told), each open six
   days a week with --days special days (366 unless told), and an API token;
2. "first page": ``GET /api/stores`` as an integration sends it (bearer token, default page
   of 20 stores), --runs times;
3. "all pages": every page of 20 read one after another, as a client walking the list does;
4. a table of medians, fastest and slowest, in milliseconds of wall-clock and of CPU time.

    .venv/bin/python benchmarks/store_list_bench.py
    .venv/bin/python benchmarks/store_list_bench.py --stores 100 --runs 9
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    os.environ["JEWELGUARD_DEBUG"] = "1"
    os.environ["JEWELGUARD_DATA_DIR"] = tempfile.mkdtemp(prefix="jewelguard-bench-")
    os.environ["JEWELGUARD_REDIS_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "jewelguard.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _timed(call: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call. Everything runs in this process, so its CPU
    time is the work done, and stays meaningful on a machine shared with other jobs."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=40)
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    _setup()
    from datetime import time as clock

    from django.conf import settings
    from django.test import Client

    from jewelguard.accounts import services

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.JEWELGUARD_MAX_STORES_PER_MEMBER = max(args.stores, 1)
    owner = services.user_create(email="bench@example.com", password=None, email_verified=True)
    member = services.member_create(owner=owner, name="Bench Jewelers")
    start = date(2026, 1, 1)
    special = [
        services.HoursExceptionInput(date=start + timedelta(days=i), label=f"Day {i}")
        for i in range(args.days)
    ]
    for n in range(args.stores):
        services.store_create(
            member=member,
            details=services.StoreDetails(
                name=f"Store {n:03d}",
                street_address="1430 Larimer St",
                postal_code="80202",
                country="US",
                week={d: (clock(10), clock(18)) for d in range(6)},
                exceptions=special,
            ),
        )
    _api_token, token = services.api_token_create(user=owner, name="bench")
    client = Client(headers={"Authorization": f"Bearer {token}"})

    def first_page() -> None:
        response = client.get("/api/stores")
        assert response.status_code == 200, response.content[:200]

    def all_pages() -> None:
        offset = 0
        while True:
            body = client.get(f"/api/stores?limit=20&offset={offset}").json()
            offset += 20
            if offset >= body["count"]:
                return

    first_page()  # warm: templates, schema, connections
    rows = [("first page (20 stores)", _timed(first_page, args.runs))]
    rows.append((f"all pages ({args.stores} stores)", _timed(all_pages, args.runs)))
    print(
        f"{args.stores} stores x {args.days} special days; {args.runs} runs; "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| request | wall median ms (min-max) | CPU median ms (min-max) |")
    print("|---|---|---|")
    for name, (wall, cpu) in rows:
        print(
            f"| {name} | {statistics.median(wall):.0f} ({min(wall):.0f}-{max(wall):.0f}) "
            f"| {statistics.median(cpu):.0f} ({min(cpu):.0f}-{max(cpu):.0f}) |"
        )


if __name__ == "__main__":
    main()
