"""One camera's analysis: motion gating, person detection, tracking, zones and rules.

The sentinel node and `jewelguard sentinel analyse` both build it with `analyzer_build` and
feed it frames (at the detect rate and size) and blocks of audio, in time order.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import replace

import cv2
import numpy as np
import numpy.typing as npt

from jewelguard.sentinel.pipeline.audio import audio_detector_build
from jewelguard.sentinel.pipeline.detectors import Detector
from jewelguard.sentinel.pipeline.motion import MotionDetector, MotionSettings, Region
from jewelguard.sentinel.pipeline.rules import Rules, RuleSettings, Scene
from jewelguard.sentinel.pipeline.tracking import PersonTracker, TrackingSettings
from jewelguard.sentinel.pipeline.types import (
    Box,
    CameraSetup,
    FrameResult,
    RuleHit,
    SoundEvent,
    Track,
)
from jewelguard.sentinel.pipeline.video import settings_check
from jewelguard.sentinel.pipeline.zones import ZonePresence, zone_check

logger = logging.getLogger(__name__)

# Sounds are kept this long for the rules that combine them with what the camera sees.
SOUND_MEMORY_S = 10.0
# A person seen this recently is looked for again around their last box, moving or not (a
# customer standing still at a showcase makes no motion but is still there).
TRACK_MEMORY_S = 1.0
SNAPSHOT_QUALITY = 85

SoundDetect = Callable[..., Sequence[SoundEvent]]


def setup_check(*, setup: CameraSetup) -> None:
    """Raise ValueError naming the setting when a camera setup cannot be analysed."""
    names = [zone.name for zone in setup.zones]
    if len(set(names)) != len(names):
        raise ValueError("zones: two zones have the same name")
    for zone in setup.zones:
        zone_check(zone=zone)
    for index, mask in enumerate(setup.masks, start=1):
        if not 3 <= len(mask) <= 100:
            raise ValueError(f"mask {index}: a polygon needs 3 to 100 points")
        if any(not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0) for x, y in mask):
            raise ValueError(f"mask {index}: points are fractions of the frame, between 0 and 1")
    try:
        settings_check(
            detect_fps=setup.detect_fps, width=setup.detect_width, height=setup.detect_height
        )
    except Exception as error:
        raise ValueError(str(error)) from None


def _sound_detector_load() -> SoundDetect:
    """The two-stage glass-break detector, one per camera or microphone stream."""
    return audio_detector_build().detect


def snapshot_jpeg(
    *, image: npt.NDArray[np.uint8], tracks: Sequence[Track], marked: Sequence[int] = ()
) -> bytes:
    """The frame as JPEG with each person boxed and numbered; `marked` ids in red."""
    canvas = image.copy()
    for track in tracks:
        box = track.box
        colour = (0, 0, 255) if track.track_id in marked else (0, 200, 255)
        top_left = (round(box.left), round(box.top))
        bottom_right = (round(box.left + box.width), round(box.top + box.height))
        cv2.rectangle(canvas, top_left, bottom_right, colour, 2)
        cv2.putText(
            canvas,
            str(track.track_id),
            (top_left[0], max(12, top_left[1] - 4)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5,
            colour,
            1,
            cv2.LINE_AA,
        )
    ok, encoded = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, SNAPSHOT_QUALITY])
    return encoded.tobytes() if ok else b""


class PipelineAnalyzer:
    """The Analyzer (see types.py) of one camera."""

    def __init__(
        self,
        *,
        setup: CameraSetup,
        detector: Detector,
        rule_settings: RuleSettings | None = None,
        motion_settings: MotionSettings | None = None,
        tracking_settings: TrackingSettings | None = None,
        sound_detect: SoundDetect | None = None,
    ) -> None:
        self.setup = setup
        self.detector = detector
        self.motion = MotionDetector(masks=setup.masks, settings=motion_settings)
        self.tracker = PersonTracker(settings=tracking_settings)
        self.presence = ZonePresence(zones=setup.zones)
        self.rules = Rules(settings=rule_settings)
        self.sound_detect = sound_detect
        self._sounds: deque[SoundEvent] = deque()
        self._recent: dict[int, tuple[float, Box]] = {}
        self._last_at_s: float | None = None

    def _time_check(self, at_s: float) -> None:
        if not np.isfinite(at_s) or at_s < 0:
            raise ValueError("at_s: must be a time in seconds from the stream's start")

    def _sounds_recent(self, at_s: float) -> tuple[SoundEvent, ...]:
        while self._sounds and self._sounds[0].end_s < at_s - SOUND_MEMORY_S:
            self._sounds.popleft()
        return tuple(self._sounds)

    def frame(self, *, image: npt.NDArray[np.uint8], at_s: float, is_open: bool) -> FrameResult:
        """Analyse one BGR frame; boxes and tracks are in this frame's pixels."""
        if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise ValueError("image: must be a height x width x 3 BGR array of uint8")
        if image.shape[0] < 16 or image.shape[1] < 16:
            raise ValueError("image: must be at least 16 x 16 pixels")
        self._time_check(at_s)
        height, width = image.shape[:2]
        motion = self.motion.detect(image)
        regions: list[Region] = list(motion.regions)
        for track_id, (seen_at, box) in list(self._recent.items()):
            if at_s - seen_at > TRACK_MEMORY_S:
                del self._recent[track_id]
                continue
            regions.append((int(box.left), int(box.top), int(box.width) + 1, int(box.height) + 1))
        boxes = self.detector.detect(image, regions) if regions else []
        tracks = self.tracker.update(boxes=boxes, at_s=at_s, width=width, height=height)
        for track in tracks:
            self._recent[track.track_id] = (at_s, track.box)
        placed, entries, exits = self.presence.update(tracks=tracks, at_s=at_s)
        zone_motion = {
            zone.name: self.motion.change_in(result=motion, polygon=zone.polygon)
            for zone in self.setup.zones
            if zone.kind == "showcase" and motion.moving
        }
        scene = Scene(
            at_s=at_s,
            is_open=is_open,
            zones=self.setup.zones,
            tracks=tuple(placed),
            entries=tuple(entries),
            exits=tuple(exits),
            zone_motion=zone_motion,
            sounds=self._sounds_recent(at_s),
            presence=self.presence,
        )
        hits = [
            self._evidence(hit, image=image, tracks=placed) for hit in self.rules.evaluate(scene)
        ]
        self._last_at_s = at_s
        return FrameResult(
            moving=motion.moving, tracks=tuple(placed), hits=tuple(hits), boxes=tuple(boxes)
        )

    def _evidence(
        self, hit: RuleHit, *, image: npt.NDArray[np.uint8], tracks: Sequence[Track]
    ) -> RuleHit:
        involved = tuple(t for t in tracks if t.track_id in hit.track_ids) or tuple(tracks)
        return replace(
            hit,
            snapshot_jpeg=snapshot_jpeg(image=image, tracks=tracks, marked=hit.track_ids),
            tracks=involved,
        )

    def audio(
        self, *, samples: npt.NDArray[np.float32], sample_rate: int, at_s: float, is_open: bool
    ) -> tuple[tuple[SoundEvent, ...], tuple[RuleHit, ...]]:
        """Analyse a block of mono samples: glass breaks, and the rules they fire."""
        if samples.ndim != 1:
            raise ValueError("samples: must be one channel (a 1-D array)")
        if not 8000 <= sample_rate <= 192000:
            raise ValueError("sample_rate: must be between 8000 and 192000 Hz")
        self._time_check(at_s)
        if self.sound_detect is None:
            return (), ()
        events = tuple(self.sound_detect(samples=samples, sample_rate=sample_rate, at_s=at_s))
        self._sounds.extend(events)
        if not events:
            return (), ()
        scene = Scene(
            at_s=max(e.end_s for e in events),
            is_open=is_open,
            zones=self.setup.zones,
            sounds=self._sounds_recent(at_s),
            presence=self.presence,
            video=False,
        )
        return events, tuple(self.rules.evaluate(scene))
