"""Fixtures for the sentinel pipeline: vtest.avi frames, and composed scenario clips.

vtest.avi (../shared/data/video) is real: ordinary foot traffic on a campus walkway. The
scenario clips are SYNTHETIC, composed here from it: the empty walkway is the per-pixel
median of frames spread over the whole video (the walkers vanish), and the "crew" are
real people cut out of one vtest frame (by the SSDLite detector's boxes, padded) and
pasted at positions the test chooses, moved as fast or as slowly as it says. The
"smashing" at the showcase is synthetic too: blocks of the showcase zone flicker between
frames (shards and arms), as a smash would change the pixels there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from jewelguard.sentinel.pipeline.detectors import SsdliteDetector
from jewelguard.sentinel.pipeline.types import Box, CameraSetup, Zone
from jewelguard.sentinel.pipeline.video import video_frames

WIDTH, HEIGHT = 640, 480
FPS = 5.0
# The showcase: the right-hand part of the walkway, where the crew ends up.
SHOWCASE = Zone(
    name="front case",
    kind="showcase",
    polygon=((0.55, 0.25), (0.95, 0.25), (0.95, 0.95), (0.55, 0.95)),
)
STORE = CameraSetup(zones=(SHOWCASE,))


@cache
def _walkway_and_people(path: str) -> tuple[npt.NDArray[np.uint8], list[npt.NDArray[np.uint8]]]:
    frames = [f.image for f in video_frames(source=path, detect_fps=0.5)]
    empty = np.median(np.stack(frames), axis=0).astype(np.uint8)
    # People cut from a frame where several walk apart from each other.
    frame = frames[5]
    boxes = SsdliteDetector().detect(frame, None)
    people: list[npt.NDArray[np.uint8]] = []
    for box in sorted(boxes, key=lambda b: -b.confidence)[:4]:
        left, top = int(box.left) - 3, int(box.top) - 3
        right, bottom = int(box.left + box.width) + 3, int(box.top + box.height) + 3
        people.append(frame[max(0, top) : bottom, max(0, left) : right].copy())
    return empty, people


@dataclass(frozen=True)
class Clip:
    frames: list[npt.NDArray[np.uint8]]
    onset_s: float  # when the crew starts to move


def clip_compose(
    *,
    path: str,
    people: int,
    speed: float,
    seconds: float,
    smash: bool,
    lead_in_s: float = 1.0,
    seed: int = 1,
) -> Clip:
    """A synthetic clip: `people` walk from the left of the walkway towards the showcase
    at `speed` body heights per second (a cut-out is about 70 px tall) after `lead_in_s`
    of empty scene, stop inside it, and (with `smash`) the showcase flickers once the
    first of them is there."""
    empty, cutouts = _walkway_and_people(path)
    assert len(cutouts) >= people, "vtest frame gave too few people to compose a crew"
    rng = np.random.default_rng(seed)
    # Start side by side at the left of the showcase; stop inside it.
    starts = [(0.20 + 0.02 * i, 0.40 + 0.13 * i) for i in range(people)]
    stops = [(0.62 + 0.09 * i, 0.40 + 0.13 * i) for i in range(people)]
    frames: list[npt.NDArray[np.uint8]] = []
    count = int(seconds * FPS)
    for n in range(count):
        at_s = n / FPS
        image = empty.copy()
        moving_s = max(0.0, at_s - lead_in_s)
        arrived = False
        placed = []
        if at_s >= lead_in_s:
            for (sx, sy), (ex, _), cutout in zip(starts, stops, cutouts, strict=False):
                h, w = cutout.shape[:2]
                x = min(sx + speed * h / WIDTH * moving_s, ex)
                arrived = arrived or x >= ex
                placed.append((int(x * WIDTH - w / 2), int(sy * HEIGHT - h), cutout))
        if smash and arrived:
            # The case behind the crew: blocks of it change from frame to frame.
            x0, y0 = int(0.56 * WIDTH), int(0.26 * HEIGHT)
            x1, y1 = int(0.94 * WIDTH), int(0.94 * HEIGHT)
            for _ in range(100):
                bx, by = rng.integers(x0, x1 - 24), rng.integers(y0, y1 - 24)
                image[by : by + 24, bx : bx + 24] = rng.integers(0, 255, (24, 24, 3))
        for left, top, cutout in placed:
            h, w = cutout.shape[:2]
            image[top : top + h, left : left + w] = cutout
        frames.append(image)
    return Clip(frames=frames, onset_s=lead_in_s)


def clip_play(clip: Clip, *, analyzer, is_open: bool = True) -> Iterator[tuple[float, list]]:
    for n, image in enumerate(clip.frames):
        at_s = n / FPS
        yield at_s, list(analyzer.frame(image=image, at_s=at_s, is_open=is_open).hits)


def box_iou(a: Box, b: Box) -> float:
    x1, y1 = max(a.left, b.left), max(a.top, b.top)
    x2 = min(a.left + a.width, b.left + b.width)
    y2 = min(a.top + a.height, b.top + b.height)
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = a.width * a.height + b.width * b.height - inter
    return inter / union if union > 0 else 0.0
