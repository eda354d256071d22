"""Benchmark: importing Denver's five police open-data files with the shipped profile.

What it does, in process (no worker), on a throwaway SQLite database in debug mode:

1. "first import": the incidents table emptied, then the five files (49,089 rows, 2,763
   of them a jeweler's crimes) checked and imported, as `jewelguard import_incidents` does;
2. "re-import": the same files again, which adds and changes nothing (every row compared);
3. each --runs times (default 5); a table of medians, fastest and slowest, in seconds, and the
   goal (10 s for the first import).

    .venv/bin/python benchmarks/intel_import_bench.py [--runs 5] [--data DENVER_FOLDER]
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
GOAL_S = 10.0
FILES = ("crime.csv", "crime_2.csv", "crime_3.csv", "crime_4.csv", "crime_5.csv")


def _setup() -> None:
    os.environ["JEWELGUARD_DEBUG"] = "1"
    os.environ["JEWELGUARD_DATA_DIR"] = tempfile.mkdtemp(prefix="jewelguard-bench-")
    os.environ["JEWELGUARD_REDIS_URL"] = ""
    os.environ.pop("JEWELGUARD_DATABASE_URL", None)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/crime/denver")
    options = parser.parse_args()
    paths = [options.data / name for name in FILES]
    _setup()
    from jewelguard.intel.imports import incidents_import
    from jewelguard.intel.models import Incident
    from jewelguard.intel.profiles import profile_load

    profile = profile_load(name_or_path="denver")
    first: list[float] = []
    again: list[float] = []
    for _ in range(options.runs):
        Incident.objects.all().delete()
        started = time.perf_counter()
        summary = incidents_import(paths=paths, profile=profile)
        first.append(time.perf_counter() - started)
        assert summary.added == Incident.objects.count(), summary
        started = time.perf_counter()
        repeat = incidents_import(paths=paths, profile=profile)
        again.append(time.perf_counter() - started)
        assert (repeat.added, repeat.changed) == (0, 0), repeat
    print(f"Denver import, {summary.rows} rows read, {summary.added} incidents, SQLite")
    print(f"{_cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print("| step | median s | fastest s | slowest s | runs | goal |")
    print("|---|---|---|---|---|---|")
    for label, samples, goal in (("first import", first, GOAL_S), ("re-import", again, None)):
        verdict = "" if goal is None else ("met" if statistics.median(samples) < goal else "MISSED")
        print(
            f"| {label} | {statistics.median(samples):.2f} | {min(samples):.2f} "
            f"| {max(samples):.2f} | {len(samples)} | {verdict} |"
        )


if __name__ == "__main__":
    main()
