"""The sentinel node: every camera it holds a lease on, read and analysed in one process.

Each camera has two threads: a reader that decodes frames as fast as the source gives them
(so a live stream never backs up) into a queue of two frames, dropping the oldest, and an
analyser that takes the newest frame at the camera's detection rate, runs the analyzer, and
turns rule hits into live events. A camera that fails is retried with growing pauses; it
never stalls the other cameras, and nothing it raises leaves its own threads. The main
thread renews the node's leases, claims free ones (a dead node's cameras, after its leases
expire), writes each camera's status and ends quiet live events.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import close_old_connections, transaction
from django.utils import timezone

from jewelguard.sentinel.credentials import (
    CredentialError,
    password_decrypt,
    url_masked,
    url_with_credentials,
)
from jewelguard.sentinel.leases import camera_leases_claim, camera_leases_release
from jewelguard.sentinel.models import Camera, CameraState, SourceKind
from jewelguard.sentinel.pipeline.types import Analyzer, CameraSetup, RuleHit, Zone
from jewelguard.sentinel.schedule import Schedule, camera_schedule
from jewelguard.sentinel.services import (
    camera_preview_save,
    camera_status_record,
    live_event_open_or_update,
    live_events_end_quiet,
)
from jewelguard.sentinel.sources import SourceError, source_open

logger = logging.getLogger(__name__)

AnalyzerFactory = Callable[[CameraSetup], Analyzer]
Frame = npt.NDArray[np.uint8]
# A camera that fails this many opens in a row is reported failed (and still retried).
FAILED_AFTER = 3
QUEUE_FRAMES = 2
STATUS_PUBLISH_EVERY_S = 30.0
SCHEDULE_REFRESH_S = 60.0
PREVIEW_EVERY_S = 60.0


@dataclass(frozen=True)
class HitPersisted:
    """A rule hit written as a live event, and how long that took from the frame's decoding."""

    camera_id: int
    event_id: int
    opened: bool
    latency_s: float
    # Of which: waiting for the analyser, the analysis itself, then writing the event.
    waited_s: float = 0.0
    analysed_s: float = 0.0


@dataclass
class NodeOptions:
    lease_ttl: timedelta = timedelta(seconds=15)
    heartbeat_s: float = 2.0
    max_cameras: int = 64
    open_timeout_s: float = 5.0
    read_timeout_s: float = 5.0
    backoff_first_s: float = 0.5
    backoff_max_s: float = 30.0
    quiet: timedelta = timedelta(seconds=60)
    on_hit: Callable[[HitPersisted], None] | None = None


@dataclass
class CameraRuntime:
    """What a camera's threads know of it, read by the main thread under ``lock``."""

    state: str = CameraState.CONNECTING
    last_frame_at: datetime | None = None
    frames: int = 0
    corrupt_frames: int = 0
    reconnects: int = 0
    detail: str = ""
    width: int = 0
    height: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def camera_setup(*, camera: Camera) -> CameraSetup:
    """The pipeline's view of a camera: its zones and masks as frozen values."""
    zones = tuple(
        Zone(
            name=str(zone["name"]),
            kind=zone["kind"],
            polygon=tuple((float(x), float(y)) for x, y in zone["polygon"]),
        )
        for zone in camera.zones
    )
    masks = tuple(tuple((float(x), float(y)) for x, y in mask) for mask in camera.masks)
    return CameraSetup(zones=zones, masks=masks, detect_fps=camera.detect_fps)


def analyzer_factory_load(path: str) -> AnalyzerFactory:
    """``module:callable`` taking a CameraSetup and returning an Analyzer."""
    module_name, _sep, name = path.partition(":")
    if not module_name or not name:
        raise ValueError("the analyzer is given as module:callable")
    factory: AnalyzerFactory = getattr(importlib.import_module(module_name), name)
    return factory


def analyzer_factory_default() -> AnalyzerFactory:
    """The detection pipeline's ``analyzer_build``."""
    pipeline = importlib.import_module("jewelguard.sentinel.pipeline")
    build = getattr(pipeline, "analyzer_build", None)
    if build is None:
        raise RuntimeError("the detection pipeline (analyzer_build) is not installed")
    factory: AnalyzerFactory = build
    return factory


class CameraWorker:
    """One camera's reader and analyser threads."""

    def __init__(
        self, *, camera: Camera, node_name: str, factory: AnalyzerFactory, options: NodeOptions
    ) -> None:
        self.camera = camera
        self.camera_id = camera.pk
        self.store_id = camera.store_id
        self.updated_at = camera.updated_at
        self.label = f"camera {camera.pk}"
        self.node_name = node_name
        self.factory = factory
        self.options = options
        self.runtime = CameraRuntime()
        self.stop = threading.Event()
        self.frames: queue.Queue[tuple[Frame, float, datetime]] = queue.Queue(QUEUE_FRAMES)
        self.reader = threading.Thread(
            target=self._read_guarded, name=f"{self.label} reader", daemon=True
        )
        self.analyser = threading.Thread(
            target=self._analyse_guarded, name=f"{self.label} analyser", daemon=True
        )
        self.published_state = ""
        self.published_at = 0.0
        # The analyzer's clock: seconds since this worker began, never negative, never back.
        self.began = time.monotonic()

    def start(self) -> None:
        self.reader.start()
        self.analyser.start()

    def halt(self) -> None:
        self.stop.set()

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for thread in (self.reader, self.analyser):
            thread.join(max(0.0, deadline - time.monotonic()))

    def _set(self, **values: Any) -> None:
        with self.runtime.lock:
            for name, value in values.items():
                setattr(self.runtime, name, value)

    # The reader -------------------------------------------------------------------------

    def _read_guarded(self) -> None:
        try:
            self._read()
        except Exception:
            logger.exception("%s: reader stopped", self.label)
            self._set(state=CameraState.FAILED, detail="the reader stopped on an error")
        finally:
            close_old_connections()

    def _address(self) -> str:
        camera = self.camera
        password = password_decrypt(token=camera.password_encrypted)
        return url_with_credentials(url=camera.url, username=camera.username, password=password)

    def _read(self) -> None:
        failures = 0
        backoff = self.options.backoff_first_s
        ever_live = False
        while not self.stop.is_set():
            try:
                address = self._address()
                capture = source_open(
                    kind=self.camera.source_kind,
                    url=address,
                    open_timeout_s=self.options.open_timeout_s,
                    read_timeout_s=self.options.read_timeout_s,
                )
            except (SourceError, CredentialError) as error:
                failures += 1
                state = CameraState.FAILED if failures >= FAILED_AFTER else CameraState.RECONNECTING
                self._set(state=state, detail=str(error))
                logger.warning(
                    "%s (%s): %s; retrying in %.1f s",
                    self.label,
                    url_masked(self.camera.url),
                    error,
                    backoff,
                )
                self.stop.wait(backoff)
                backoff = min(backoff * 2, self.options.backoff_max_s)
                continue
            try:
                got_frames = self._read_frames(capture)
            finally:
                capture.release()
            if got_frames:
                failures = 0
                backoff = self.options.backoff_first_s
                ever_live = True
            else:
                failures += 1
            if self.stop.is_set():
                break
            if self.camera.source_kind == SourceKind.FILE and got_frames:
                continue  # a file camera plays in a loop
            state = CameraState.FAILED if failures >= FAILED_AFTER else CameraState.RECONNECTING
            detail = "the stream stopped" if got_frames or ever_live else "no frames came"
            with self.runtime.lock:
                self.runtime.state = state
                self.runtime.detail = detail
                self.runtime.reconnects += 1
            logger.warning("%s: %s; reconnecting in %.1f s", self.label, detail, backoff)
            self.stop.wait(backoff)
            backoff = min(backoff * 2, self.options.backoff_max_s)

    def _read_frames(self, capture: Any) -> bool:
        """Read until the source ends or fails; whether any frame came."""
        is_file = self.camera.source_kind == SourceKind.FILE
        fps = float(capture.get(5) or 0.0)  # cv2.CAP_PROP_FPS
        pace = 1.0 / fps if is_file and 1.0 <= fps <= 120.0 else 0.0
        got = False
        bad_in_a_row = 0
        next_at = time.monotonic()
        while not self.stop.is_set():
            ok, image = capture.read()
            read_at = time.monotonic()
            if not ok or image is None:
                if is_file or not got:
                    return got
                bad_in_a_row += 1
                with self.runtime.lock:
                    self.runtime.corrupt_frames += 1
                if bad_in_a_row >= 3:
                    return got
                continue
            if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
                with self.runtime.lock:
                    self.runtime.corrupt_frames += 1
                continue
            bad_in_a_row = 0
            got = True
            now = timezone.now()
            with self.runtime.lock:
                self.runtime.state = CameraState.LIVE
                self.runtime.detail = ""
                self.runtime.last_frame_at = now
                self.runtime.frames += 1
                self.runtime.height, self.runtime.width = int(image.shape[0]), int(image.shape[1])
            self._offer(image, read_at, now)
            if pace:
                next_at += pace
                delay = next_at - time.monotonic()
                if delay > 0:
                    self.stop.wait(delay)
                else:
                    next_at = time.monotonic()
        return got

    def _offer(self, image: Frame, read_at: float, now: datetime) -> None:
        # Newest frames win: a slow analyser sees the present, and memory stays bounded.
        while True:
            try:
                self.frames.put_nowait((image, read_at, now))
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self.frames.get_nowait()

    # The analyser -----------------------------------------------------------------------

    def _analyse_guarded(self) -> None:
        try:
            self._analyse()
        except Exception:
            logger.exception("%s: analyser stopped", self.label)
            self._set(state=CameraState.FAILED, detail="the analysis stopped on an error")
        finally:
            close_old_connections()

    def _analyse(self) -> None:
        analyzer = self.factory(camera_setup(camera=self.camera))
        schedule: Schedule = camera_schedule(camera=self.camera)
        schedule_at = time.monotonic()
        period = 1.0 / max(0.2, self.camera.detect_fps)
        last = 0.0
        setup = camera_setup(camera=self.camera)
        preview_at = -PREVIEW_EVERY_S
        while not self.stop.is_set():
            try:
                image, read_at, wall = self.frames.get(timeout=0.5)
            except queue.Empty:
                continue
            # Only the newest frame is worth analysing; older ones are the past.
            with contextlib.suppress(queue.Empty):
                while True:
                    image, read_at, wall = self.frames.get_nowait()
            if read_at - last < period * 0.9:
                continue
            last = read_at
            if time.monotonic() - schedule_at > SCHEDULE_REFRESH_S:
                schedule = camera_schedule(camera=self.camera)
                schedule_at = time.monotonic()
                close_old_connections()
            picked_at = time.monotonic()
            small = _fit(image, setup.detect_width, setup.detect_height)
            try:
                result = analyzer.frame(
                    image=small,
                    at_s=max(0.0, read_at - self.began),
                    is_open=schedule.is_open(at=wall),
                )
            except Exception:
                logger.exception(
                    "%s: the analyzer failed on a frame; starting it afresh", self.label
                )
                analyzer = self.factory(setup)
                continue
            analysed_at = time.monotonic()
            for hit in result.hits:
                self._persist(
                    hit, small, wall, timing=(read_at, picked_at - read_at, analysed_at - picked_at)
                )
            if time.monotonic() - preview_at > PREVIEW_EVERY_S:
                preview_at = time.monotonic()
                self._preview(small)

    def _preview(self, image: Frame) -> None:
        import cv2

        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        if not ok:
            return
        try:
            camera_preview_save(camera_id=self.camera_id, jpeg=encoded.tobytes())
        except OSError:
            logger.warning("%s: the latest picture could not be kept", self.label)

    def _persist(
        self, hit: RuleHit, image: Frame, wall: datetime, *, timing: tuple[float, float, float]
    ) -> None:
        read_at, waited, analysed = timing
        import cv2

        # The pipeline's own snapshot has the people boxed; else the frame as analysed.
        jpeg: bytes | None = hit.snapshot_jpeg or None
        if jpeg is None:
            ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
            jpeg = encoded.tobytes() if ok else None
        for attempt in range(3):
            try:
                event, opened = live_event_open_or_update(
                    camera=self.camera, hit=hit, at=wall, snapshot_jpeg=jpeg
                )
                break
            except Exception:
                close_old_connections()
                if attempt == 2:
                    logger.exception("%s: a rule hit could not be written", self.label)
                    return
                time.sleep(0.2 * (attempt + 1))
        if opened:
            logger.info("%s: live event %s opened (%s)", self.label, event.pk, hit.scenario)
        if self.options.on_hit is not None:
            self.options.on_hit(
                HitPersisted(
                    camera_id=self.camera_id,
                    event_id=event.pk,
                    opened=opened,
                    latency_s=time.monotonic() - read_at,
                    waited_s=waited,
                    analysed_s=analysed,
                )
            )

    # Status -----------------------------------------------------------------------------

    def status_write(self, *, state_override: str | None = None) -> None:
        with self.runtime.lock:
            runtime = CameraRuntime(
                state=state_override or self.runtime.state,
                last_frame_at=self.runtime.last_frame_at,
                frames=self.runtime.frames,
                corrupt_frames=self.runtime.corrupt_frames,
                reconnects=self.runtime.reconnects,
                detail=self.runtime.detail,
                width=self.runtime.width,
                height=self.runtime.height,
            )
        now = time.monotonic()
        publish = (
            runtime.state != self.published_state
            or now - self.published_at >= STATUS_PUBLISH_EVERY_S
        )
        camera_status_record(
            camera_id=self.camera_id,
            store_id=self.store_id,
            node_name=self.node_name if state_override != CameraState.IDLE else "",
            state=runtime.state,
            last_frame_at=runtime.last_frame_at,
            frames=runtime.frames,
            corrupt_frames=runtime.corrupt_frames,
            reconnects=runtime.reconnects,
            detail=runtime.detail,
            width=runtime.width,
            height=runtime.height,
            publish=publish,
        )
        if publish:
            self.published_state = runtime.state
            self.published_at = now


def _fit(image: Frame, width: int, height: int) -> Frame:
    """``image`` shrunk to fit ``width`` x ``height`` (aspect kept); never enlarged."""
    import cv2

    h, w = image.shape[:2]
    scale = min(width / w, height / h)
    if scale >= 1.0:
        return image
    size = (max(1, int(w * scale)), max(1, int(h * scale)))
    resized = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return np.asarray(resized, dtype=np.uint8)


def node_run(
    *,
    node_name: str,
    stop: threading.Event | None = None,
    analyzer_factory: AnalyzerFactory | None = None,
    options: NodeOptions | None = None,
) -> None:
    """Read and analyse every camera this node can lease, until ``stop`` is set.

    Cameras whose lease another node holds are left alone until that lease expires. On the
    way out the node's leases are given back, so another node takes over at once.
    """
    stop = stop or threading.Event()
    options = options or NodeOptions()
    factory = analyzer_factory or analyzer_factory_default()
    workers: dict[int, CameraWorker] = {}
    last_renewed = time.monotonic()
    logger.info("sentinel node %s starting", node_name)
    try:
        while not stop.is_set():
            try:
                held = set(
                    camera_leases_claim(
                        node_name=node_name, ttl=options.lease_ttl, limit=options.max_cameras
                    )
                )
                last_renewed = time.monotonic()
                cameras = {
                    camera.pk: camera
                    for camera in Camera.objects.select_related("store").filter(pk__in=held)
                }
            except Exception:
                logger.exception("sentinel node %s: the lease heartbeat failed", node_name)
                close_old_connections()
                if time.monotonic() - last_renewed > options.lease_ttl.total_seconds():
                    # Our leases have lapsed: another node may read these cameras now.
                    held, cameras = set(), {}
                else:
                    stop.wait(options.heartbeat_s)
                    continue
            for camera_id in list(workers):
                camera = cameras.get(camera_id)
                if camera is None or camera.updated_at != workers[camera_id].updated_at:
                    worker = workers.pop(camera_id)
                    worker.halt()
                    logger.info("%s: no longer read by this node, or changed", worker.label)
            for camera_id, camera in cameras.items():
                if camera_id not in workers:
                    worker = CameraWorker(
                        camera=camera, node_name=node_name, factory=factory, options=options
                    )
                    workers[camera_id] = worker
                    worker.start()
                    logger.info("%s: read by node %s", worker.label, node_name)
            try:
                # One commit for every camera's status, not one each.
                with transaction.atomic():
                    for worker in list(workers.values()):
                        try:
                            with transaction.atomic():
                                worker.status_write()
                        except Exception:
                            logger.exception("%s: status could not be written", worker.label)
            except Exception:
                logger.exception("sentinel node %s: statuses could not be written", node_name)
            try:
                live_events_end_quiet(camera_ids=sorted(workers), quiet=options.quiet)
            except Exception:
                logger.exception("sentinel node %s: ending quiet events failed", node_name)
            close_old_connections()
            stop.wait(options.heartbeat_s)
    finally:
        for worker in workers.values():
            worker.halt()
        for worker in workers.values():
            worker.join(timeout=options.read_timeout_s + 2)
            try:
                worker.status_write(state_override=CameraState.IDLE)
            except Exception:
                logger.exception("%s: status could not be written", worker.label)
        try:
            camera_leases_release(node_name=node_name)
        except Exception:
            logger.exception("sentinel node %s: leases could not be given back", node_name)
        close_old_connections()
        logger.info("sentinel node %s stopped", node_name)
