"""`jewelguard events_prune`: delete live-update events older than the retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from jewelguard.core.events import event_prune


class Command(BaseCommand):
    help = (
        "Delete stored live-update events older than JEWELGUARD_EVENTS_RETENTION_DAYS "
        "(or --days). The task worker also does this every hour."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep this many days instead of the configured retention (at least 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 1:
            self.stderr.write("--days must be at least 1")
            raise SystemExit(2)
        retention = days if days is not None else settings.JEWELGUARD_EVENTS_RETENTION_DAYS
        deleted = event_prune(older_than=timedelta(days=retention))
        self.stdout.write(f"Deleted {deleted} events older than {retention} days.")
