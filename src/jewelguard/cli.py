"""The `jewelguard` command: Django's management commands, plus up, serve and worker."""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Sequence

USAGE = """usage: jewelguard COMMAND [options]

  up        first run: create the data directory, migrate, load demo data;
            then serve on 127.0.0.1:8000 with the task worker and the sentinel node
            alongside (Ctrl-C stops all)
  serve     serve the web application under uvicorn (--host, --port, --workers)
  worker    run background tasks from the database queue
  ...       any Django management command (migrate, createsuperuser, shell, check, ...)
"""


def _setup() -> None:
    """Configure Django, turning a configuration error into one plain line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jewelguard.settings")
    from jewelguard.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as error:
        sys.stderr.write(f"jewelguard: configuration error: {error}\n")
        raise SystemExit(2) from None
    from django.conf import settings
    from django.db import connection

    # The data directory holds the SQLite database, media and collected static files.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        # Kept in the database file: readers need not wait for the worker's writes.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


STREAMS_SHUTDOWN_SECONDS = 3


def _serve(host: str, port: int, workers: int) -> None:
    import uvicorn
    from django.conf import settings

    # X-Forwarded-For/-Proto are believed only from the configured proxies; uvicorn's own
    # default would believe any client connecting from 127.0.0.1.
    trusted_proxies: list[str] = settings.JEWELGUARD_TRUSTED_PROXIES
    uvicorn.run(
        "jewelguard.asgi:application",
        host=host,
        port=port,
        workers=workers,
        lifespan="off",
        access_log=False,
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=",".join(trusted_proxies),
        # Live-update streams never end by themselves; on shutdown they get this long.
        timeout_graceful_shutdown=STREAMS_SHUTDOWN_SECONDS,
    )


# How often each worker deletes live-update events past their retention.
PRUNE_EVERY_SECONDS = 3600


def _worker() -> None:
    import threading

    from django.core.management import call_command

    from jewelguard.core.events import event_prune_periodically

    stop = threading.Event()
    threading.Thread(
        target=event_prune_periodically,
        kwargs={"every_seconds": PRUNE_EVERY_SECONDS, "stop": stop},
        name="events-prune",
        daemon=True,
    ).start()
    try:
        # django-tasks-db's worker, with a heartbeat: a dead worker's tasks are run again.
        call_command("task_worker", "--interval", "0.5")
    finally:
        stop.set()


def _stop_with_parent() -> None:
    """In the worker, before exec: ask the kernel for SIGTERM when its parent dies."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _served_address(host: str, port: int) -> str:
    """The address a browser on this machine reaches the server at."""
    # A wildcard address is not one a browser can open; this machine's loopback is.
    if host in {"", "0.0.0.0"}:  # noqa: S104
        host = "127.0.0.1"
    elif host == "::":
        host = "[::1]"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _demo_crime_import() -> None:
    """On the first run, Denver's police open data onto the map, with a progress bar."""
    from tqdm import tqdm

    from jewelguard import demo

    if demo.demo_crime_imported():
        return
    folder = demo.demo_crime_folder()
    if folder is None:
        print(f"No Denver open data found (set {demo.CRIME_DATA_VARIABLE}); the map shows the")
        print("demo members' reports only.")
        return
    with tqdm(
        total=demo.demo_crime_rows(folder=folder),
        unit=" rows",
        desc="Denver police open data",
        dynamic_ncols=True,
    ) as bar:

        def progress(rows: int, rejects: int) -> None:
            bar.update(rows)

        summary = demo.demo_crime_import(folder=folder, progress=progress)
    print(f"{summary.added} incidents imported from Denver's police open data.")


def _up(host: str, port: int) -> None:
    # The embedded default is a local demo: debug mode, e-mail printed to the console.
    os.environ.setdefault("JEWELGUARD_DEBUG", "1")
    # Links in e-mails, QR codes and the toolkit point where this server is, unless the
    # operator has said where the site is public.
    if not os.environ.get("JEWELGUARD_SITE_URL", "").strip():
        os.environ["JEWELGUARD_SITE_URL"] = _served_address(host, port)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from jewelguard import demo

    print(f"JewelGuard data directory: {settings.JEWELGUARD_DATA_DIR}")
    call_command("migrate", interactive=False, verbosity=0)
    if not demo.demo_loaded():
        logins = demo.demo_load(password=os.environ.get("JEWELGUARD_DEMO_PASSWORD") or None)
        print("\nDemo logins (shown this once; keep them):")
        for login in logins:
            print(f"  {login.who:32} {login.email:40} {login.password}")
        print()
    else:
        print("Demo data already loaded; reusing it.")
    _demo_crime_import()

    # The task worker and the sentinel node (the cameras), each in its own session, so that
    # stopping `up` stops them whatever signals they ignore; and on Linux the kernel stops
    # them too if `up` itself is killed outright.
    helpers = [
        subprocess.Popen(
            [sys.executable, "-m", "jewelguard", *command],
            start_new_session=True,
            preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
        )
        for command in (["worker"], ["sentinel", "run"])
    ]
    print(f"JewelGuard is up: {_served_address(host, port)}/  (Ctrl-C to stop)")
    try:
        _serve(host, port, workers=1)
    finally:
        for helper in helpers:
            os.killpg(helper.pid, signal.SIGTERM)
        for helper in helpers:
            try:
                helper.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(helper.pid, signal.SIGKILL)
                helper.wait()


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "help"
    if command in {"help", "-h", "--help"}:
        print(USAGE)
        if not args:
            raise SystemExit(2)
        return
    if command in {"up", "serve"}:
        parser = argparse.ArgumentParser(prog=f"jewelguard {command}")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        if command == "serve":
            parser.add_argument("--workers", type=int, default=1)
        options = parser.parse_args(args[1:])
        if command == "up":
            _up(options.host, options.port)
        else:
            _setup()
            _serve(options.host, options.port, options.workers)
        return
    if command == "worker":
        _setup()
        _worker()
        return
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jewelguard", *args])
