"""The worker makes a store's toolkit after the pledge, before the member asks for it."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from jewelguard.pledge import services
from jewelguard.pledge.texts import current_pledge_version


@pytest.fixture
def toolkit_files(documents_dir):
    def files(store_id: int) -> list[Path]:
        folder = documents_dir / "pledge" / "toolkit" / str(store_id)
        return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []

    return files


def test_pledging_queues_the_toolkit_and_the_worker_makes_it(
    transactional_db, member, store, toolkit_files
):
    # given a member with a store and no toolkit yet (real commits: the worker, like the real
    # one, opens and closes its own database connections)
    assert toolkit_files(store.pk) == []
    # when they pledge, and the transaction commits
    services.pledge_take(
        member=member, text_version=current_pledge_version().version, language="en"
    )
    # then one job waits in the database queue, and nothing is built yet
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert toolkit_files(store.pk) == []
    # when the worker runs the queue
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    # then the job succeeded and the store's badge and signs are in the documents storage
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    names = {p.name for p in toolkit_files(store.pk)}
    assert {"badge-512.png", "signage-letter.pdf", "staff-briefing-a4.pdf"} <= names
