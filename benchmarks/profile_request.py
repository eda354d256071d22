"""Profile one endpoint in process: cProfile over N requests, and the queries of one.

Production settings (JEWELGUARD_DEBUG=0) on a temporary SQLite database with the demo data
and an API token for the Denver member, requests through Django's test client (the WSGI
handler: the same middleware and view as under uvicorn, without the server).

    .venv/bin/python benchmarks/profile_request.py /api/stores --requests 300
    .venv/bin/python benchmarks/profile_request.py /accounts/login/ --sort tottime
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=40)
    options = parser.parse_args()

    os.environ.update(
        JEWELGUARD_DEBUG="0",
        JEWELGUARD_SECRET_KEY=secrets.token_urlsafe(50),
        JEWELGUARD_ALLOWED_HOSTS="127.0.0.1,testserver",
        JEWELGUARD_DATA_DIR=tempfile.mkdtemp(prefix="jewelguard-profile-"),
        JEWELGUARD_MAP_TILES_URL="",
        JEWELGUARD_SSL_REDIRECT="0",
        JEWELGUARD_REDIS_URL="",
        DJANGO_SETTINGS_MODULE="jewelguard.settings",
    )
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

    for _ in range(20):  # warm caches, templates, connections
        assert client.get(options.path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(options.path)
    print(f"{len(queries.captured_queries)} queries for one request:")
    for query in queries.captured_queries:
        print("   ", query["sql"][:160])

    started = time.process_time()
    for _ in range(options.requests):
        client.get(options.path)
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
        client.get(options.path)
    profile.disable()
    spent = time.process_time() - started
    print(
        f"\n{options.requests} requests, {spent / options.requests * 1000:.2f} ms CPU each "
        "(under the profiler)\n",
        file=sys.stderr,
    )
    pstats.Stats(profile).sort_stats(options.sort).print_stats(options.lines)


if __name__ == "__main__":
    main()
