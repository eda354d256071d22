"""`jewelguard worker`: django-tasks-db's worker with heartbeats and recovery (core.worker)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from jewelguard.core.worker import LeasedWorker, worker_id_new


class Command(db_worker.Command):
    help = "Run background tasks from the database queue; a dead worker's tasks run again"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None, reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or worker_id_new(),
            excluded_queue_names=excluded,
        )
        # No autoreloader: it would fork a second process that outlives a stopped parent.
        worker.configure_signals()
        worker.run()
