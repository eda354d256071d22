"""An import killed with SIGKILL in the middle, run again, ends as one clean run does."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.intel.test_imports import HEADER, denver_row

ROWS = 15_000
COMPARED = (
    "source_name, source_id, scenario_id, nibrs_offense_code, occurred_from, occurred_to, "
    "latitude, longitude, h3_r10, verification, visibility"
)


def _env(data_dir: Path) -> dict[str, str]:
    # Never the test run's database (CI's PostgreSQL): each run has its own SQLite file.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JEWELGUARD_", "DJANGO_"))}
    env.update(JEWELGUARD_DATA_DIR=str(data_dir), JEWELGUARD_DEBUG="1", PYTHONUNBUFFERED="1")
    return env


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "jewelguard", *args]


def _count(database: Path) -> int:
    with sqlite3.connect(database, timeout=10) as connection:
        return int(connection.execute("SELECT count(*) FROM intel_incident").fetchone()[0])


def _rows(database: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            f"SELECT {COMPARED} FROM intel_incident ORDER BY source_id"  # noqa: S608
        ).fetchall()


def test_a_killed_import_run_again_ends_as_one_clean_run(tmp_path):
    # given a large file and two fresh databases
    chance = random.Random(8)
    lines = [HEADER] + [
        denver_row(
            f"{number:016d}",
            lat=f"{39.6 + chance.random() * 0.3:.7f}",
            lon=f"{-105.1 + chance.random() * 0.3:.7f}",
        )
        for number in range(1, ROWS + 1)
    ]
    source = tmp_path / "big.csv"
    source.write_text("\n".join(lines) + "\n")
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    subprocess.run(_command("migrate", "-v0"), env=_env(killed), check=True, timeout=300)  # noqa: S603
    clean.mkdir()
    shutil.copy(killed / "jewelguard.sqlite3", clean / "jewelguard.sqlite3")
    shutil.copy(killed / "secret_key", clean / "secret_key")
    database = killed / "jewelguard.sqlite3"
    importing = _command("import_incidents", str(source), "--profile", "denver", "--no-progress")
    # when an import is killed once some batches are written
    process = subprocess.Popen(  # noqa: S603
        importing, env=_env(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if _count(database) > 0:
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    assert process.poll() is None, "the import ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    partial = _count(database)
    assert 0 < partial < ROWS
    # and run again
    for data_dir in (killed, clean):
        subprocess.run(  # noqa: S603
            importing, env=_env(data_dir), check=True, timeout=300, capture_output=True
        )
    # then it holds exactly the rows of one clean run
    assert _count(database) == ROWS
    assert _rows(database) == _rows(clean / "jewelguard.sqlite3")
