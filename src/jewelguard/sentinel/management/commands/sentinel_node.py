"""`jewelguard sentinel_node`: run a sentinel node (every camera it can lease) until stopped."""

from __future__ import annotations

import logging
import signal
import socket
import threading
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jewelguard.sentinel.node import (
    NodeOptions,
    analyzer_factory_default,
    analyzer_factory_load,
    node_run,
)


class Command(BaseCommand):
    help = "Read and analyse the cameras this node leases; SIGTERM or Ctrl-C stops it"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", default="", help="node name (default: host name and pid)")
        parser.add_argument(
            "--analyzer",
            default="",
            help="module:callable building an Analyzer from a CameraSetup "
            "(default: the detection pipeline)",
        )
        parser.add_argument("--lease-seconds", type=float, default=15.0)
        parser.add_argument("--heartbeat-seconds", type=float, default=2.0)
        parser.add_argument("--max-cameras", type=int, default=64)
        parser.add_argument("--quiet-seconds", type=float, default=60.0)

    def handle(self, *args: Any, **options: Any) -> None:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
        import os

        name = options["name"] or f"{socket.gethostname()}-{os.getpid()}"
        if not 0 < len(name) <= 100:
            raise CommandError("--name: 1 to 100 characters")
        for option in ("lease_seconds", "heartbeat_seconds", "quiet_seconds"):
            if not 0 < options[option] <= 3600:
                raise CommandError(f"--{option.replace('_', '-')}: between 0 and 3600 seconds")
        if options["heartbeat_seconds"] * 2 > options["lease_seconds"]:
            raise CommandError("--heartbeat-seconds: at most half of --lease-seconds")
        if not 1 <= options["max_cameras"] <= 1000:
            raise CommandError("--max-cameras: 1 to 1000")
        try:
            factory = (
                analyzer_factory_load(options["analyzer"])
                if options["analyzer"]
                else analyzer_factory_default()
            )
        except (ImportError, AttributeError, ValueError, RuntimeError) as error:
            raise CommandError(f"--analyzer: {error}") from None
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        node_run(
            node_name=name,
            stop=stop,
            analyzer_factory=factory,
            options=NodeOptions(
                lease_ttl=timedelta(seconds=options["lease_seconds"]),
                heartbeat_s=options["heartbeat_seconds"],
                max_cameras=options["max_cameras"],
                quiet=timedelta(seconds=options["quiet_seconds"]),
            ),
        )
