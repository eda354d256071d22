"""Scenario rules on scenes built by hand: thresholds, one hit per incident, glass breaking,
loitering and the low-confidence distraction pattern; zones and bad camera setups."""

from __future__ import annotations

import numpy as np
import pytest

from jewelguard.sentinel.pipeline import analyzer_build
from jewelguard.sentinel.pipeline.rules import (
    AfterHoursIntrusionRule,
    DistractionRule,
    LoiteringRule,
    LoiteringSettings,
    Scene,
    SmashAndGrabRule,
)
from jewelguard.sentinel.pipeline.types import Box, CameraSetup, SoundEvent, Track, Zone
from jewelguard.sentinel.pipeline.zones import ZonePresence, point_in_polygon

pytestmark = pytest.mark.database_free

CASE = Zone(name="case", kind="showcase", polygon=((0.5, 0.0), (1.0, 0.0), (1.0, 1.0), (0.5, 1.0)))
DOOR = Zone(name="door", kind="door", polygon=((0.0, 0.0), (0.2, 0.0), (0.2, 1.0), (0.0, 1.0)))
STREET = Zone(
    name="street", kind="outside", polygon=((0.0, 0.0), (0.4, 0.0), (0.4, 0.3), (0.0, 0.3))
)
ZONES = (CASE, DOOR, STREET)


def _track(track_id: int, x: float, y: float = 0.6, *, speed: float = 0.5) -> Track:
    box = Box(left=x * 640 - 15, top=y * 480 - 70, width=30, height=70, confidence=0.9)
    return Track(
        track_id=track_id, box=box, speed=speed * 70 / 640, path=((x, y),), speed_heights=speed
    )


class _World:
    """Feeds tracks through zone presence into a rule, as the analyser does."""

    def __init__(self, rule, zones=ZONES):
        self.rule, self.zones = rule, zones
        self.presence = ZonePresence(zones=zones)

    def step(self, at_s, tracks, *, is_open=True, motion=0.0, sounds=()):
        placed, entries, exits = self.presence.update(tracks=tracks, at_s=at_s)
        scene = Scene(
            at_s=at_s,
            is_open=is_open,
            zones=self.zones,
            tracks=tuple(placed),
            entries=tuple(entries),
            exits=tuple(exits),
            zone_motion={"case": motion},
            sounds=tuple(sounds),
            presence=self.presence,
        )
        return self.rule.evaluate(scene)


def test_smash_and_grab_needs_two_fast_people_and_fires_once_per_incident():
    world = _World(SmashAndGrabRule())
    hits = []
    # one person runs in alone with violence: not a crew
    for n in range(5):
        hits += world.step(n * 0.2, [_track(1, 0.6, speed=3.0)], motion=0.5)
    assert hits == []
    # a second runs in: one hit, and no more while they are still smashing
    for n in range(5, 40):
        hits += world.step(
            n * 0.2, [_track(1, 0.6, speed=3.0), _track(2, 0.7, speed=3.0)], motion=0.5
        )
    assert [(h.rule, h.people, h.zone) for h in hits] == [("smash_and_grab", 2, "case")]


def test_smash_and_grab_by_glass_breaking_alone_and_not_while_closed():
    glass = SoundEvent(start_s=0.5, end_s=0.9, label="glass_break", confidence=0.8)
    fast = [_track(1, 0.6, speed=3.0), _track(2, 0.8, speed=3.0)]
    world = _World(SmashAndGrabRule())
    hits = [h for n in range(6) for h in world.step(n * 0.2, fast, sounds=[glass])]
    assert len(hits) == 1 and "glass breaking" in hits[0].summary
    closed = _World(SmashAndGrabRule())
    assert [
        h for n in range(6) for h in closed.step(n * 0.2, fast, is_open=False, sounds=[glass])
    ] == []


def test_intrusion_ignores_the_street_and_starts_again_after_a_quiet_spell():
    world = _World(AfterHoursIntrusionRule())
    # someone walking past outside the window while closed: nothing
    assert world.step(0.0, [_track(1, 0.2, y=0.2)], is_open=False) == []
    # someone inside: one hit, however long they stay
    hits = [h for n in range(1, 50) for h in world.step(n * 0.2, [_track(2, 0.6)], is_open=False)]
    assert len(hits) == 1
    # 31 s of empty scene, then someone again: a new intrusion
    assert world.step(40.0, [], is_open=False) == []
    assert len(world.step(41.0, [_track(3, 0.6)], is_open=False)) == 1


def test_glass_breaking_while_closed_is_an_intrusion_at_the_door():
    world = _World(AfterHoursIntrusionRule())
    glass = SoundEvent(start_s=3.0, end_s=3.6, label="glass_break", confidence=0.9)
    [hit] = world.step(3.6, [], is_open=False, sounds=[glass])
    assert (hit.rule, hit.zone, hit.people) == ("after_hours_intrusion", "door", 0)
    # the same break heard again a moment later is the same incident
    assert world.step(4.0, [], is_open=False, sounds=[glass]) == []


def test_loitering_fires_once_past_the_dwell_time():
    world = _World(LoiteringRule(settings=LoiteringSettings(dwell_s=10.0)))
    hits = [h for n in range(0, 100) for h in world.step(n * 0.2, [_track(1, 0.7, speed=0.1)])]
    assert len(hits) == 1
    assert hits[0].at_s == pytest.approx(10.0)
    assert hits[0].rule == "loitering" and hits[0].track_ids == (1,)


def test_distraction_is_a_crowd_at_the_case_and_one_leaving_fast_low_confidence():
    world = _World(DistractionRule())
    crowd = [_track(1, 0.6, speed=0.2), _track(2, 0.7, speed=0.2), _track(3, 0.8, speed=0.2)]
    hits = [h for n in range(20) for h in world.step(n * 0.2, crowd)]
    assert hits == []
    # person 3 leaves fast towards the door while 1 and 2 stay
    stay = crowd[:2]
    hits += world.step(4.0, [*stay, _track(3, 0.3, speed=3.0)])
    assert [(h.rule, h.people) for h in hits] == [("distraction", 3)]
    assert hits[0].confidence < 0.5


def test_a_crowd_leaving_slowly_is_no_distraction():
    world = _World(DistractionRule())
    crowd = [_track(1, 0.6, speed=0.2), _track(2, 0.7, speed=0.2), _track(3, 0.8, speed=0.2)]
    hits = [h for n in range(20) for h in world.step(n * 0.2, crowd)]
    hits += world.step(4.0, [*crowd[:2], _track(3, 0.3, speed=0.8)])
    assert hits == []


def test_point_in_polygon():
    square = ((0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8))
    assert point_in_polygon(point=(0.5, 0.5), polygon=square)
    assert not point_in_polygon(point=(0.9, 0.5), polygon=square)
    assert not point_in_polygon(point=(0.5, 0.5), polygon=((0, 0), (1, 1)))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            CameraSetup(zones=(Zone(name="a", kind="showcase", polygon=((0, 0), (1, 0))),)),
            "zone 'a'",
        ),
        (
            CameraSetup(zones=(Zone(name="a", kind="door", polygon=((0, 0), (2, 0), (0, 1))),)),
            "zone 'a': points are fractions",
        ),
        (CameraSetup(zones=(CASE, CASE)), "zones: two zones have the same name"),
        (
            CameraSetup(zones=(Zone(name="b", kind="door", polygon=((0.1, 0.1),) * 1000),)),
            "zone 'b'",
        ),
        (CameraSetup(masks=(((0, 0), (1, 0), (5, 5)),)), "mask 1"),
        (CameraSetup(detect_fps=500), "detect_fps"),
        (CameraSetup(detect_width=8), "detect_width"),
    ],
)
def test_bad_camera_setups_are_refused_naming_the_setting(setup, message):
    with pytest.raises(ValueError, match=message):
        analyzer_build(setup)


def test_bad_frames_and_audio_are_refused_naming_the_field():
    analyzer = analyzer_build(CameraSetup(zones=(CASE,)))
    with pytest.raises(ValueError, match="image"):
        analyzer.frame(image=np.zeros((480, 640), dtype=np.uint8), at_s=0.0, is_open=True)
    with pytest.raises(ValueError, match="at_s"):
        analyzer.frame(image=np.zeros((48, 64, 3), dtype=np.uint8), at_s=float("nan"), is_open=True)
    with pytest.raises(ValueError, match="samples"):
        analyzer.audio(
            samples=np.zeros((2, 100), dtype=np.float32), sample_rate=16000, at_s=0, is_open=True
        )
    with pytest.raises(ValueError, match="sample_rate"):
        analyzer.audio(
            samples=np.zeros(100, dtype=np.float32), sample_rate=10, at_s=0, is_open=True
        )


def test_masked_motion_wakes_no_detector():
    # given a camera whose left half is masked (a window on the street)
    setup = CameraSetup(masks=(((0.0, 0.0), (0.5, 0.0), (0.5, 1.0), (0.0, 1.0)),))
    analyzer = analyzer_build(setup)
    still = np.full((480, 640, 3), 90, dtype=np.uint8)
    analyzer.frame(image=still, at_s=0.0, is_open=True)
    # when a large bright shape appears, but only behind the mask
    changed = still.copy()
    changed[100:300, 50:250] = 250
    result = analyzer.frame(image=changed, at_s=0.2, is_open=True)
    # then no motion is reported
    assert not result.moving
    # and the same shape outside the mask is motion
    changed[100:300, 400:600] = 250
    assert analyzer.frame(image=changed, at_s=0.4, is_open=True).moving
