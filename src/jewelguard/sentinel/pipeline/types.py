"""What flows through the detection pipeline, shared by the node, offline analysis and rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

ZoneKind = Literal["door", "showcase", "safe", "staff_only", "outside"]
ZONE_KINDS: tuple[ZoneKind, ...] = ("door", "showcase", "safe", "staff_only", "outside")

# A point on the frame as fractions of its width and height (0..1), so a zone drawn on a
# snapshot holds whatever size the stream is decoded at.
Point = tuple[float, float]


@dataclass(frozen=True)
class Zone:
    """A named area of the camera's view, drawn as a polygon on a snapshot."""

    name: str
    kind: ZoneKind
    polygon: tuple[Point, ...]


@dataclass(frozen=True)
class CameraSetup:
    """How one camera is analysed: its zones, what to ignore, and the detect rate and size."""

    zones: tuple[Zone, ...] = ()
    # Areas to ignore (a window on the street, a screen): motion there counts for nothing.
    masks: tuple[tuple[Point, ...], ...] = ()
    detect_fps: float = 5.0
    detect_width: int = 640
    detect_height: int = 480


@dataclass(frozen=True)
class Box:
    """A detected person, in the pixels of the frame it was found in."""

    left: float
    top: float
    width: float
    height: float
    confidence: float


@dataclass(frozen=True)
class Track:
    """One person followed over frames: where they are now and how fast they move."""

    track_id: int
    box: Box
    # Speed of the box's foot point in frame widths per second (size-independent).
    speed: float
    zones: tuple[str, ...] = ()
    # Recent foot points (bottom centre of the box) as fractions of the frame, oldest first:
    # where the person came from and which way they went.
    path: tuple[Point, ...] = ()
    # The same speed in the person's own body heights per second: unlike frame widths, it
    # does not depend on how wide the camera sees (walking is about 1, running 2.5 to 4).
    speed_heights: float = 0.0


@dataclass(frozen=True)
class SoundEvent:
    """A sound found in the audio, in seconds from the stream's start."""

    start_s: float
    end_s: float
    label: str
    confidence: float


@dataclass(frozen=True)
class TimelineEntry:
    """One step of how a rule came to fire, in seconds from the stream's start."""

    at_s: float
    text: str  # one plain sentence: "person 4 entered showcase 'Front case' at 0.61 frame widths/s"


@dataclass(frozen=True)
class RuleHit:
    """A scenario rule fired: what, how sure, and the evidence to show a person."""

    scenario: str  # a playbook scenario id: smash_and_grab, three_minute_burglary, ...
    rule: str  # the rule's own id: smash_and_grab, after_hours_intrusion, loitering, ...
    confidence: float  # 0..1
    at_s: float  # seconds from the stream's start
    people: int
    zone: str | None
    summary: str  # one plain sentence: "2 people entered the showcase zone fast while open"
    track_ids: tuple[int, ...] = ()
    # Evidence: the frame the rule fired on with the people boxed (JPEG), the people's tracks,
    # and the steps that led to the hit.
    snapshot_jpeg: bytes = b""
    tracks: tuple[Track, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True)
class FrameResult:
    """What one analysed frame gave: whether anything moved, the tracks and any rule hits."""

    moving: bool
    tracks: tuple[Track, ...] = ()
    hits: tuple[RuleHit, ...] = ()
    boxes: tuple[Box, ...] = field(default=())


class Analyzer(Protocol):
    """One camera's analysis state: fed frames and audio in time order."""

    def frame(self, *, image: npt.NDArray[np.uint8], at_s: float, is_open: bool) -> FrameResult:
        """Analyse one BGR frame (H x W x 3) taken at `at_s`; `is_open` says the store is open."""
        ...

    def audio(
        self, *, samples: npt.NDArray[np.float32], sample_rate: int, at_s: float, is_open: bool
    ) -> tuple[tuple[SoundEvent, ...], tuple[RuleHit, ...]]:
        """Analyse a block of mono samples starting at `at_s`: sound events and rule hits."""
        ...
