"""Opening a camera's stream or file for reading, with OpenCV's FFmpeg, within time limits.

OpenCV and FFmpeg print what they open when something fails, address and password included,
so both are silenced before the first camera opens; the node reports failures itself, with
the address masked.
"""

from __future__ import annotations

import os
from typing import Any

# Before cv2 is first imported: its own log, FFmpeg's, and RTSP over TCP (no lost packets).
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_FFMPEG_CAPTURE_OPTIONS", "rtsp_transport;tcp")

import cv2

from jewelguard.sentinel.models import SourceKind


class SourceError(Exception):
    """A camera's source cannot be opened or read; the message never holds the address."""


def source_open(
    *, kind: str, url: str, open_timeout_s: float = 5.0, read_timeout_s: float = 5.0
) -> Any:
    """A cv2.VideoCapture reading ``url``, or SourceError; never waits past the timeouts."""
    target = url
    if kind == SourceKind.FILE and url.startswith("file://"):
        target = url[len("file://") :]
    if kind == SourceKind.FILE and not os.path.isfile(target):
        raise SourceError("the video file is not there")
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        int(open_timeout_s * 1000),
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        int(read_timeout_s * 1000),
    ]
    capture = cv2.VideoCapture(target, cv2.CAP_FFMPEG, params)
    if not capture.isOpened():
        capture.release()
        raise SourceError("the source did not open (no answer, refused, or not a video)")
    return capture
