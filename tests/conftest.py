"""Shared fixtures: people in every role, their stores, a real SMTP server, a real browser."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from jewelguard.accounts.models import Member, Role, StaffRight, Store, User
from tests.factories import (
    PASSWORD,
    AdminFactory,
    AgencyFactory,
    AnalystFactory,
    MemberFactory,
    OfficerFactory,
    StaffGrantFactory,
    StaffUserFactory,
    StoreFactory,
    UserFactory,
)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def shared_data(relative: str) -> Path:
    """A file from ../shared/data; skips the test where the folder is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared data set {relative} is not here (../shared/data)")
    return path


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the site's default language, whatever a test before it chose."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path) -> Path:
    """Each test keeps its generated documents (toolkits, staff cards) in a folder of its own."""
    folder = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder


def make_user(email: str, role: Role = Role.MEMBER, **extra: Any) -> User:
    """Kept for older tests; new tests use ``tests.factories`` directly."""
    return UserFactory(email=email, role=role, **extra)


def make_store(
    member: Member, name: str = "Front Range Jewelers", postal_code: str = "80202", **extra: Any
) -> Store:
    """Kept for older tests; new tests use ``tests.factories.StoreFactory``."""
    return StoreFactory(member=member, name=name, postal_code=postal_code, **extra)


@pytest.fixture
def member(db) -> Member:
    owner = UserFactory(email="ana@frontrange.example", full_name="Ana Morales")
    return MemberFactory(owner=owner, name="Front Range Jewelers")


@pytest.fixture
def store(member) -> Store:
    return StoreFactory(member=member)


@pytest.fixture
def other_member(db) -> Member:
    owner = UserFactory(email="sam@rittenhouse.example", full_name="Sam Whitaker")
    return MemberFactory(owner=owner, name="Rittenhouse Fine Jewelry")


@pytest.fixture
def other_store(other_member) -> Store:
    return StoreFactory(member=other_member, name="Rittenhouse Fine Jewelry", postal_code="19103")


@pytest.fixture
def staff_user(store) -> User:
    """A staff member who may see ``store`` and report incidents there, nothing more."""
    user = StaffUserFactory(email="chris@frontrange.example")
    StaffGrantFactory(user=user, store=store, rights=[StaffRight.VIEW, StaffRight.REPORT])
    return user


@pytest.fixture
def analyst(db) -> User:
    return AnalystFactory(email="jordan@association.example")


@pytest.fixture
def administrator(db) -> User:
    return AdminFactory(email="ops@association.example")


@pytest.fixture
def officer(db) -> User:
    agency = AgencyFactory(name="Denver Police Department", ori="CODPD0000", jurisdiction="Denver")
    return OfficerFactory(email="dana@denvergov.example", agency=agency)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member) -> Client:
    return client_for(member.owner)


@dataclass
class SmtpSink:
    """A real SMTP server on loopback that keeps what it receives."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def bodies_to(self, address: str) -> list[str]:
        found = []
        for message in self.messages:
            if address in message["To"]:
                part = message.get_body(("plain",)) if hasattr(message, "get_body") else message
                payload = (part or message).get_payload(decode=True)
                found.append(payload.decode() if isinstance(payload, bytes) else str(payload))
        return found


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:
    """Send this test's e-mail through a real SMTP server on loopback."""
    sink = SmtpSink(host="127.0.0.1", port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def tasks_immediate(settings) -> None:
    """Run each task as it is queued, in the test itself (django-tasks' ImmediateBackend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def run_queued_tasks() -> None:
    """The task worker, in this process, until the queue holds nothing ready to run."""
    call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)


def _drives_a_browser(item: pytest.Item) -> bool:
    return item.get_closest_marker("browser") is not None or "page" in getattr(
        item, "fixturenames", ()
    )


@contextlib.contextmanager
def _beside_playwright(item: pytest.Item, *, session_ends: bool) -> Iterator[None]:
    """Run a test phase as Django would run it, whatever Playwright left in this thread.

    Playwright's sync API keeps its event loop marked as running in the test thread from the
    first browser test to the end of the session. Django's ORM rightly refuses sync access
    beside a running loop, so browser tests (whose loop only drives the browser) get
    DJANGO_ALLOW_ASYNC_UNSAFE, and so does the end of the session, when the test database and
    Playwright are torn down together. Every other test runs with the mark lifted, exactly as
    in production: no flag, no loop, so async code (the live-update streams) is tested as it
    runs.
    """
    if session_ends or _drives_a_browser(item):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
            yield
        return
    loop = asyncio._get_running_loop()
    if loop is None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _beside_playwright(item, session_ends=False):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _beside_playwright(item, session_ends=False):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    with _beside_playwright(item, session_ends=nextitem is None):
        return (yield)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium, quiet on a closed network."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 900}}


def login_in_browser(page: Any, live_server: Any, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/me/")


DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `database_free` must not touch the database.

    CI's PostgreSQL pass skips those tests (`-m "not database_free"`), since they give the same
    answer on SQLite and on PostgreSQL; the README's test command runs them all.
    """
    for item in items:
        if item.get_closest_marker("database_free") is None:
            continue
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") is not None or fixtures & DATABASE_FIXTURES:
            raise pytest.UsageError(f"{item.nodeid} is marked database_free but uses the database")
