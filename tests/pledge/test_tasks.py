"""The worker makes a store's toolkit after the pledge, before the member asks for it."""

from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from jewelguard.pledge import selectors, services
from jewelguard.pledge.texts import current_pledge_version
from jewelguard.pledge.toolkit import build
from jewelguard.pledge.toolkit.build import toolkit_folder
from tests.conftest import run_queued_tasks


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
    run_queued_tasks()
    # then the job succeeded and the store's badge and signs are in the documents storage
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    names = {p.name for p in toolkit_files(store.pk)}
    assert {"badge-512.png", "signage-letter.pdf", "staff-briefing-a4.pdf"} <= names


def test_a_rebuild_removes_what_a_killed_build_left_and_keeps_one_toolkit(
    member, store, pledged, documents_dir
):
    # given half a toolkit left in the store's folder by a build that was killed midway
    spec = selectors.toolkit_spec_for(store=store, pledge=pledged, language="en")
    folder = documents_dir / toolkit_folder(spec)
    folder.mkdir(parents=True)
    (folder / "badge-512.png").write_bytes(b"half")
    # when the toolkit is built
    built = build.toolkit_build(spec)
    # then only the files its manifest names are left, and none of them is the half file
    on_disk = sorted(p.name for p in folder.iterdir())
    assert on_disk == sorted(
        {*(n.rsplit("/", 1)[1] for n in built.stored.values()), "manifest.json"}
    )
    assert built.read("badge-512.png") != b"half"
    # and building again changes nothing: still one toolkit
    assert build.toolkit_build(spec) == built
    assert sorted(p.name for p in folder.iterdir()) == on_disk
