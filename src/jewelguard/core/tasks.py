"""Starting background work, and core's own task: sending one logged e-mail.

``enqueue_on_commit`` is the one way to start background work. A task may run more than once
(a worker that dies mid-task has it run again, see ``core.worker``), so every task must be
idempotent: running it twice has the effect of running it once.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ParamSpec

from django.db import transaction
from django_tasks import task
from django_tasks.base import Task

P = ParamSpec("P")


def enqueue_on_commit(task: Task[P, Any], /, *args: P.args, **kwargs: P.kwargs) -> None:
    """Queue ``task`` once the current transaction commits (at once outside one).

    A rolled-back transaction queues nothing, and the worker never sees rows that are not
    committed yet. Pass keyword arguments only, JSON-serialisable ones (ids, not objects).
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


@task()
def email_deliver(*, delivery_id: int, task_key: str) -> None:
    """Send one logged e-mail, unless it is already sent; see ``core.mail``."""
    # Imported here: core.mail queues this task, so it imports this module first.
    from jewelguard.core.mail import email_delivery_attempt

    email_delivery_attempt(delivery_id=delivery_id, task_key=task_key)
