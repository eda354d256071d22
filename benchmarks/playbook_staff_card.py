"""Benchmark: the crime playbook's staff card PDF, rendered cold and served from storage.

What it does, in process (no HTTP server; WeasyPrint's cost is what is measured):

1. Django set up with the project's settings in debug mode and a throwaway data directory
   (whose ``documents`` storage keeps the cards), and the database migrated;
2. for each run, the stored cards are deleted and every scenario's card is fetched through the
   view (Django's test client, English, Letter): the cold cost, WeasyPrint included;
3. the same cards fetched again: the cached cost (one storage read and the response);
4. the public pages (index, a scenario, controls, statistics) timed the same way;
5. a table of medians and of the slowest run, in milliseconds.

    .venv/bin/python benchmarks/playbook_staff_card.py            # 5 runs
    .venv/bin/python benchmarks/playbook_staff_card.py --runs 9
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
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


def _timed_ms(fetch: object, url: str) -> float:
    started = time.perf_counter()
    response = fetch(url)  # type: ignore[operator]
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _setup()
    from django.test import Client

    from jewelguard.core.documents import documents_delete
    from jewelguard.playbook.content import SCENARIO_IDS

    client = Client(HTTP_HOST="127.0.0.1")
    cards = [f"/playbook/{scenario_id}/staff-card.pdf" for scenario_id in SCENARIO_IDS]
    pages = [
        "/playbook/",
        "/playbook/smash_and_grab/",
        "/playbook/controls/",
        "/playbook/statistics/",
    ]
    # Warm-up: imports, template compilation, WeasyPrint's fonts.
    for url in [*cards[:1], *pages]:
        client.get(url)

    cold: list[float] = []
    cached: list[float] = []
    page_times: dict[str, list[float]] = {url: [] for url in pages}
    for _ in range(args.runs):
        documents_delete(prefix="playbook/staff-cards")
        cold.extend(_timed_ms(client.get, url) for url in cards)
        cached.extend(_timed_ms(client.get, url) for url in cards)
        for url in pages:
            page_times[url].append(_timed_ms(client.get, url))

    machine = f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()}"
    print(f"machine: {machine}")
    print(f"runs: {args.runs} x {len(cards)} staff cards (English, Letter); times in ms")
    _row("what", "median", "max")
    _row("staff card, cold (WeasyPrint render)", *_stats(cold))
    _row("staff card, cached", *_stats(cached))
    for url, times in page_times.items():
        _row(f"page {url}", *_stats(times))


def _stats(times: list[float]) -> tuple[str, str]:
    return f"{statistics.median(times):.2f}", f"{max(times):.2f}"


def _row(what: str, median: str, slowest: str) -> None:
    print(f"{what:<42}{median:>10}{slowest:>10}")


if __name__ == "__main__":
    main()
