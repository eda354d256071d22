"""Benchmark: from taking the pledge to the toolkit page, with the toolkit built in the
request (the old way) and with the request only queueing the build (the way it is now).

What it does, in process (no HTTP server), with Django's test client:

1. Django set up with the project's settings in debug mode, a throwaway data directory and a
   migrated SQLite database; one member with one store ("Bijouterie Lévesque & Fils —
   Centre-ville de Montréal"), logged in;
2. one warm-up of each way (imports, templates, fonts), then --runs rounds; each round, for
   each way, starts unpledged with no toolkit stored and nothing queued, and times:
   - the pledge POST (``/pledge/take/``, which queues the toolkit build on commit), and
   - the toolkit page GET it redirects to;
   "old": the GET first builds the toolkit, as the toolkit page did before (the same
   ``toolkit_build`` the worker runs now); "new": the GET finds nothing stored, queues the
   build unless one is queued, and answers "being made" (the worker is not run here);
3. a table of medians, fastest and slowest, per request and for the whole path, in ms,
   against the goal: each request of the path under 300 ms.

    .venv/bin/python benchmarks/pledge_toolkit_bench.py              # 5 runs
    .venv/bin/python benchmarks/pledge_toolkit_bench.py --runs 9
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST_GOAL_MS = 300.0


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
        f"| {label:<40} | {statistics.median(samples):>9.1f} | {min(samples):>9.1f} "
        f"| {max(samples):>9.1f} | {len(samples):>4} | {verdict:<6} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _setup()
    from datetime import time as clock

    from django.core.cache import cache
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
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    take = reverse("pledge:take")
    page = reverse("pledge:toolkit_store", args=[store.pk])
    form = {"version": current_pledge_version().version, "accept": "on"}

    def fresh() -> None:
        if selectors.pledge_active_for(member=member) is not None:
            services.pledge_withdraw(member=member)
        documents_delete(prefix=TOOLKITS)
        cache.clear()

    def post() -> None:
        response = client.post(take, form)
        if response.status_code != 302:
            raise SystemExit(f"{take} answered {response.status_code}")

    def get(*, build_first: bool) -> None:
        if build_first:
            pledge = selectors.pledge_active_for(member=member)
            assert pledge is not None
            toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language="en"))
        response = client.get(page)
        text = response.content.decode()
        being_made = "Your toolkit is being made" in text
        if response.status_code != 200 or being_made == build_first:
            raise SystemExit(f"{page} answered {response.status_code}, being made: {being_made}")

    times: dict[str, list[float]] = {
        key: [] for key in ("old post", "old get", "old path", "new post", "new get", "new path")
    }
    for round_ in range(args.runs + 1):
        for way in ("old", "new"):
            fresh()
            posted = _timed_ms(post)
            got = _timed_ms(lambda: get(build_first=way == "old"))  # noqa: B023
            if round_:  # the first round warms up
                times[f"{way} post"].append(posted)
                times[f"{way} get"].append(got)
                times[f"{way} path"].append(posted + got)

    print("Pledge -> toolkit page benchmark (test client, in process), language en")
    print(f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {platform.machine()}")
    print(f"Python {platform.python_version()}, {platform.platform()}")
    with contextlib.suppress(OSError):
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"Load average at the end (1, 5, 15 min): {load}")
    print()
    print(
        f"| {'what':<40} | {'median ms':>9} | {'min ms':>9} | {'max ms':>9} | {'runs':>4} "
        f"| {'goal':<6} |"
    )
    print(f"|{'-' * 42}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 6}|{'-' * 8}|")
    print(_row("old: pledge POST", times["old post"], REQUEST_GOAL_MS))
    print(_row("old: toolkit GET, building the toolkit", times["old get"], REQUEST_GOAL_MS))
    print(_row("old: whole path", times["old path"], None))
    print(_row("new: pledge POST (queues the build)", times["new post"], REQUEST_GOAL_MS))
    print(_row("new: toolkit GET ('being made')", times["new get"], REQUEST_GOAL_MS))
    print(_row("new: whole path", times["new path"], None))
    print()
    old, new = statistics.median(times["old path"]), statistics.median(times["new path"])
    print(f"the path is {old / new:.0f}x faster when the request only queues the build")


if __name__ == "__main__":
    main()
