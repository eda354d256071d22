"""A small real analyzer for the node's tests: after-hours motion by frame differencing.

It is not the detection pipeline: it fires ``after_hours_intrusion`` when enough of the frame
changes between two analysed frames while the store is closed, and counts moving blobs as
people, which is enough to drive live events end to end with real video.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from jewelguard.sentinel.pipeline.types import CameraSetup, FrameResult, RuleHit, SoundEvent

MOVING_FRACTION = 0.002


class MotionAnalyzer:
    def __init__(self, setup: CameraSetup) -> None:
        self.setup = setup
        self.previous: npt.NDArray[np.uint8] | None = None

    def frame(self, *, image: npt.NDArray[np.uint8], at_s: float, is_open: bool) -> FrameResult:
        gray = cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), (5, 5), 0)
        previous, self.previous = self.previous, gray
        if previous is None or previous.shape != gray.shape:
            return FrameResult(moving=False)
        _ret, moved = cv2.threshold(cv2.absdiff(previous, gray), 25, 255, cv2.THRESH_BINARY)
        fraction = float(np.count_nonzero(moved)) / moved.size
        if fraction < MOVING_FRACTION:
            return FrameResult(moving=False)
        if is_open:
            return FrameResult(moving=True)
        count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(
            cv2.dilate(moved, np.ones((9, 9), np.uint8))
        )
        blobs = sum(1 for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] > moved.size * 0.001)
        hit = RuleHit(
            scenario="three_minute_burglary",
            rule="after_hours_intrusion",
            confidence=min(1.0, 0.5 + fraction * 10),
            at_s=at_s,
            people=max(1, min(blobs, 9)),
            zone=None,
            summary="Movement while the store is closed",
        )
        return FrameResult(moving=True, hits=(hit,))

    def audio(
        self, *, samples: npt.NDArray[np.float32], sample_rate: int, at_s: float, is_open: bool
    ) -> tuple[tuple[SoundEvent, ...], tuple[RuleHit, ...]]:
        return (), ()


def motion_analyzer_build(setup: CameraSetup) -> MotionAnalyzer:
    return MotionAnalyzer(setup)
