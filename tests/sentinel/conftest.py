"""Fixtures for the sentinel: the vtest.avi recording (the composed scenario clips are in
clips.py), and for the node: a real RTSP server (Debian's GStreamer, in a process of its own),
a port that accepts and never answers, broken video files, and nodes in a thread or in
processes of their own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from jewelguard.accounts.models import Store
from jewelguard.sentinel import services
from jewelguard.sentinel.models import Arming, Camera, CameraStatus, SourceKind
from jewelguard.sentinel.node import NodeOptions, node_run
from tests.conftest import free_port, shared_data
from tests.core.test_worker import _database_url
from tests.sentinel.motion import motion_analyzer_build


@pytest.fixture
def vtest() -> str:
    return str(shared_data("video/vtest.avi"))


SYSTEM_PYTHON = "/usr/bin/python3"
RTSP_SERVER = Path(__file__).with_name("rtsp_server.py")
WAIT_SECONDS = 90


def wait_until(
    what: str, check: Callable[[], Any], *, seconds: float = WAIT_SECONDS, log: Path | None = None
) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    output = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    pytest.fail(f"waited {seconds} s for {what}\n{output}")


def status_of(camera: Camera) -> CameraStatus:
    return CameraStatus.objects.get(camera=camera)


class RtspServer:
    """Debian's GStreamer RTSP server in a process of its own, serving a video in a loop."""

    def __init__(self, video: str | Path, log: Path, *, width: int = 0, height: int = 0) -> None:
        self.video = video
        self.log = log
        self.port = free_port()
        self.size = (width, height)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"rtsp://127.0.0.1:{self.port}/cam"

    def start(self) -> None:
        args = [SYSTEM_PYTHON, str(RTSP_SERVER), str(self.port), str(self.video)]
        if self.size[0]:
            args += ["--width", str(self.size[0]), "--height", str(self.size[1])]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        wait_until(
            "the RTSP server",
            lambda: "ready" in self.log.read_text(errors="replace"),
            seconds=30,
            log=self.log,
        )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.write_text("")

    def restart(self) -> None:
        self.kill()
        self.start()


@pytest.fixture
def rtsp_server(tmp_path, vtest) -> Iterator[Callable[..., RtspServer]]:
    probe = (
        subprocess.run(  # noqa: S603
            [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0')"],
            capture_output=True,
            check=False,
        )
        if os.path.exists(SYSTEM_PYTHON)
        else None
    )
    if probe is None or probe.returncode != 0:
        pytest.skip("Debian's GStreamer RTSP server is not installed (scripts/setup installs it)")
    started: list[RtspServer] = []

    def start(**size: int) -> RtspServer:
        server = RtspServer(vtest, tmp_path / f"rtsp-{len(started)}.log", **size)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


def camera_add(store: Store, name: str, kind: str, url: str, **extra: Any) -> Camera:
    extra.setdefault("arming", Arming.ARMED)
    extra.setdefault("detect_fps", 5.0)
    return services.camera_create(
        store=store, actor=None, name=name, source_kind=kind, url=url, **extra
    )


def file_camera(store: Store, name: str, path: str | Path, **extra: Any) -> Camera:
    return camera_add(store, name, SourceKind.FILE, str(path), **extra)


FAST = NodeOptions(
    heartbeat_s=0.5,
    open_timeout_s=2.0,
    read_timeout_s=2.0,
    backoff_first_s=0.3,
    backoff_max_s=2.0,
)


class NodeThread:
    """node_run in a thread of the test process, with the test analyzer."""

    def __init__(self, name: str, options: NodeOptions) -> None:
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(name, options), daemon=True)

    def _run(self, name: str, options: NodeOptions) -> None:
        try:
            node_run(
                node_name=name,
                stop=self.stop,
                analyzer_factory=motion_analyzer_build,
                options=options,
            )
        except BaseException as error:
            self.errors.append(error)

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive(), "the node did not stop"
        assert not self.errors, self.errors


@pytest.fixture
def node_thread() -> Iterator[Callable[..., NodeThread]]:
    nodes: list[NodeThread] = []

    def start(name: str = "node-a", options: NodeOptions = FAST) -> NodeThread:
        node = NodeThread(name, options)
        nodes.append(node)
        node.thread.start()
        return node

    yield start
    for node in nodes:
        if node.thread.is_alive():
            node.halt()


class NodeProcess:
    """`jewelguard sentinel_node` in a subprocess, on the test's database."""

    def __init__(self, tmp_path: Path, name: str, *extra: str) -> None:
        self.name = name
        self.log = tmp_path / f"node-{name}-{time.monotonic_ns()}.log"
        env = {
            **os.environ,
            "JEWELGUARD_DEBUG": "1",
            "JEWELGUARD_SECRET_KEY": settings.SECRET_KEY,
            "JEWELGUARD_DATA_DIR": str(Path(settings.MEDIA_ROOT).parent),
            "JEWELGUARD_DATABASE_URL": _database_url(),
            "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[2]), *sys.path]),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "jewelguard",
                    "sentinel_node",
                    "--name",
                    name,
                    "--analyzer",
                    "tests.sentinel.motion:motion_analyzer_build",
                    "--lease-seconds",
                    "4",
                    "--heartbeat-seconds",
                    "0.5",
                    *extra,
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

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
def node_process(tmp_path) -> Iterator[Callable[..., NodeProcess]]:
    started: list[NodeProcess] = []

    def start(name: str, *extra: str) -> NodeProcess:
        node = NodeProcess(tmp_path, name, *extra)
        started.append(node)
        return node

    yield start
    for node in started:
        node.stop()


def corrupt_video(tmp_path: Path, vtest: str | Path) -> Path:
    """The first 100 kB of a real AVI and then noise: it opens, then breaks."""
    path = tmp_path / "corrupt.avi"
    path.write_bytes(Path(vtest).read_bytes()[:100_000] + os.urandom(300_000))
    return path


def noise_file(tmp_path: Path) -> Path:
    path = tmp_path / "noise.avi"
    path.write_bytes(os.urandom(200_000))
    return path
