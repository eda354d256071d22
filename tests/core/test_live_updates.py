"""Live updates end to end: the real worker publishes, uvicorn streams, clients receive.

Everything runs as an operator runs it: `jewelguard serve` (uvicorn) and `jewelguard worker`
in subprocesses on a database of their own (a fresh SQLite file; on CI a fresh PostgreSQL
database), with Redis when JEWELGUARD_REDIS_URL is set (then wake-ups go through the channel
layer; without it, streams poll the event table).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD, free_port, login_in_browser

REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60
HEARTBEAT_SECONDS = 3


def _jewelguard() -> list[str]:
    return [sys.executable, "-m", "jewelguard"]


@contextlib.contextmanager
def _own_database(tmp: Path) -> Iterator[str]:
    """A fresh, empty database for the subprocesses; dropped afterwards on PostgreSQL."""
    url = os.environ.get("JEWELGUARD_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp / 'live.sqlite3'}"
        return
    import psycopg

    name = f"test_jewelguard_live_{os.getpid()}"
    admin_url = url
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class LiveSite:
    """`jewelguard serve` and `jewelguard worker` on one database, with two members."""

    tmp: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    users: dict[str, int] = field(default_factory=dict)
    starts: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    url = base  # as pytest-django's live_server names it

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [*_jewelguard(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def python(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def _start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        self.starts += 1
        log = (self.tmp / f"{name}-{self.starts}.log").open("wb")
        return subprocess.Popen(  # noqa: S603
            [*_jewelguard(), *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def log(self, name: str) -> str:
        return "\n".join(
            path.read_text(errors="replace") for path in sorted(self.tmp.glob(f"{name}-*.log"))
        )

    def start_web(self) -> None:
        self.web = self._start("web", "serve", "--port", str(self.port))
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.web.poll() is not None:
                pytest.fail(f"jewelguard serve exited early:\n{self.log('web')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        pytest.fail(f"jewelguard serve did not start:\n{self.log('web')}")

    def kill_web(self) -> None:
        assert self.web is not None
        self.web.kill()
        self.web.wait()

    def start_worker(self) -> None:
        self.worker = self._start("worker", "worker")
        deadline = time.monotonic() + STARTUP_SECONDS
        while "Starting worker" not in self.log("worker"):
            if self.worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"jewelguard worker did not start:\n{self.log('worker')}")
            time.sleep(0.1)

    def publish_via_worker(self, user: str, *texts: str) -> None:
        """Enqueue one publishing task per text; the worker runs them in this order."""
        lines = "; ".join(
            f"notice_publish.enqueue(user_id={self.users[user]}, text={text!r})" for text in texts
        )
        self.python(f"from tests.core.event_tasks import notice_publish; {lines}")

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()

    def logged_in_client(self, email: str, **options: Any) -> httpx.AsyncClient:
        """An HTTP client signed in through the login form, as a browser is."""
        with httpx.Client(base_url=self.base, timeout=10) as client:
            page = client.get("/accounts/login/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            assert token, "the login page has no CSRF token"
            done = client.post(
                "/accounts/login/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "login": email,
                    "password": PASSWORD,
                },
                follow_redirects=True,
            )
            assert done.url.path == "/me/", done.text[:500]
            cookies = dict(client.cookies)
        return httpx.AsyncClient(base_url=self.base, cookies=cookies, **options)


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    tmp = tmp_path_factory.mktemp("live")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JEWELGUARD_", "DJANGO_"))}
    with _own_database(tmp) as database_url:
        env.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            JEWELGUARD_DEBUG="1",
            JEWELGUARD_DATA_DIR=str(tmp / "data"),
            JEWELGUARD_DATABASE_URL=database_url,
            JEWELGUARD_EVENTS_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
            JEWELGUARD_MAP_TILES_URL="",
            PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
            PYTHONUNBUFFERED="1",
        )
        if os.environ.get("JEWELGUARD_REDIS_URL"):
            env["JEWELGUARD_REDIS_URL"] = os.environ["JEWELGUARD_REDIS_URL"]
        site = LiveSite(tmp=tmp, env=env)
        site.manage("migrate", "--verbosity", "0")
        created = site.python(
            "from jewelguard.accounts.services import user_create\n"
            "for email in ('ana@frontrange.example', 'sam@rittenhouse.example'):\n"
            f"    user = user_create(email=email, password={PASSWORD!r}, email_verified=True)\n"
            "    print('user', email, user.pk)\n"
        )
        site.users = {
            email: int(pk)
            for _user, email, pk in (
                line.split() for line in created.splitlines() if line.startswith("user ")
            )
        }
        try:
            site.start_web()
            site.start_worker()
            yield site
        finally:
            site.stop()


@dataclass
class Message:
    id: str | None = None
    data: str | None = None
    comments: list[str] = field(default_factory=list)


async def _messages(response: httpx.Response) -> AsyncIterator[Message]:
    """Server-Sent Events as the spec frames them: fields until a blank line."""
    message = Message()
    async for line in response.aiter_lines():
        if line == "":
            yield message
            message = Message()
        elif line.startswith(":"):
            message.comments.append(line[1:].strip())
        else:
            name, _sep, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "id":
                message.id = value
            elif name == "data":
                message.data = value if message.data is None else f"{message.data}\n{value}"


async def _notices(
    stream: AsyncIterator[Message], count: int, timeout: float = 10
) -> list[tuple[int, str]]:
    """The next ``count`` events of a stream, as (id, text), skipping comments."""
    import json

    found: list[tuple[int, str]] = []

    async def collect() -> None:
        async for message in stream:
            if message.data is not None:
                assert message.id is not None
                found.append((int(message.id), json.loads(message.data)["payload"]["text"]))
                if len(found) == count:
                    return

    await asyncio.wait_for(collect(), timeout)
    return found


ANA = "ana@frontrange.example"
SAM = "sam@rittenhouse.example"


def _stream_url(site: LiveSite, email: str, **query: str) -> str:
    return "/events/stream?" + urllib.parse.urlencode(
        {"topic": f"user:{site.users[email]}", **query}
    )


def test_reconnecting_with_last_event_id_gets_each_missed_event_once(live_site):
    url = _stream_url(live_site, ANA)

    async def scenario() -> tuple[list[tuple[int, str]], ...]:
        async with live_site.logged_in_client(ANA, timeout=httpx.Timeout(10, read=20)) as client:
            # given Ana's page connected to her stream
            async with client.stream("GET", url) as response:
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/event-stream")
                stream = _messages(response)
                assert "connected" in (await anext(stream)).comments
                # when the worker publishes to her (and to Sam)
                await asyncio.to_thread(live_site.publish_via_worker, SAM, "for Sam")
                await asyncio.to_thread(live_site.publish_via_worker, ANA, "one")
                before = await _notices(stream, 1)
            # when her page drops, two more are published, and it reconnects with the last id
            await asyncio.to_thread(live_site.publish_via_worker, ANA, "two", "three")
            await asyncio.sleep(1.5)  # the worker has run them while nobody listened
            headers = {"Last-Event-ID": str(before[-1][0])}
            async with client.stream("GET", url, headers=headers) as response:
                stream = _messages(response)
                after = await _notices(stream, 2)
                await asyncio.to_thread(live_site.publish_via_worker, ANA, "four")
                live = await _notices(stream, 1)
            # when a new page asks for everything from the start
            async with client.stream("GET", _stream_url(live_site, ANA, last_event_id="0")) as r:
                stream = _messages(r)
                everything = await _notices(stream, 4)
                # then, once replayed, the stream only keeps itself alive
                quiet = await _next_messages(stream, 2)
        return before, after, live, everything, quiet

    before, after, live, everything, quiet = asyncio.run(scenario())

    # then every event arrived once, in order, and none of Sam's
    assert [text for _id, text in before + after + live] == ["one", "two", "three", "four"]
    assert everything == before + after + live
    ids = [pk for pk, _text in everything]
    assert ids == sorted(set(ids))
    assert all(m.data is None and m.comments == ["heartbeat"] for m in quiet)


async def _next_messages(stream: AsyncIterator[Message], count: int) -> list[Message]:
    found = []
    async for message in stream:
        found.append(message)
        if len(found) == count:
            break
    return found


def test_quiet_stream_sends_heartbeats(live_site):
    async def scenario() -> tuple[list[Message], float]:
        client = live_site.logged_in_client(SAM, timeout=httpx.Timeout(10, read=10))
        async with client, client.stream("GET", _stream_url(live_site, SAM)) as response:
            stream = _messages(response)
            await anext(stream)
            started = time.monotonic()
            beats = await _next_messages(stream, 2)
            return beats, time.monotonic() - started

    beats, took = asyncio.run(scenario())

    assert [m.comments for m in beats] == [["heartbeat"], ["heartbeat"]]
    assert took < HEARTBEAT_SECONDS * 2 + 1.5


def test_stream_of_another_users_topic_is_refused_by_the_server(live_site):
    async def scenario() -> list[int]:
        async with live_site.logged_in_client(ANA, timeout=10) as client:
            other = await client.get(_stream_url(live_site, SAM))
        async with httpx.AsyncClient(base_url=live_site.base, timeout=10) as anonymous:
            nobody = await anonymous.get(_stream_url(live_site, ANA))
        return [other.status_code, nobody.status_code]

    assert asyncio.run(scenario()) == [403, 403]


def _closed_streams(site: LiveSite) -> list[int]:
    """For each stream the web server has closed, how many it still had open then."""
    return [
        int(n) for n in re.findall(r"live stream closed after \d+ s; (\d+) open", site.log("web"))
    ]


def _redis_memberships(site: LiveSite, email: str) -> int | None:
    """How many channels follow this user's topic in Redis (None without Redis)."""
    url = site.env.get("JEWELGUARD_REDIS_URL")
    if not url:
        return None
    import redis

    client = redis.Redis.from_url(url)
    try:
        return int(client.zcard(f"asgi:group:events.user.{site.users[email]}"))
    finally:
        client.close()


def test_streams_of_clients_that_went_away_leave_nothing_behind(live_site):
    closed_before = len(_closed_streams(live_site))
    members_before = _redis_memberships(live_site, ANA)
    clients = 5

    async def scenario() -> int | None:
        async with contextlib.AsyncExitStack() as stack:
            client = await stack.enter_async_context(
                live_site.logged_in_client(ANA, timeout=httpx.Timeout(10, read=10))
            )
            streams = []  # kept: a dropped reader closes its connection
            for _ in range(clients):
                response = await stack.enter_async_context(
                    client.stream("GET", _stream_url(live_site, ANA))
                )
                streams.append(_messages(response))
                assert "connected" in (await anext(streams[-1])).comments
            await asyncio.sleep(0.5)
            assert len(_closed_streams(live_site)) == closed_before  # all five still open
            return _redis_memberships(live_site, ANA)

    # given five open streams, when their clients go away (the connections close)
    members_during = asyncio.run(scenario())
    deadline = time.monotonic() + 5
    closed = _closed_streams(live_site)
    while len(closed) < closed_before + clients or closed[-1] != 0:
        assert time.monotonic() < deadline, "\n".join(
            line for line in live_site.log("web").splitlines() if "live stream" in line
        )
        time.sleep(0.1)
        closed = _closed_streams(live_site)

    # then the server has ended each of them, keeping none open
    if members_before is not None:
        # and, with Redis, left no channel-layer membership behind
        assert members_during == members_before + clients
        assert _redis_memberships(live_site, ANA) == members_before
    # and it still serves
    assert httpx.get(f"{live_site.base}/healthz", timeout=5).status_code == 200


OPEN_EVENT_SOURCE = """url => new Promise((resolve, reject) => {
    window.notices = [];
    window.opens = 0;
    const source = new EventSource(url);
    source.onmessage = (message) => {
        const event = JSON.parse(message.data);
        window.notices.push({
            id: Number(message.lastEventId),
            text: event.payload.text,
            publishedAt: event.payload.published_at * 1000,
            receivedAt: Date.now(),
        });
    };
    source.onopen = () => { window.opens += 1; resolve(); };
    setTimeout(() => reject(new Error("the stream did not open")), 10000);
})"""


@pytest.mark.browser
def test_page_hears_what_the_worker_publishes_within_a_second_and_across_a_restart(live_site, page):
    # given Ana signed in, her page following her topic over EventSource
    login_in_browser(page, live_site, ANA)
    page.evaluate(OPEN_EVENT_SOURCE, _stream_url(live_site, ANA))

    # when a task in the worker publishes to her
    live_site.publish_via_worker(ANA, "one")

    # then her page has it within a second of its publication
    page.wait_for_function("() => window.notices.length >= 1", timeout=10_000)
    first = page.evaluate("window.notices[0]")
    assert first["text"] == "one"
    assert first["receivedAt"] - first["publishedAt"] < 1000

    # when the web server dies, two more are published, and it comes back
    live_site.kill_web()
    live_site.publish_via_worker(ANA, "two", "three")
    live_site.start_web()

    # then the page reconnects by itself and gets both, then new ones, each once
    page.wait_for_function("() => window.notices.length >= 3", timeout=20_000)
    live_site.publish_via_worker(ANA, "four")
    page.wait_for_function("() => window.notices.length >= 4", timeout=10_000)
    page.wait_for_timeout(HEARTBEAT_SECONDS * 1000 + 500)
    notices = page.evaluate("window.notices")
    assert [n["text"] for n in notices] == ["one", "two", "three", "four"]
    ids = [n["id"] for n in notices]
    assert ids == sorted(set(ids))
    assert page.evaluate("window.opens") >= 2
    assert notices[3]["receivedAt"] - notices[3]["publishedAt"] < 1000
    print(
        "live-update latency, worker to page (ms):",
        [round(n["receivedAt"] - n["publishedAt"]) for n in (notices[0], notices[3])],
    )


def test_web_server_stops_promptly_with_streams_open(live_site):
    # given a page following its stream
    async def scenario() -> float:
        client = live_site.logged_in_client(ANA, timeout=httpx.Timeout(10, read=30))
        async with client, client.stream("GET", _stream_url(live_site, ANA)) as response:
            stream = _messages(response)
            await anext(stream)
            # when the operator stops the web server (Ctrl-C)
            assert live_site.web is not None
            live_site.web.send_signal(signal.SIGINT)
            started = time.monotonic()
            # then the stream ends, and so does the server, within seconds
            with contextlib.suppress(httpx.HTTPError):
                async for _message in stream:
                    pass
            await asyncio.to_thread(live_site.web.wait, 20)
            return time.monotonic() - started

    try:
        took = asyncio.run(scenario())
        assert live_site.web is not None
        assert live_site.web.returncode == 0
        assert took < 10
    finally:
        if live_site.web is not None and live_site.web.poll() is None:
            live_site.kill_web()
        live_site.start_web()
