"""enqueue_on_commit: background work starts once the transaction that asked for it commits."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from jewelguard.core.tasks import enqueue_on_commit
from jewelguard.pledge.tasks import toolkit_prepare


def test_a_task_is_queued_on_commit_and_not_before(transactional_db):
    with transaction.atomic():
        enqueue_on_commit(toolkit_prepare, store_id=1, language="en")
        # the worker must not see it before the rows it works on are committed
        assert not DBTaskResult.objects.exists()
    [result] = DBTaskResult.objects.all()
    assert result.status == "READY"
    assert result.task_path == "jewelguard.pledge.tasks.toolkit_prepare"
    assert result.args_kwargs["kwargs"] == {"store_id": 1, "language": "en"}


def test_a_rolled_back_transaction_queues_nothing(transactional_db):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(toolkit_prepare, store_id=1, language="en")
        raise RuntimeError("the service failed")
    assert not DBTaskResult.objects.exists()
