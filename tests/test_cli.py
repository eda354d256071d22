"""The `jewelguard` command, run for real in a subprocess as an operator would run it."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

DEMO_PASSWORD = "demo-password-for-cli-tests"
STARTUP_SECONDS = 60
STOP_SECONDS = 20


def _jewelguard() -> list[str]:
    """The installed console script beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("jewelguard")
    if script.exists():
        return [str(script)]
    found = shutil.which("jewelguard")
    return [found] if found else [sys.executable, "-m", "jewelguard"]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The caller's environment without any JewelGuard or Django settings of the test run."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("JEWELGUARD_", "DJANGO_"))
    }
    env["JEWELGUARD_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid``, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; fields resume after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


class RunningUp:
    """`jewelguard up` in the background, its output in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.base = f"http://127.0.0.1:{self.port}"
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [*_jewelguard(), "up", "--port", str(self.port)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_ready(self) -> None:
        """Until /healthz answers and the task worker has started, or fail with the log."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"jewelguard up exited early:\n{self.output()}")
            if "Starting worker" in self.output() and self.status("/healthz") == 200:
                return
            time.sleep(0.1)
        pytest.fail(f"jewelguard up did not start in {STARTUP_SECONDS} s:\n{self.output()}")

    def status(self, path: str) -> int | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def stop(self) -> int:
        """Ctrl-C, as at a terminal; returns the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=STOP_SECONDS)

    def kill(self) -> None:
        for pid in _children(self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.kill()
        self.process.wait()


@pytest.fixture
def start_up(cli_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[[int], RunningUp]]:
    started: list[RunningUp] = []

    def start(run: int) -> RunningUp:
        running = RunningUp(cli_env, tmp_path / f"up-{run}.log")
        started.append(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.kill()


def _log_in(base: str, email: str, password: str) -> str:
    """Sign in through the login form; returns the path the browser ends on."""
    return _signed_in(base, email, password)[1]


def _signed_in(base: str, email: str, password: str) -> tuple[urllib.request.OpenerDirector, str]:
    """Sign in through the login form; returns the signed-in opener and the path it ends on."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/accounts/login/", timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "the login page has no CSRF token"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "login": email, "password": password}
    ).encode()
    with opener.open(f"{base}/accounts/login/", data=form, timeout=10) as response:
        return opener, str(urllib.parse.urlsplit(response.url).path)


def test_bare_command_prints_usage_and_fails(cli_env):
    result = subprocess.run(  # noqa: S603
        _jewelguard(), env=cli_env, capture_output=True, text=True, timeout=30, check=False
    )

    assert result.returncode == 2
    assert "usage: jewelguard" in result.stdout


def test_serve_in_production_without_a_secret_key_says_which_variable(cli_env):
    # given production mode and no secret key
    cli_env["JEWELGUARD_DEBUG"] = "0"
    cli_env["JEWELGUARD_ALLOWED_HOSTS"] = "jewelguard.example.org"

    # when the web server is started
    result = subprocess.run(  # noqa: S603
        [*_jewelguard(), "serve", "--port", str(free_port())],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    # then it refuses at once, in one line that names the variable, without a traceback
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "JEWELGUARD_SECRET_KEY" in lines[0]
    assert result.stdout == ""


def test_management_commands_pass_through(cli_env):
    cli_env["JEWELGUARD_DEBUG"] = "1"

    result = subprocess.run(  # noqa: S603
        [*_jewelguard(), "check"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_up_serves_demo_data_then_reuses_it(cli_env, start_up):
    cli_env["JEWELGUARD_DEMO_PASSWORD"] = DEMO_PASSWORD

    # given a fresh data directory, when the platform is brought up
    first = start_up(1)
    first.wait_until_ready()

    # then it serves pages, and the demo logins it printed once let a jeweler sign in
    assert first.status("/") == 200
    assert first.status("/healthz") == 200
    output = first.output()
    assert output.count("Demo logins") == 1
    assert re.search(rf"denver@demo\.jewelguard\.org\s+{DEMO_PASSWORD}", output)
    assert _log_in(first.base, "denver@demo.jewelguard.org", DEMO_PASSWORD) == "/me/"

    # when it is stopped with Ctrl-C
    workers = _children(first.process.pid)
    assert workers, "no task worker process was started"
    assert first.stop() == 0

    # then the web server and its task worker are both gone
    assert [pid for pid in workers if _alive(pid)] == []
    assert "Finished server process" in first.output()

    # when it is brought up again on the same data directory
    second = start_up(2)
    second.wait_until_ready()

    # then it reuses the data and keeps the passwords to itself
    assert second.status("/") == 200
    output = second.output()
    assert "Demo data already loaded" in output
    assert "Demo logins" not in output
    assert DEMO_PASSWORD not in output
    assert _log_in(second.base, "denver@demo.jewelguard.org", DEMO_PASSWORD) == "/me/"
    assert second.stop() == 0


def test_task_worker_stops_when_up_is_killed_outright(cli_env, start_up):
    # given the platform up, with its task worker
    running = start_up(1)
    running.wait_until_ready()
    workers = _children(running.process.pid)
    assert workers, "no task worker process was started"
    # when `up` itself is killed, with no chance to clean up
    running.process.kill()
    running.process.wait()
    # then the worker does not linger on its own
    deadline = time.monotonic() + STOP_SECONDS
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in workers if _alive(pid)] == []


def test_up_on_another_port_links_to_that_port(cli_env, start_up):
    # given the platform brought up on a port other than 8000, with no site address set
    cli_env["JEWELGUARD_DEMO_PASSWORD"] = DEMO_PASSWORD
    running = start_up(1)
    running.wait_until_ready()

    # when a pledged jeweler opens a store's toolkit
    opener, _path = _signed_in(running.base, "denver@demo.jewelguard.org", DEMO_PASSWORD)
    # (a jeweler with one store goes straight to its toolkit)
    with opener.open(f"{running.base}/pledge/toolkit/", timeout=10) as response:
        toolkit = response.read().decode()

    # then the verification link points at the address it serves on, not port 8000
    links = re.findall(r'href="(https?://[^"]+/pledge/verify/[^"]+)"', toolkit)
    assert links, toolkit
    assert all(link.startswith(f"{running.base}/") for link in links), links
    with urllib.request.urlopen(links[0], timeout=10) as response:  # noqa: S310
        assert response.status == 200
    assert running.stop() == 0


def _deploy_check(cli_env: dict[str, str], **extra: str) -> str:
    cli_env.update(
        JEWELGUARD_DEBUG="0",
        JEWELGUARD_SECRET_KEY="k" * 20 + "production-secret-key-for-tests",
        JEWELGUARD_ALLOWED_HOSTS="jewelguard.example.org",
        **extra,
    )
    result = subprocess.run(  # noqa: S603
        [*_jewelguard(), "check", "--deploy"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout + result.stderr


def test_deploy_check_in_production_redirects_to_https_by_default(cli_env):
    # given production mode with only the required settings
    output = _deploy_check(cli_env)

    # then plain HTTP is redirected; HSTS preload waits for the operator's decision
    assert "security.W008" not in output, output
    assert "security.W021" in output, output


def test_deploy_check_is_clean_once_preload_is_chosen(cli_env):
    output = _deploy_check(cli_env, JEWELGUARD_HSTS_PRELOAD="1")

    assert "System check identified no issues" in output, output


def test_deploy_check_warns_when_the_operator_turns_the_redirect_off(cli_env):
    output = _deploy_check(cli_env, JEWELGUARD_SSL_REDIRECT="0", JEWELGUARD_HSTS_PRELOAD="1")

    assert "security.W008" in output, output


def _send_inquiry(base: str, forwarded_for: str) -> int:
    """Send the contact form as a fresh browser would, claiming to be forwarded_for."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    headers = {"X-Forwarded-For": forwarded_for}
    request = urllib.request.Request(f"{base}/playbook/contact/", headers=headers)  # noqa: S310
    with opener.open(request, timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "the contact page has no CSRF token"
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": match.group(1),
            "name": "Ana Morales",
            "email": "ana@frontrange.example",
            "subject": "Staff cards",
            "message": "Can we print the staff cards on our own letterhead?",
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/playbook/contact/", data=form, headers=headers
    )
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_inquiry_limit_holds_against_forged_addresses_and_restarts(cli_env, start_up):
    from jewelguard.playbook.services import INQUIRY_RATE_LIMIT

    # given the platform up, with no trusted proxy configured
    first = start_up(1)
    first.wait_until_ready()

    # when one client sends its allowance, each time claiming another forwarded address
    for number in range(INQUIRY_RATE_LIMIT):
        assert _send_inquiry(first.base, f"198.51.100.{number}") == 200
    # then the next is refused all the same
    assert _send_inquiry(first.base, "203.0.113.77") == 429

    # and after a restart it is still refused
    assert first.stop() == 0
    second = start_up(2)
    second.wait_until_ready()
    assert _send_inquiry(second.base, "203.0.113.78") == 429
    assert second.stop() == 0
