"""Following people across frames with the norfair tracker (the one Frigate uses): ids, paths
and speeds.

Boxes are matched on their centres' distance in body heights, from the Kalman-predicted
position, rather than on overlap: at 5 detect fps a running person's boxes in two frames
need not overlap at all.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from norfair import Detection, Tracker
from norfair.distances import VectorizedDistance

from jewelguard.sentinel.pipeline.types import Box, Point, Track


@dataclass(frozen=True)
class TrackingSettings:
    """How people are followed."""

    # Furthest a box may be from a track's predicted place to continue it, in body heights
    # per analysed frame (1.0 at 5 fps is a sprint of about 8 m/s).
    max_step_heights: float = 1.0
    # Frames a person must be seen in before they get an id (1 = at once), and frames a
    # track survives without being seen (a person hidden behind a showcase for a moment).
    confirm_frames: int = 2
    keep_frames: int = 10
    # Speed is measured over this much of the recent path.
    speed_window_s: float = 1.0
    # Foot points kept per track for its path.
    path_length: int = 50


def _distance(candidates: npt.NDArray[np.float64], objects: npt.NDArray[np.float64]) -> Any:
    centres_c = (candidates[:, :2] + candidates[:, 2:]) / 2
    centres_o = (objects[:, :2] + objects[:, 2:]) / 2
    heights_c = np.maximum(candidates[:, 3] - candidates[:, 1], 1.0)
    heights_o = np.maximum(objects[:, 3] - objects[:, 1], 1.0)
    steps = np.linalg.norm(centres_c[:, None, :] - centres_o[None, :, :], axis=2)
    # A box of quite another size is another person, even close by.
    size_change = np.abs(np.log(heights_c[:, None] / heights_o[None, :]))
    return steps / heights_c[:, None] + size_change


class PersonTracker:
    """One camera's people: feed it each frame's boxes, get back the tracks seen in it."""

    def __init__(self, *, settings: TrackingSettings | None = None) -> None:
        self.settings = settings or TrackingSettings()
        keep = max(self.settings.keep_frames, self.settings.confirm_frames + 1)
        self._tracker = Tracker(
            distance_function="euclidean",
            distance_threshold=self.settings.max_step_heights,
            hit_counter_max=keep,
            initialization_delay=max(0, self.settings.confirm_frames - 1),
        )
        # norfair wraps a plain callable as a slow per-pair distance and warns; the
        # vectorised form takes whole arrays.
        self._tracker.distance_function = VectorizedDistance(_distance)
        # track id -> (at_s, foot point in pixels, box height in pixels), oldest first
        self._paths: dict[int, deque[tuple[float, Point, float]]] = {}

    def update(self, *, boxes: list[Box], at_s: float, width: int, height: int) -> list[Track]:
        """Match this frame's boxes to tracks; the tracks seen in this frame, by id."""
        detections = [
            Detection(
                points=np.array(
                    [[b.left, b.top], [b.left + b.width, b.top + b.height]], dtype=np.float64
                ),
                scores=np.array([b.confidence, b.confidence]),
                data=b,
            )
            for b in boxes
        ]
        if not detections and not self._tracker.tracked_objects:
            return []  # a quiet scene: nothing to follow, nothing to age
        objects = self._tracker.update(detections=detections)
        seen = {id(b) for b in boxes}
        tracks: list[Track] = []
        alive: set[int] = set()
        for obj in objects:
            if obj.id is None:
                continue
            alive.add(obj.id)
            detection = obj.last_detection
            if detection is None or id(detection.data) not in seen:
                continue  # not seen in this frame: no box to show for it
            box: Box = detection.data
            foot = (box.left + box.width / 2, box.top + box.height)
            path = self._paths.setdefault(obj.id, deque(maxlen=self.settings.path_length))
            path.append((at_s, foot, box.height))
            pixels_per_s, heights_per_s = self._speed(path)
            tracks.append(
                Track(
                    track_id=obj.id,
                    box=box,
                    speed=pixels_per_s / width,
                    path=tuple((x / width, y / height) for _, (x, y), _ in path),
                    speed_heights=heights_per_s,
                )
            )
        for gone in set(self._paths) - alive:
            del self._paths[gone]
        tracks.sort(key=lambda track: track.track_id)
        return tracks

    def _speed(self, path: deque[tuple[float, Point, float]]) -> tuple[float, float]:
        """Foot point speed over the recent path: pixels and body heights per second."""
        now, (x, y), _ = path[-1]
        window = [entry for entry in path if now - entry[0] <= self.settings.speed_window_s]
        then, (x0, y0), _ = window[0]
        if now - then <= 0:
            return 0.0, 0.0
        pixels_per_s = math.hypot(x - x0, y - y0) / (now - then)
        body = float(np.median([h for _, _, h in window]))
        return pixels_per_s, pixels_per_s / max(body, 1.0)
