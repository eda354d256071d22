"""Task workers that outlive one another: heartbeats, leases, and running a dead one's tasks.

django-tasks-db marks a task RUNNING when a worker claims it and records the worker's id,
but nothing notices when that worker dies: a task whose worker was killed stayed RUNNING for
ever. Here each worker keeps a ``WorkerHeartbeat`` row fresh from a thread of its own; at
start and at every beat, any worker puts back in the queue the RUNNING tasks of workers
whose beat is older than ``JEWELGUARD_TASK_LEASE_SECONDS``. Tasks therefore run at least
once, and may run twice: every task must be idempotent.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from jewelguard.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

READY, RUNNING = "READY", "RUNNING"


def worker_id_new() -> str:
    """A worker id unique across machines, readable in the admin: host, process, random."""
    host = "".join(c for c in socket.gethostname() if c.isalnum() or c in ".-")[:32]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


def lease() -> timedelta:
    return timedelta(seconds=settings.JEWELGUARD_TASK_LEASE_SECONDS)


def worker_heartbeat_beat(*, worker_id: str) -> None:
    """This worker is alive now (made again if a recovery had given it up for dead)."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id, defaults={"beat_at": now, "started_at": now}
        )


def worker_heartbeat_end(*, worker_id: str) -> None:
    """A worker that stops cleanly has finished its task; it leaves no heartbeat behind."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_recover(*, now: datetime | None = None) -> int:
    """Put back in the queue the RUNNING tasks of dead workers; return how many.

    A worker is dead when its heartbeat is older than the lease. A RUNNING task whose worker
    has no heartbeat at all (a worker from before heartbeats, or one already given up) is
    taken back once it has run longer than the lease. Rows another transaction holds are
    skipped (``SKIP LOCKED`` on PostgreSQL; SQLite takes the whole database instead).
    """
    cutoff = (now or timezone.now()) - lease()
    with exclusive_transaction(DBTaskResult.objects.db):
        running = list(
            DBTaskResult.objects.running()
            .select_for_update(skip_locked=True)
            .only("id", "worker_ids", "started_at")
        )
        owners = {result.worker_ids[-1] for result in running if result.worker_ids}
        beats = dict(
            WorkerHeartbeat.objects.filter(worker_id__in=owners).values_list("worker_id", "beat_at")
        )
        dead = []
        for result in running:
            owner = result.worker_ids[-1] if result.worker_ids else None
            beat = beats.get(owner) if owner else None
            if beat is None:
                if result.started_at is None or result.started_at < cutoff:
                    dead.append(result.pk)
            elif beat < cutoff:
                dead.append(result.pk)
        requeued = DBTaskResult.objects.filter(pk__in=dead, status=RUNNING).update(
            status=READY, started_at=None
        )
        WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()
    if requeued:
        logger.warning("requeued %s task(s) of task workers that stopped beating", requeued)
    return requeued


class LeasedWorker(Worker):
    """django-tasks-db's worker, with a heartbeat and the recovery of dead workers' tasks."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stopped = threading.Event()

    def beat_interval(self) -> float:
        return min(15.0, max(0.5, settings.JEWELGUARD_TASK_LEASE_SECONDS / 4))

    def _beat_and_recover(self) -> None:
        try:
            worker_heartbeat_beat(worker_id=self.worker_id)
            tasks_recover()
        except Exception as error:  # a beat must never end the beating thread
            # The next beat tries again; the lease leaves room for a few missed ones.
            logger.warning("task worker heartbeat failed (%s)", type(error).__name__)
        finally:
            connections.close_all()

    def _beat_forever(self) -> None:
        while not self._stopped.wait(self.beat_interval()):
            self._beat_and_recover()

    def run(self) -> None:
        # Beat first: a task is never claimed by a worker that has no heartbeat yet.
        worker_heartbeat_beat(worker_id=self.worker_id)
        tasks_recover()
        beating = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            beating.join(timeout=5)
            worker_heartbeat_end(worker_id=self.worker_id)
