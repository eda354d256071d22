"""Benchmark: from a qualifying frame to the persisted live event, in the sentinel node.

What it does, in process:

1. Django set up with the project's settings, a throwaway data directory and SQLite, migrated;
   one member, one store, and ``--cameras`` armed cameras (the store counts as closed, so the
   walkers of vtest.avi are after-hours movement), each a file camera playing
   ../shared/data/video/vtest.avi in a loop at its own 10 frames a second, or with
   ``--rtsp`` one real RTSP stream per camera from Debian's GStreamer RTSP server;
2. ``node_run`` in a thread with the chosen analyzer: ``pipeline`` (the detection pipeline's
   ``analyzer_build``: motion gating, the SSDLite person model, tracking, the rules) or
   ``motion`` (the tests' frame-differencing analyzer, to show the node's own share);
3. every rule hit the node writes reports its latency: from the moment the frame was decoded
   (``capture.read()`` returned) to the moment ``live_event_open_or_update`` committed, which
   includes waiting for the analyser, the analysis, the JPEG snapshot and the transaction;
4. every ``--end-every`` seconds the events in progress are ended, so the next hit opens a new
   event (an open writes the event, its timeline, a snapshot file and a published event; an
   update of one in progress only moves ``last_hit_at``);
5. after ``--seconds``, the median, 95th percentile and worst latency of the opens and of all
   hits, in milliseconds, against the goal (under 1 s).

    .venv/bin/python benchmarks/sentinel_node_bench.py                      # 2 cameras, 60 s
    .venv/bin/python benchmarks/sentinel_node_bench.py --cameras 4 --analyzer motion
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIDEO = ROOT.parent / "shared" / "data" / "video" / "vtest.avi"
GOAL_S = 1.0


def _setup() -> None:
    os.environ["JEWELGUARD_DEBUG"] = "1"
    os.environ["JEWELGUARD_DATA_DIR"] = tempfile.mkdtemp(prefix="jewelguard-bench-")
    os.environ["JEWELGUARD_REDIS_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "jewelguard.settings"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _rtsp_server(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            "/usr/bin/python3",
            str(ROOT / "tests" / "sentinel" / "rtsp_server.py"),
            str(port),
            str(VIDEO),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert server.stdout is not None
    if server.stdout.readline().strip() != b"ready":
        raise SystemExit("the RTSP server did not start (is gstreamer1.0-rtsp installed?)")
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--analyzer", choices=["pipeline", "motion"], default="pipeline")
    parser.add_argument("--end-every", type=float, default=4.0)
    parser.add_argument("--rtsp", action="store_true", help="real RTSP streams, not files")
    args = parser.parse_args()
    if not VIDEO.exists():
        raise SystemExit(f"{VIDEO} is not here")
    _setup()

    from django.db import close_old_connections
    from tests.factories import MemberFactory, StoreFactory, UserFactory

    from jewelguard.sentinel.models import Arming, LiveEvent, SourceKind
    from jewelguard.sentinel.node import HitPersisted, NodeOptions, node_run
    from jewelguard.sentinel.services import camera_create, live_event_end

    if args.analyzer == "pipeline":
        from jewelguard.sentinel.pipeline import analyzer_build as factory
    else:
        from tests.sentinel.motion import motion_analyzer_build as factory

    owner = UserFactory(email="bench@example.org")
    store = StoreFactory(member=MemberFactory(owner=owner, name="Bench Jewelers"))
    servers: list[subprocess.Popen[bytes]] = []
    for number in range(args.cameras):
        if args.rtsp:
            port = 18600 + number
            servers.append(_rtsp_server(port))
            kind, url = SourceKind.RTSP, f"rtsp://127.0.0.1:{port}/cam"
        else:
            kind, url = SourceKind.FILE, str(VIDEO)
        camera_create(
            store=store, actor=None, name=f"Camera {number}", source_kind=kind, url=url,
            arming=Arming.ARMED, detect_fps=5.0,
        )  # fmt: skip

    hits: list[HitPersisted] = []
    lock = threading.Lock()

    def on_hit(hit: HitPersisted) -> None:
        with lock:
            hits.append(hit)

    stop = threading.Event()
    options = NodeOptions(heartbeat_s=1.0, on_hit=on_hit)
    node = threading.Thread(
        target=node_run,
        kwargs={
            "node_name": "bench",
            "stop": stop,
            "analyzer_factory": factory,
            "options": options,
        },
    )
    started = time.monotonic()
    node.start()
    try:
        while time.monotonic() - started < args.seconds:
            time.sleep(args.end_every)
            for event in LiveEvent.objects.filter(ended_at__isnull=True):
                live_event_end(event=event)
            close_old_connections()
    finally:
        stop.set()
        node.join(30)
        for server in servers:
            server.kill()

    opens = [h.latency_s * 1000 for h in hits if h.opened]
    every = [h.latency_s * 1000 for h in hits]
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f}; SQLite"
    )
    print(
        f"{args.cameras} {'RTSP' if args.rtsp else 'file'} cameras at 10 fps, analyzer "
        f"{args.analyzer}, detect 5 fps, {args.seconds:.0f} s, events ended every "
        f"{args.end_every:.0f} s"
    )
    print("latency from the decoded frame to the committed event, in milliseconds")
    print(f"{'':12} {'count':>6} {'median':>8} {'p95':>8} {'max':>8}")
    for label, values in (("opened", opens), ("every hit", every)):
        if not values:
            print(f"{label:12} {0:>6}")
            continue
        print(
            f"{label:12} {len(values):>6} {statistics.median(values):>8.0f} "
            f"{_percentile(values, 0.95):>8.0f} {max(values):>8.0f}"
        )
    if hits:
        waited = statistics.median(h.waited_s * 1000 for h in hits)
        analysed = statistics.median(h.analysed_s * 1000 for h in hits)
        written = statistics.median((h.latency_s - h.waited_s - h.analysed_s) * 1000 for h in hits)
        print(
            f"of which (medians): waiting for the analyser {waited:.0f}, analysis "
            f"{analysed:.0f}, writing the event {written:.0f}"
        )
    if opens:
        met = _percentile(opens, 0.95) < GOAL_S * 1000
        print(f"goal: p95 of opens under {GOAL_S * 1000:.0f} ms: {'met' if met else 'missed'}")


if __name__ == "__main__":
    main()
