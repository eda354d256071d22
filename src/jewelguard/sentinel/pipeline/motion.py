"""Motion gating: where in the frame something moves, found cheaply on a small grey copy.

As Frigate does: the frame is shrunk to about 100 pixels high, compared with a running
background, and the changed pixels (outside the camera's masks) give the moving regions
the person detector looks at. A quiet scene costs a resize, a blur and a difference.
A second, frame-to-frame difference measures how violent the motion is inside a zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from jewelguard.sentinel.pipeline.types import Point

# A rectangle in the pixels of the analysed frame: left, top, width, height.
Region = tuple[int, int, int, int]


@dataclass(frozen=True)
class MotionSettings:
    """How motion is found (Frigate's defaults where it has one)."""

    # Grey-level change (0..255) that counts a pixel as changed.
    threshold: int = 30
    # Smallest changed blob kept, in pixels of the small frame.
    min_area: int = 10
    # Height of the small frame motion is computed on.
    frame_height: int = 100
    # How fast the background follows the scene per analysed frame (0..1): at 5 fps, 0.1
    # lets a parked object fade into the background in about 5 seconds.
    background_rate: float = 0.1
    # When more than this fraction of the frame changes at once (lights switched, camera
    # bumped), the background is reset instead of reporting the whole frame as motion.
    reset_fraction: float = 0.9


@dataclass(frozen=True)
class MotionResult:
    """What moved in one frame."""

    regions: tuple[Region, ...]
    # Fraction of the unmasked frame that differs from the background.
    changed_fraction: float
    # Changed pixels of the small frame against the previous frame (True = changed).
    frame_change: npt.NDArray[np.bool_]

    @property
    def moving(self) -> bool:
        return bool(self.regions)


def polygon_mask(*, polygon: Sequence[Point], width: int, height: int) -> npt.NDArray[np.bool_]:
    """The pixels of a `width` x `height` frame inside a normalised polygon."""
    mask = np.zeros((height, width), dtype=np.uint8)
    points = np.array([[x * width, y * height] for x, y in polygon], dtype=np.float64)
    cv2.fillPoly(mask, [np.round(points).astype(np.int32)], 1)
    return mask.astype(bool)


class MotionDetector:
    """One camera's motion state: its background, the previous frame and its masks."""

    def __init__(
        self,
        *,
        masks: Sequence[Sequence[Point]] = (),
        settings: MotionSettings | None = None,
    ) -> None:
        self.settings = settings or MotionSettings()
        self._masks = tuple(tuple(mask) for mask in masks)
        self._background: npt.NDArray[np.float32] | None = None
        self._previous: npt.NDArray[np.uint8] | None = None
        self._keep: npt.NDArray[np.bool_] | None = None
        self._small_size: tuple[int, int] = (0, 0)
        self._zone_masks: dict[tuple[Point, ...], npt.NDArray[np.bool_]] = {}
        self._kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))

    def _small(self, image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
        height, width = image.shape[:2]
        small_h = min(self.settings.frame_height, height)
        small_w = max(1, round(width * small_h / height))
        if (small_w, small_h) != self._small_size:
            self._small_size = (small_w, small_h)
            self._background = None
            self._previous = None
            self._zone_masks = {}
            keep = np.ones((small_h, small_w), dtype=bool)
            for mask in self._masks:
                keep &= ~polygon_mask(polygon=mask, width=small_w, height=small_h)
            self._keep = keep
        # Shrink first, then convert: the colour conversion is the costly part at full size.
        # Linear rather than area shrinking: several times cheaper, and the blur below
        # takes out the aliasing it leaves.
        small = cv2.resize(image, (small_w, small_h), interpolation=cv2.INTER_LINEAR)
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        return np.asarray(cv2.GaussianBlur(grey, (3, 3), 0), dtype=np.uint8)

    def detect(self, image: npt.NDArray[np.uint8]) -> MotionResult:
        """Find what moved in `image` (BGR) since the background; regions in its pixels."""
        small = self._small(image)
        keep = self._keep
        assert keep is not None
        empty = np.zeros(small.shape, dtype=bool)
        if self._background is None or self._previous is None:
            self._background = small.astype(np.float32)
            self._previous = small
            return MotionResult(regions=(), changed_fraction=0.0, frame_change=empty)
        threshold = self.settings.threshold
        frame_change = (cv2.absdiff(small, self._previous) > threshold) & keep
        self._previous = small
        background = cv2.convertScaleAbs(self._background)
        changed = (cv2.absdiff(small, background) > threshold) & keep
        kept_pixels = int(keep.sum()) or 1
        changed_fraction = float(changed.sum()) / kept_pixels
        if changed_fraction > self.settings.reset_fraction:
            self._background = small.astype(np.float32)
            return MotionResult(regions=(), changed_fraction=0.0, frame_change=empty)
        cv2.accumulateWeighted(small, self._background, self.settings.background_rate)
        if not changed.any():
            return MotionResult(regions=(), changed_fraction=0.0, frame_change=frame_change)
        binary = cv2.dilate(changed.astype(np.uint8) * 255, self._kernel, iterations=2)
        contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        scale_x = image.shape[1] / small.shape[1]
        scale_y = image.shape[0] / small.shape[0]
        regions: list[Region] = []
        for contour in contours:
            if cv2.contourArea(contour) < self.settings.min_area:
                continue
            left, top, width, height = cv2.boundingRect(contour)
            regions.append(
                (
                    int(left * scale_x),
                    int(top * scale_y),
                    max(1, int(np.ceil(width * scale_x))),
                    max(1, int(np.ceil(height * scale_y))),
                )
            )
        return MotionResult(
            regions=tuple(regions), changed_fraction=changed_fraction, frame_change=frame_change
        )

    def change_in(self, *, result: MotionResult, polygon: Sequence[Point]) -> float:
        """Fraction of a normalised polygon's pixels that changed since the previous frame."""
        change = result.frame_change
        key = tuple(polygon)
        inside = self._zone_masks.get(key)
        if inside is None or inside.shape != change.shape:
            inside = polygon_mask(polygon=polygon, width=change.shape[1], height=change.shape[0])
            if self._keep is not None and self._keep.shape == inside.shape:
                inside &= self._keep
            self._zone_masks[key] = inside
        area = int(inside.sum())
        if area == 0:
            return 0.0
        return float((change & inside).sum()) / area
