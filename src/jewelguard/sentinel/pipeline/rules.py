"""Scenario rules: one per crime in progress, each with its thresholds in a frozen dataclass.

A rule fires once per incident in progress, not once per frame or per person: after a hit
it stays quiet until the scene has been calm for its `quiet_s`, and only then can a new
incident start. Speeds are in the person's own body heights per second, so that they
mean the same on a camera that sees a whole shop floor and on one that sees one showcase:
people walk at about 1 (vtest.avi's walkers: median 0.5, 99th percentile 1.5) and run at
2.5 to 4.

- smash_and_grab (scenario smash_and_grab): open; `min_people` or more people come into a
  showcase zone fast within `window_s`, with violent motion there and/or glass breaking.
- after_hours_intrusion (three_minute_burglary): closed; anyone in view (people only in an
  "outside" zone aside), or glass breaking.
- loitering (armed_robbery, as casing): open; someone stays at a showcase beyond `dwell_s`.
- distraction (distraction_theft): open; `min_people` or more at a showcase together and one
  leaves fast; low confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from jewelguard.sentinel.pipeline.types import (
    RuleHit,
    SoundEvent,
    TimelineEntry,
    Track,
    Zone,
)
from jewelguard.sentinel.pipeline.zones import ZoneEntry, ZoneExit, ZonePresence

# Sound labels taken as glass breaking (the audio detector's label and YAMNet's names).
GLASS_LABELS = ("glass_break", "glass", "shatter", "breaking")


@dataclass(frozen=True)
class Scene:
    """What the rules see of one analysed frame (or block of audio)."""

    at_s: float
    is_open: bool
    zones: tuple[Zone, ...]
    tracks: tuple[Track, ...] = ()  # the people seen now, with their zones
    entries: tuple[ZoneEntry, ...] = ()
    exits: tuple[ZoneExit, ...] = ()
    # Frame-to-frame changed fraction of each zone's pixels, by zone name.
    zone_motion: Mapping[str, float] = field(default_factory=dict)
    # Sounds heard recently (the last few seconds), oldest first.
    sounds: tuple[SoundEvent, ...] = ()
    presence: ZonePresence | None = None
    video: bool = True  # False when the scene comes from audio alone


def _glass(sounds: Sequence[SoundEvent], *, since_s: float) -> SoundEvent | None:
    heard = [s for s in sounds if s.label.lower() in GLASS_LABELS and s.end_s >= since_s]
    return max(heard, key=lambda s: s.confidence) if heard else None


@dataclass(frozen=True)
class SmashAndGrabSettings:
    """Smash-and-grab: a crew rushes a showcase during opening hours."""

    min_people: int = 2
    # "Fast": foot speed while coming in, in body heights per second (walking is about 1,
    # running 2.5 to 4; body heights keep it independent of how wide the camera sees).
    entry_speed: float = 2.0
    # The fast entries and the violence must fall within this many seconds.
    window_s: float = 3.0
    # Violent motion: this fraction of the showcase zone's pixels changing between frames.
    violent_motion: float = 0.2
    quiet_s: float = 30.0


class SmashAndGrabRule:
    rule = "smash_and_grab"
    scenario = "smash_and_grab"

    def __init__(self, *, settings: SmashAndGrabSettings | None = None) -> None:
        self.settings = settings or SmashAndGrabSettings()
        # zone -> track id -> (came in at, first fast at, speed)
        self._fast: dict[str, dict[int, tuple[float, float, float]]] = {}
        self._came_in: dict[tuple[str, int], float] = {}
        self._violent: dict[str, tuple[float, float]] = {}  # zone -> (at_s, fraction)
        self._active_until: float | None = None

    def evaluate(self, scene: Scene) -> list[RuleHit]:
        s = self.settings
        now = scene.at_s
        showcases = [z for z in scene.zones if z.kind == "showcase"]
        for entry in scene.entries:
            self._came_in[(entry.zone, entry.track_id)] = entry.at_s
        for exit_ in scene.exits:
            self._came_in.pop((exit_.zone, exit_.track_id), None)
        busy = False
        for zone in showcases:
            fast = self._fast.setdefault(zone.name, {})
            for track in scene.tracks:
                came_in = self._came_in.get((zone.name, track.track_id))
                if came_in is None or zone.name not in track.zones:
                    continue
                if track.speed_heights >= s.entry_speed and now - came_in <= s.window_s:
                    fast.setdefault(track.track_id, (came_in, now, track.speed_heights))
            for track_id, (_, fast_at, _) in list(fast.items()):
                if now - fast_at > s.window_s:
                    del fast[track_id]
            motion = scene.zone_motion.get(zone.name, 0.0)
            if motion >= s.violent_motion:
                self._violent[zone.name] = (now, motion)
            violent = self._violent.get(zone.name)
            violent_now = violent is not None and now - violent[0] <= s.window_s
            glass = _glass(scene.sounds, since_s=now - s.window_s)
            if fast or violent_now:
                busy = True
            if not scene.is_open or len(fast) < s.min_people or not (violent_now or glass):
                continue
            if self._active_until is not None and now <= self._active_until:
                continue
            confidence = 0.6 + (0.15 if violent_now else 0.0) + (0.2 if glass else 0.0)
            confidence += 0.05 * min(2, len(fast) - s.min_people)
            timeline = [
                TimelineEntry(
                    at_s=fast_at,
                    text=(
                        f"person {track_id} came into showcase zone {zone.name!r} fast "
                        f"({speed:.1f} body heights/s)"
                    ),
                )
                for track_id, (_, fast_at, speed) in sorted(fast.items(), key=lambda i: i[1][1])
            ]
            if violent_now and violent is not None:
                timeline.append(
                    TimelineEntry(
                        at_s=violent[0],
                        text=f"violent motion at showcase zone {zone.name!r} "
                        f"({violent[1]:.0%} of it changing)",
                    )
                )
            if glass is not None:
                timeline.append(
                    TimelineEntry(at_s=glass.start_s, text=f"glass breaking heard ({glass.label})")
                )
            timeline.sort(key=lambda entry: entry.at_s)
            people = len(fast)
            timeline.append(TimelineEntry(at_s=now, text="smash-and-grab detected"))
            self._active_until = now + s.quiet_s
            return [
                RuleHit(
                    scenario=self.scenario,
                    rule=self.rule,
                    confidence=round(min(confidence, 0.95), 3),
                    at_s=now,
                    people=people,
                    zone=zone.name,
                    summary=(
                        f"{people} people came into showcase zone {zone.name!r} fast "
                        "while open, with "
                        + (
                            "violent motion and glass breaking"
                            if violent_now and glass
                            else "violent motion"
                            if violent_now
                            else "glass breaking"
                        )
                    ),
                    track_ids=tuple(sorted(fast)),
                    timeline=tuple(timeline),
                )
            ]
        if busy and self._active_until is not None and now <= self._active_until:
            # The incident goes on while the crew is still busy at the showcase.
            self._active_until = now + s.quiet_s
        return []


@dataclass(frozen=True)
class AfterHoursSettings:
    """After-hours intrusion: anyone in view, or glass breaking, while the store is closed."""

    # A person box below this confidence does not start an intrusion on its own.
    min_confidence: float = 0.5
    # The intrusion is over once nobody has been seen (and no glass heard) for this long.
    quiet_s: float = 30.0


class AfterHoursIntrusionRule:
    rule = "after_hours_intrusion"
    scenario = "three_minute_burglary"

    def __init__(self, *, settings: AfterHoursSettings | None = None) -> None:
        self.settings = settings or AfterHoursSettings()
        self._active_until: float | None = None

    def evaluate(self, scene: Scene) -> list[RuleHit]:
        s = self.settings
        now = scene.at_s
        outside = {z.name for z in scene.zones if z.kind == "outside"}
        # People standing only in an "outside" zone (the street through a window) do not count.
        inside = [
            t
            for t in scene.tracks
            if not (t.zones and set(t.zones) <= outside) and t.box.confidence >= s.min_confidence
        ]
        glass = _glass(scene.sounds, since_s=now - 1.0)
        if scene.is_open or not (inside or glass):
            return []
        active = self._active_until is not None and now <= self._active_until
        self._active_until = now + s.quiet_s
        if active:
            return []
        door = next((z.name for z in scene.zones if z.kind == "door"), None)
        timeline: list[TimelineEntry] = []
        if inside:
            zone = next((name for t in inside for name in t.zones if name not in outside), None)
            confidence = 0.6 + 0.35 * max(t.box.confidence for t in inside)
            summary = (
                f"{len(inside)} {'person' if len(inside) == 1 else 'people'} in view while closed"
            )
            timeline.append(TimelineEntry(at_s=now, text=summary))
        else:
            assert glass is not None
            zone = door
            confidence = 0.5 + 0.4 * glass.confidence
            summary = "glass breaking heard while closed" + (
                f" at door zone {door!r}" if door else ""
            )
            timeline.append(TimelineEntry(at_s=glass.start_s, text=summary))
        if inside and glass is not None:
            confidence += 0.05
            timeline.append(TimelineEntry(at_s=glass.start_s, text="glass breaking heard"))
        timeline.sort(key=lambda entry: entry.at_s)
        return [
            RuleHit(
                scenario=self.scenario,
                rule=self.rule,
                confidence=round(min(confidence, 0.95), 3),
                at_s=now,
                people=len(inside),
                zone=zone,
                summary=summary,
                track_ids=tuple(t.track_id for t in inside),
                timeline=tuple(timeline),
            )
        ]


@dataclass(frozen=True)
class LoiteringSettings:
    """Loitering: someone stays at a showcase far longer than a customer looking."""

    dwell_s: float = 120.0
    # Over once nobody has loitered at the showcase for this long.
    quiet_s: float = 30.0


class LoiteringRule:
    rule = "loitering"
    # Casing a store precedes nearly every robbery (security-guidance, casing_awareness).
    scenario = "armed_robbery"

    def __init__(self, *, settings: LoiteringSettings | None = None) -> None:
        self.settings = settings or LoiteringSettings()
        self._active_until: dict[str, float] = {}

    def evaluate(self, scene: Scene) -> list[RuleHit]:
        s = self.settings
        now = scene.at_s
        if not scene.is_open or scene.presence is None or not scene.video:
            return []
        hits: list[RuleHit] = []
        for zone in scene.zones:
            if zone.kind != "showcase":
                continue
            loiterers = [
                (track_id, scene.presence.dwell_s(track_id=track_id, zone=zone.name, at_s=now))
                for track_id in scene.presence.occupants(zone=zone.name)
            ]
            loiterers = [(i, d) for i, d in loiterers if d >= s.dwell_s]
            if not loiterers:
                continue
            until = self._active_until.get(zone.name)
            self._active_until[zone.name] = now + s.quiet_s
            if until is not None and now <= until:
                continue
            longest = max(d for _, d in loiterers)
            people = len(loiterers)
            summary = (
                f"{people} {'person' if people == 1 else 'people'} at showcase zone "
                f"{zone.name!r} for over {s.dwell_s:.0f} s"
            )
            hits.append(
                RuleHit(
                    scenario=self.scenario,
                    rule=self.rule,
                    # Longer stays are more telling, up to three times the threshold.
                    confidence=round(min(0.4 + 0.2 * min(longest / s.dwell_s, 3.0), 0.9), 3),
                    at_s=now,
                    people=people,
                    zone=zone.name,
                    summary=summary,
                    track_ids=tuple(i for i, _ in loiterers),
                    timeline=(
                        TimelineEntry(at_s=now - longest, text="came to the showcase"),
                        TimelineEntry(at_s=now, text=summary),
                    ),
                )
            )
        return hits


@dataclass(frozen=True)
class DistractionSettings:
    """Distraction: several people crowd a showcase and one of them leaves fast.

    A weak pattern (friends shopping together look the same), so its hits are marked low
    confidence for a person to judge.
    """

    min_people: int = 3
    # Each of the crowd has been at the showcase at least this long.
    min_dwell_s: float = 2.0
    # Body heights per second, as for the smash-and-grab's entry speed.
    leave_speed: float = 2.0
    confidence: float = 0.3
    quiet_s: float = 30.0


class DistractionRule:
    rule = "distraction"
    scenario = "distraction_theft"

    def __init__(self, *, settings: DistractionSettings | None = None) -> None:
        self.settings = settings or DistractionSettings()
        self._active_until: dict[str, float] = {}

    def evaluate(self, scene: Scene) -> list[RuleHit]:
        s = self.settings
        now = scene.at_s
        if not scene.is_open or scene.presence is None or not scene.video:
            return []
        showcases = {z.name for z in scene.zones if z.kind == "showcase"}
        hits: list[RuleHit] = []
        for exit_ in scene.exits:
            if exit_.zone not in showcases or exit_.speed < s.leave_speed:
                continue
            if exit_.dwell_s < s.min_dwell_s:
                continue
            stayers = [
                i
                for i in scene.presence.occupants(zone=exit_.zone)
                if scene.presence.dwell_s(track_id=i, zone=exit_.zone, at_s=now) >= s.min_dwell_s
            ]
            if len(stayers) + 1 < s.min_people:
                continue
            until = self._active_until.get(exit_.zone)
            self._active_until[exit_.zone] = now + s.quiet_s
            if until is not None and now <= until:
                continue
            people = len(stayers) + 1
            summary = (
                f"{people} people at showcase zone {exit_.zone!r}; one left fast (low confidence)"
            )
            hits.append(
                RuleHit(
                    scenario=self.scenario,
                    rule=self.rule,
                    confidence=s.confidence,
                    at_s=now,
                    people=people,
                    zone=exit_.zone,
                    summary=summary,
                    track_ids=(exit_.track_id, *stayers),
                    timeline=(
                        TimelineEntry(
                            at_s=exit_.at_s,
                            text=(
                                f"person {exit_.track_id} left showcase zone {exit_.zone!r} "
                                f"fast ({exit_.speed:.1f} body heights/s) while "
                                f"{len(stayers)} stayed"
                            ),
                        ),
                    ),
                )
            )
        return hits


@dataclass(frozen=True)
class RuleSettings:
    """Every rule's thresholds for one camera."""

    smash_and_grab: SmashAndGrabSettings = field(default_factory=SmashAndGrabSettings)
    after_hours: AfterHoursSettings = field(default_factory=AfterHoursSettings)
    loitering: LoiteringSettings = field(default_factory=LoiteringSettings)
    distraction: DistractionSettings = field(default_factory=DistractionSettings)


class Rules:
    """All scenario rules of one camera, evaluated together on each scene."""

    def __init__(self, *, settings: RuleSettings | None = None) -> None:
        settings = settings or RuleSettings()
        self.smash_and_grab = SmashAndGrabRule(settings=settings.smash_and_grab)
        self.after_hours = AfterHoursIntrusionRule(settings=settings.after_hours)
        self.loitering = LoiteringRule(settings=settings.loitering)
        self.distraction = DistractionRule(settings=settings.distraction)

    def evaluate(self, scene: Scene) -> list[RuleHit]:
        hits: list[RuleHit] = []
        for rule in (self.smash_and_grab, self.after_hours, self.loitering, self.distraction):
            hits.extend(rule.evaluate(scene))
        return hits
