"""The worker makes a store's toolkit after the pledge, before the member asks for it."""

import os
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from jewelguard.pledge import selectors, services
from jewelguard.pledge.texts import current_pledge_version
from jewelguard.pledge.toolkit import build
from jewelguard.pledge.toolkit.build import toolkit_folder
from tests.conftest import run_queued_tasks


def toolkit_files(store_id: int) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "pledge" / "toolkit" / str(store_id)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_pledging_queues_the_toolkit_and_the_worker_makes_it(transactional_db, member, store):
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
    # then the job succeeded and the store's badge and signs are on disk
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    names = {p.name for p in toolkit_files(store.pk)}
    assert {"badge-512.png", "signage-letter.pdf", "staff-briefing-a4.pdf"} <= names


def test_a_rebuild_removes_staging_folders_of_dead_builds_only(member, store, pledged):
    # given staging folders left by a build whose process is gone, by one still running
    # (this test's own process), and by an old build from another machine
    spec = selectors.toolkit_spec_for(store=store, pledge=pledged, language="en")
    parent = toolkit_folder(spec).parent
    parent.mkdir(parents=True)
    dead = subprocess.Popen(["true"])  # noqa: S607
    dead.wait()
    host = build._host()
    dead_build = parent / f".{spec.key()}-build-{host}-{dead.pid}-abcd1234"
    live_build = parent / f".{spec.key()}-build-{host}-{os.getpid()}-efgh5678"
    foreign_old = parent / f".{spec.key()}-build-elsewhere-123-ijkl9012"
    for folder in (dead_build, live_build, foreign_old):
        folder.mkdir()
        (folder / "badge-512.png").write_bytes(b"half")
    old = time.time() - build.FOREIGN_STAGING_MAX_AGE_S - 60
    os.utime(foreign_old, (old, old))
    # when the toolkit is built
    folder = build.toolkit_build(spec)
    # then the dead and old ones are gone, the live one is left to its builder
    assert sorted(p.name for p in parent.iterdir()) == sorted([folder.name, live_build.name])
    # and building again changes nothing: still one toolkit
    assert build.toolkit_build(spec) == folder
    assert sorted(p.name for p in parent.iterdir()) == sorted([folder.name, live_build.name])
