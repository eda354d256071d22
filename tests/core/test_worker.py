"""A task worker killed mid-task: its task runs again on another worker, once in effect.

These run the real `jewelguard worker` in a subprocess, against the test database (a file on
SQLite, see tests/settings.py), and kill it with SIGKILL while it works.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jewelguard.accounts import services as accounts_services
from jewelguard.core.models import EmailDelivery, EmailStatus, WorkerHeartbeat
from jewelguard.core.worker import tasks_recover
from jewelguard.pledge import services as pledge_services
from jewelguard.pledge.texts import current_pledge_version
from tests.conftest import free_port

LEASE_SECONDS = 2
FINISHED = ["SUCCESSFUL", "FAILED"]
WAIT_SECONDS = 180


def _database_url() -> str:
    """The test database, as a URL for JEWELGUARD_DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"


def wait_for(what: str, check: Callable[[], Any], log: Path | None = None) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    output = log.read_text(errors="replace") if log and log.exists() else ""
    pytest.fail(f"waited {WAIT_SECONDS} s for {what}\n{output}")


class WorkerProcess:
    """`jewelguard worker` in a subprocess, on the test's database, media and mail server."""

    def __init__(self, tmp_path: Path, smtp_port: int | None = None) -> None:
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"
        env = {
            **os.environ,
            "JEWELGUARD_DEBUG": "1",
            "JEWELGUARD_SECRET_KEY": settings.SECRET_KEY,
            "JEWELGUARD_DATA_DIR": str(Path(settings.MEDIA_ROOT).parent),
            "JEWELGUARD_DATABASE_URL": _database_url(),
            "JEWELGUARD_TASK_LEASE_SECONDS": str(LEASE_SECONDS),
            "JEWELGUARD_SITE_URL": settings.JEWELGUARD_SITE_URL,
            "JEWELGUARD_EMAIL_CONSOLE": "0",
            "JEWELGUARD_EMAIL_HOST": "127.0.0.1",
            "JEWELGUARD_EMAIL_PORT": str(smtp_port or free_port()),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jewelguard", "worker"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def start(smtp_port: int | None = None) -> WorkerProcess:
        worker = WorkerProcess(tmp_path, smtp_port)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def worker_media(settings, tmp_path) -> Path:
    """The worker's data directory is the test's: its media and documents folders are ours."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.MEDIA_ROOT.mkdir(parents=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "data" / "documents"},
        },
    }
    return Path(settings.MEDIA_ROOT)


def toolkit_files(store_id: int) -> tuple[list[Path], list[Path]]:
    """(manifests, every stored file) of a store's toolkits, in every language."""
    root = Path(settings.MEDIA_ROOT).parent / "documents" / "pledge" / "toolkit" / str(store_id)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    return [p for p in files if p.name == "manifest.json"], files


def test_a_toolkit_build_killed_midway_is_built_once_by_the_next_worker(
    transactional_db, member, store, worker_media, start_worker
):
    # given a pledge, whose toolkit build waits in the queue
    pledge_services.pledge_take(
        member=member, text_version=current_pledge_version().version, language="en"
    )
    # when a worker starts building it and is killed outright midway
    first = start_worker()
    wait_for(
        "the build to start",
        lambda: DBTaskResult.objects.filter(status="RUNNING").exists(),
        first.log,
    )
    first.kill()
    # then the task is left RUNNING, and no manifest (so no half toolkit is ever served)
    [result] = DBTaskResult.objects.all()
    assert result.status == "RUNNING"
    assert toolkit_files(store.pk)[0] == []
    # when another worker starts
    second = start_worker()
    done = wait_for(
        "the toolkit task to finish",
        lambda: DBTaskResult.objects.filter(
            pk=result.pk, status__in=["SUCCESSFUL", "FAILED"]
        ).first(),
        second.log,
    )
    # then, once the dead worker's lease ran out, the task ran again and succeeded
    assert done.status == "SUCCESSFUL", second.log.read_text()
    assert len(done.worker_ids) == 2
    # and there is one complete toolkit, and nothing the killed build left behind
    [manifest], files = toolkit_files(store.pk)
    stored = {
        (Path(settings.MEDIA_ROOT).parent / "documents" / name)
        for name in json.loads(manifest.read_bytes())["stored"].values()
    }
    assert set(files) == {manifest, *stored}
    assert all(p.stat().st_size > 0 for p in stored)


class StallingSmtpSink:
    """A real SMTP server that holds the first message forever without answering; it keeps
    the ones it answers 250 to."""

    def __init__(self) -> None:
        self.stalled = 0
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stalled == 0:
            self.stalled += 1
            await asyncio.sleep(WAIT_SECONDS)  # the sender dies meanwhile
            return "451 too late"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def stalling_smtp() -> Iterator[tuple[StallingSmtpSink, int]]:
    sink = StallingSmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def test_an_email_send_killed_midway_is_sent_once_by_the_next_worker(
    transactional_db, member, store, settings, stalling_smtp, start_worker
):
    sink, port = stalling_smtp
    settings.JEWELGUARD_SITE_URL = "http://jewelguard.test"
    # given a staff invitation whose e-mail waits in the queue
    invitation, token = accounts_services.staff_invite(
        member=member, email="lee@frontrange.example", grants={store.pk: ["report"]}
    )
    # when a worker is sending it, the mail server has the message but has not answered,
    # and the worker is killed outright
    first = start_worker(port)
    wait_for("the mail server to get the message", lambda: sink.stalled, first.log)
    first.kill()
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (EmailStatus.SENDING, 1)
    assert sink.messages == []
    # when another worker starts
    second = start_worker(port)
    wait_for(
        "the e-mail to be sent",
        lambda: EmailDelivery.objects.filter(status=EmailStatus.SENT).exists(),
        second.log,
    )
    time.sleep(LEASE_SECONDS)  # room for a duplicate to show up, if there were one
    # then exactly one e-mail arrived, with the invitation's working link
    [message] = sink.messages
    assert message["To"] == "lee@frontrange.example"
    assert f"http://jewelguard.test/me/invitations/{token}/" in message.get_payload()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.SENT, 2)
    # and the queue holds no task still RUNNING
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert invitation.pk == delivery.concerning_id


def test_recovery_requeues_only_tasks_of_workers_whose_beat_is_stale(transactional_db):
    # given two RUNNING tasks: one of a worker that beat just now, one of a silent worker
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", beat_at=now)
    WorkerHeartbeat.objects.create(worker_id="dead", beat_at=now - timedelta(seconds=120))

    def running(worker_id: str, started: timedelta) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status="RUNNING",
            args_kwargs={"args": [], "kwargs": {}},
            task_path="jewelguard.pledge.tasks.toolkit_prepare",
            backend_name="default",
            run_after=now,
            started_at=now - started,
            worker_ids=[worker_id],
        )

    alive = running("alive", timedelta(seconds=600))
    dead = running("dead", timedelta(seconds=130))
    orphan_young = running("gone", timedelta(seconds=5))
    orphan_old = running("gone", timedelta(seconds=600))
    # when recovery runs with the default one-minute lease
    assert tasks_recover() == 2
    # then the dead worker's task, and the old one nobody beats for, are ready to run again
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status == {
        alive.pk: "RUNNING",
        dead.pk: "READY",
        orphan_young.pk: "RUNNING",
        orphan_old.pk: "READY",
    }
    # and the dead worker's heartbeat is gone, the live one's kept
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
