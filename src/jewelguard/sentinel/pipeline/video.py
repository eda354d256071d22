"""Decoding a camera's stream (a file, RTSP or an HTTP MJPEG URL) into BGR frames at the
detect rate and size, with PyAV (FFmpeg).

Corrupt packets and frames are skipped and counted rather than stopping the stream: a
camera on a flaky network still gets analysed. A stream that yields nothing but errors stops
with a `VideoError` that says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import av
import av.error
import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

# Network schemes FFmpeg may open for a camera. Anything else (concat:, pipe:, file:, data:
# and the like) is refused: a stream address typed by a member must not read local files or
# run FFmpeg's protocol tricks.
NETWORK_SCHEMES = ("rtsp", "rtsps", "http", "https")
# Bounds on what a camera setup may ask for.
DETECT_FPS_MAX = 30.0
SIDE_MIN, SIDE_MAX = 16, 3840
# After this many errors in a row with no good frame between, the stream is given up.
CONSECUTIVE_ERRORS_MAX = 100
# How long FFmpeg waits on a silent network stream before giving up (seconds).
NETWORK_TIMEOUT_S = 10.0


class VideoError(Exception):
    """The stream could not be opened or read; the message says why, for a person."""


@dataclass(frozen=True)
class VideoFrame:
    """One frame at the detect size, with its time from the stream's start."""

    image: npt.NDArray[np.uint8]  # H x W x 3, BGR
    at_s: float
    index: int  # 0-based index among all decoded frames of the source


@dataclass
class DecodeStats:
    """What decoding a stream gave so far (updated as frames are read)."""

    source_width: int = 0
    source_height: int = 0
    source_fps: float = 0.0  # 0 when the container does not say
    decoded: int = 0  # good frames decoded, all of them
    delivered: int = 0  # frames handed on at the detect rate
    corrupt: int = 0  # packets or frames skipped as corrupt


def source_check(*, source: str) -> str:
    """The source as FFmpeg should open it: an existing file path or an allowed URL.

    Raises VideoError naming the problem for anything else.
    """
    if not source or len(source) > 2048 or any(ord(c) < 32 for c in source):
        raise VideoError("source: give a file path or an rtsp:// or http(s):// address")
    scheme = urlsplit(source).scheme.lower()
    if scheme in NETWORK_SCHEMES:
        return source
    if "://" in source or (scheme and len(scheme) > 1):
        raise VideoError(
            f"source: the scheme {scheme!r} is not allowed (use rtsp, rtsps, http, https or a file)"
        )
    path = Path(source)
    if not path.is_file():
        raise VideoError(f"source: no such file: {source}")
    return str(path)


def settings_check(*, detect_fps: float, width: int, height: int) -> None:
    """Raise VideoError naming the setting when the detect rate or size is out of bounds."""
    if not 0 < detect_fps <= DETECT_FPS_MAX:
        raise VideoError(f"detect_fps: must be above 0 and at most {DETECT_FPS_MAX:g}")
    for name, side in (("detect_width", width), ("detect_height", height)):
        if not SIDE_MIN <= side <= SIDE_MAX:
            raise VideoError(f"{name}: must be between {SIDE_MIN} and {SIDE_MAX} pixels")


def _container_open(source: str, *, input_format: str | None) -> av.container.InputContainer:
    options: dict[str, str] = {}
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("rtsp", "rtsps"):
        options["rtsp_transport"] = "tcp"
    try:
        return av.open(
            source,
            mode="r",
            format=input_format,
            options=options,
            timeout=NETWORK_TIMEOUT_S if scheme in NETWORK_SCHEMES else None,
        )
    except av.error.FFmpegError as error:
        # FFmpeg's message names the problem ("Invalid data found when processing input").
        raise VideoError(f"source: cannot be opened as video: {error.strerror}") from None


def video_frames(
    *,
    source: str,
    detect_fps: float = 5.0,
    width: int = 640,
    height: int = 480,
    stats: DecodeStats | None = None,
    input_format: str | None = None,
    threads: bool = True,
) -> Iterator[VideoFrame]:
    """Decode `source` and yield frames at `detect_fps`, resized to `width` x `height` BGR.

    Frames are picked by their timestamps, so a 10 fps file and a 25 fps camera both give
    5 frames a second. `input_format` forces FFmpeg's demuxer (e.g. "mpjpeg" for a camera's
    multipart MJPEG over HTTP that FFmpeg does not recognise by itself).
    """
    settings_check(detect_fps=detect_fps, width=width, height=height)
    opened = source_check(source=source)
    stats = stats if stats is not None else DecodeStats()
    container = _container_open(opened, input_format=input_format)
    try:
        if not container.streams.video:
            raise VideoError("source: has no video stream")
        stream = container.streams.video[0]
        if threads:
            stream.thread_type = "AUTO"
        stats.source_width = stream.codec_context.width
        stats.source_height = stream.codec_context.height
        stats.source_fps = float(stream.average_rate) if stream.average_rate else 0.0
        yield from _frames_pick(container, stream, detect_fps, width, height, stats)
    finally:
        container.close()


def _frames_pick(
    container: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    detect_fps: float,
    width: int,
    height: int,
    stats: DecodeStats,
) -> Iterator[VideoFrame]:
    interval = 1.0 / detect_fps
    fallback_fps = stats.source_fps or 25.0
    first_time: float | None = None
    next_due = 0.0
    errors_in_row = 0
    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
        except StopIteration:
            break
        except av.error.FFmpegError as error:
            # A damaged container: count it and keep reading unless nothing good comes.
            stats.corrupt += 1
            errors_in_row += 1
            if errors_in_row >= CONSECUTIVE_ERRORS_MAX:
                raise VideoError(f"source: unreadable ({error.strerror})") from None
            continue
        try:
            frames = packet.decode()
        except av.error.FFmpegError:
            stats.corrupt += 1
            errors_in_row += 1
            if errors_in_row >= CONSECUTIVE_ERRORS_MAX:
                raise VideoError("source: unreadable (every frame is corrupt)") from None
            continue
        for frame in frames:
            if frame.is_corrupt:
                stats.corrupt += 1
                errors_in_row += 1
                continue
            errors_in_row = 0
            index = stats.decoded
            stats.decoded += 1
            time = frame.time if frame.time is not None else index / fallback_fps
            if first_time is None:
                first_time = time
            at_s = max(0.0, time - first_time)
            if at_s + 1e-6 < next_due:
                continue
            # Behind (a gap in the stream): pick up from now rather than bursting.
            next_due = max(next_due + interval, at_s + interval * 0.5)
            image = np.asarray(
                frame.to_ndarray(width=width, height=height, format="bgr24"), dtype=np.uint8
            )
            stats.delivered += 1
            yield VideoFrame(image=image, at_s=at_s, index=index)
    if stats.decoded == 0:
        raise VideoError("source: no frame could be decoded")
    if stats.corrupt:
        logger.info("video: skipped %d corrupt packets or frames", stats.corrupt)
