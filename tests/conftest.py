"""Shared fixtures: people in every role, their stores, a real SMTP server, a real browser."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from jewelguard.accounts import services
from jewelguard.accounts.models import Agency, Member, Role, StaffRight, Store, User

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told it is safe, which it is here: each test has its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PASSWORD = "correct-horse-battery"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def shared_data(relative: str) -> Path:
    """A file from ../shared/data; skips the test where the folder is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared data set {relative} is not here (../shared/data)")
    return path


def make_user(email: str, role: Role = Role.MEMBER, **extra: Any) -> User:
    return services.user_create(
        email=email, password=PASSWORD, role=role, email_verified=True, **extra
    )


def make_store(
    member: Member, name: str = "Front Range Jewelers", postal_code: str = "80202", **extra: Any
) -> Store:
    details = services.StoreDetails(
        name=name,
        street_address="1430 Larimer St",
        postal_code=postal_code,
        country="US",
        week={d: (time(10), time(18)) for d in range(6)},
        **extra,
    )
    return services.store_create(member=member, details=details)


@pytest.fixture
def member(db) -> Member:
    owner = make_user("ana@frontrange.example", full_name="Ana Morales")
    return services.member_create(owner=owner, name="Front Range Jewelers")


@pytest.fixture
def store(member) -> Store:
    return make_store(member)


@pytest.fixture
def other_member(db) -> Member:
    owner = make_user("sam@rittenhouse.example", full_name="Sam Whitaker")
    return services.member_create(owner=owner, name="Rittenhouse Fine Jewelry")


@pytest.fixture
def other_store(other_member) -> Store:
    return make_store(other_member, name="Rittenhouse Fine Jewelry", postal_code="19103")


@pytest.fixture
def staff_user(store) -> User:
    """A staff member who may see ``store`` and report incidents there, nothing more."""
    user = make_user("chris@frontrange.example", role=Role.STAFF)
    store.staff_grants.create(user=user, rights=[StaffRight.VIEW, StaffRight.REPORT])
    return user


@pytest.fixture
def analyst(db) -> User:
    return make_user("jordan@association.example", role=Role.ANALYST)


@pytest.fixture
def officer(db) -> User:
    agency = Agency.objects.create(
        name="Denver Police Department", ori="CODPD0000", jurisdiction="Denver"
    )
    return make_user("dana@denvergov.example", role=Role.OFFICER, agency=agency)


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
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/me/")
