"""Profile one endpoint in process: cProfile over N requests, and the queries of one.

Production settings (JEWELGUARD_DEBUG=0) on a temporary SQLite database with the demo data
and an API token for the Denver member, requests through Django's test client (the WSGI
handler: the same middleware and view as under uvicorn, without the server).

    .venv/bin/python benchmarks/profile_request.py /api/stores --requests 300
    .venv/bin/python benchmarks/profile_request.py /accounts/login/ --sort tottime
    .venv/bin/python benchmarks/profile_request.py /api/stores --asgi

With ``--asgi`` the requests go through JewelGuard's ASGI application instead, as uvicorn calls
it (one event loop, a new thread per request, the connection closed after each), without
the server's own parsing: what ``http_bench.py`` measures, less uvicorn.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import secrets
import sys
import tempfile
import time
from collections.abc import Callable


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--asgi", action="store_true", help="through the ASGI application")
    options = parser.parse_args()

    os.environ.update(
        JEWELGUARD_DEBUG="0",
        JEWELGUARD_SECRET_KEY=secrets.token_urlsafe(50),
        JEWELGUARD_ALLOWED_HOSTS="127.0.0.1,testserver",
        JEWELGUARD_DATA_DIR=tempfile.mkdtemp(prefix="jewelguard-profile-"),
        JEWELGUARD_MAP_TILES_URL="",
        JEWELGUARD_SSL_REDIRECT="0",
        JEWELGUARD_REDIS_URL="",
        # The project's settings plus the bare view /bench/bare (bench_settings.py).
        DJANGO_SETTINGS_MODULE="bench_settings",
    )
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jewelguard import demo
    from jewelguard.accounts import services
    from jewelguard.accounts.models import User

    call_command("migrate", verbosity=0)
    demo.demo_load(password=secrets.token_urlsafe(16))
    user = User.objects.get(email="denver@demo.jewelguard.org")
    _api_token, token = services.api_token_create(user=user, name="profile")
    headers = {"Authorization": f"Bearer {token}"} if options.path.startswith("/api/") else {}
    client = Client(headers=headers)
    if options.asgi:
        get = _asgi_get(options.path, headers)
    else:

        def get() -> int:
            return int(client.get(options.path).status_code)

    for _ in range(20):  # warm caches, templates, connections
        assert get() == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(options.path)
    print(f"{len(queries.captured_queries)} queries for one request:")
    for query in queries.captured_queries:
        print("   ", query["sql"][:160])

    started = time.process_time()
    for _ in range(options.requests):
        get()
    plain = time.process_time() - started
    print(
        f"\n{options.requests} requests, {plain / options.requests * 1000:.2f} ms CPU each "
        "(no profiler)",
        file=sys.stderr,
    )

    profile = cProfile.Profile()
    started = time.process_time()
    profile.enable()
    for _ in range(options.requests):
        get()
    profile.disable()
    spent = time.process_time() - started
    print(
        f"\n{options.requests} requests, {spent / options.requests * 1000:.2f} ms CPU each "
        "(under the profiler)\n",
        file=sys.stderr,
    )
    pstats.Stats(profile).sort_stats(options.sort).print_stats(options.lines)


def _asgi_get(path: str, headers: dict[str, str]) -> Callable[[], int]:
    """A GET of ``path`` through Django's ASGI application, on one event loop; its status."""
    from jewelguard.asgi import application  # what `jewelguard serve` runs

    loop = asyncio.new_event_loop()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            *((k.lower().encode(), v.encode()) for k, v in headers.items()),
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }

    async def one() -> int:
        status = 0
        sent_body = False

        async def receive() -> dict[str, object]:
            nonlocal sent_body
            if sent_body:  # no disconnect: wait until Django has answered and stops listening
                await asyncio.Future()
            sent_body = True
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])  # type: ignore[call-overload]

        await application(dict(scope), receive, send)
        return status

    return lambda: loop.run_until_complete(one())


if __name__ == "__main__":
    main()
