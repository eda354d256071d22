"""Benchmark: one store's whole pledge toolkit, built cold and served from storage.

What it does, in process (no HTTP server):

1. Django set up with the project's settings in debug mode, a throwaway data directory and a
   migrated SQLite database; one member with one store takes the pledge and confirms four
   deterrent statements;
2. "first": the very first build in a fresh process, which also loads fonts and templates;
3. "cold": the toolkit folder deleted, then the spec read from the database and all files
   made (3 badge PNGs, the SVG badge, 2 social PNGs, the e-mail banner, signs and staff
   briefing in Letter and A4, the ZIP) and written to disk, --runs times;
4. "cached": the same call with the files stored (the database reads, the key hash and the
   manifest read), --runs times; and the toolkit page through Django's test client;
5. a table of medians, fastest and slowest, in milliseconds, and the goals (3 s, 100 ms).

    .venv/bin/python benchmarks/toolkit_bench.py              # 7 runs, English
    .venv/bin/python benchmarks/toolkit_bench.py --runs 9 --language fr-ca
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLD_GOAL_MS = 3000.0
CACHED_GOAL_MS = 100.0


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


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _row(label: str, samples: list[float], goal: float | None) -> str:
    verdict = "" if goal is None else ("met" if statistics.median(samples) < goal else "MISSED")
    return (
        f"| {label:<34} | {statistics.median(samples):>9.1f} | {min(samples):>9.1f} "
        f"| {max(samples):>9.1f} | {len(samples):>4} | {verdict:<6} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--language", default="en", choices=["en", "fr-ca"])
    args = parser.parse_args()
    _setup()

    from datetime import time as clock

    from django.test import Client
    from django.urls import reverse

    from jewelguard.accounts import services as accounts
    from jewelguard.core.documents import documents_delete
    from jewelguard.pledge import selectors, services
    from jewelguard.pledge.texts import current_pledge_version
    from jewelguard.pledge.toolkit.build import ROOT as TOOLKITS
    from jewelguard.pledge.toolkit.build import toolkit_build

    owner = accounts.user_create(email="bench@example.org", password=None, email_verified=True)
    member = accounts.member_create(owner=owner, name="Bijouterie Lévesque & Fils")
    store = accounts.store_create(
        member=member,
        details=accounts.StoreDetails(
            name="Bijouterie Lévesque & Fils — Centre-ville de Montréal",
            street_address="1430 Larimer St",
            postal_code="80202",
            country="US",
            week={day: (clock(10), clock(18)) for day in range(6)},
        ),
    )
    pledge = services.pledge_take(
        member=member, text_version=current_pledge_version().version, language=args.language
    )
    services.store_signage_set(
        store=store,
        statements=[
            "video_surveillance",
            "alarm_monitored",
            "merchandise_removed",
            "time_delay_safe",
        ],
    )

    def build() -> None:
        spec = selectors.toolkit_spec_for(store=store, pledge=pledge, language=args.language)
        built.append(toolkit_build(spec))

    built: list[object] = []

    def cold() -> None:
        documents_delete(prefix=TOOLKITS)
        build()

    first = [_timed_ms(cold)]
    cold_runs = [_timed_ms(cold) for _ in range(args.runs)]
    cached_runs = [_timed_ms(build) for _ in range(args.runs)]

    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    page = reverse("pledge:toolkit_store", args=[store.pk]) + f"?language={args.language}"

    def fetch_page() -> None:
        response = client.get(page)
        if response.status_code != 200:
            raise SystemExit(f"{page} answered {response.status_code}")

    fetch_page()
    page_runs = [_timed_ms(fetch_page) for _ in range(args.runs)]

    files = [*sorted(built[-1].stored), "manifest.json"]
    print(f"Toolkit benchmark: {len(files) - 1} files and a manifest, language {args.language}")
    print(f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {platform.machine()}")
    print(f"Python {platform.python_version()}, {platform.platform()}")
    print()
    print(
        f"| {'what':<34} | {'median ms':>9} | {'min ms':>9} | {'max ms':>9} | {'runs':>4} "
        f"| {'goal':<6} |"
    )
    print(f"|{'-' * 36}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 6}|{'-' * 8}|")
    print(_row("first build in a fresh process", first, None))
    print(_row("cold: whole toolkit, empty cache", cold_runs, COLD_GOAL_MS))
    print(_row("cached: whole toolkit on disk", cached_runs, CACHED_GOAL_MS))
    print(_row("cached: toolkit page (test client)", page_runs, None))
    print()
    print(f"cold is {statistics.median(cold_runs) / statistics.median(cached_runs):.0f}x cached")


if __name__ == "__main__":
    main()
