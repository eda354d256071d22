"""Shared fixtures: people in every role, their stores, a real SMTP server, a real browser."""

from __future__ import annotations

import os
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
from django.test import Client

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

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told it is safe, which it is here: each test has its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def shared_data(relative: str) -> Path:
    """A file from ../shared/data; skips the test where the folder is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared data set {relative} is not here (../shared/data)")
    return path


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
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/me/")
