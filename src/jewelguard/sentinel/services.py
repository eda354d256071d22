"""Every write of the sentinel room: cameras, their status, and live events.

Live events: a rule hit opens one (``live_event_open_or_update``), persisted and published in
one transaction, so a page never hears of an event the database lacks. Further hits of the
same scenario on the same camera join the event in progress: its people count, zone and
confidence are updated and a timeline entry is added only when one of them changes, so a
person standing in front of a camera makes one event, not a flood. An event ends after a
quiet period without hits (``live_events_end_quiet``), or when a person ends it.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jewelguard.accounts.models import Store, User
from jewelguard.core.audit import audit_record
from jewelguard.core.errors import ServiceError
from jewelguard.core.events import publish_on_commit
from jewelguard.core.text import TextRefusedError, single_line_clean
from jewelguard.sentinel.credentials import password_encrypt
from jewelguard.sentinel.models import (
    Arming,
    Camera,
    CameraState,
    CameraStatus,
    EntryKind,
    LiveEvent,
    LiveEventEntry,
    LiveEventSnapshot,
    LiveEventState,
    SourceKind,
)
from jewelguard.sentinel.pipeline.types import ZONE_KINDS, RuleHit
from jewelguard.sentinel.schedule import armed_windows_parse

ZONES_MAX = 32
MASKS_MAX = 16
POLYGON_POINTS_MAX = 64
SNAPSHOTS_PER_EVENT_MAX = 20
TIMELINE_STEPS_MAX = 10
SNAPSHOT_BYTES_MAX = 2 * 1024 * 1024
QUIET_PERIOD = timedelta(seconds=60)
URL_MAX = 500
_SCHEMES: dict[str, tuple[str, ...]] = {
    SourceKind.RTSP: ("rtsp", "rtsps"),
    SourceKind.HTTP: ("http", "https"),
    SourceKind.FILE: ("file", ""),
}


class CameraError(ServiceError):
    """A camera's settings were refused; ``field`` names the one to blame."""


class LiveEventError(ServiceError):
    """A live event cannot make this change (an ended event cannot be confirmed)."""


def topic_for_store(*, store_id: int) -> str:
    """The event-bus topic of a store's live events and camera status."""
    return f"sentinel:{store_id}"


def _text(field: str, value: str, *, max_length: int, required: bool = True) -> str:
    try:
        cleaned = single_line_clean(value=value)
    except TextRefusedError as error:
        raise CameraError(field, str(error)) from None
    if required and not cleaned:
        raise CameraError(field, _("This field is required."))
    if len(cleaned) > max_length:
        raise CameraError(field, _("At most %(count)d characters, please.") % {"count": max_length})
    return cleaned


def _polygon(field: str, raw: Any) -> list[list[float]]:
    if not isinstance(raw, list | tuple) or not 3 <= len(raw) <= POLYGON_POINTS_MAX:
        raise CameraError(
            field,
            _("A shape has 3 to %(count)d points.") % {"count": POLYGON_POINTS_MAX},
        )
    points: list[list[float]] = []
    for point in raw:
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in point
            )
            or not all(0.0 <= float(v) <= 1.0 for v in point)
        ):
            raise CameraError(
                field, _("Each point is two numbers between 0 and 1 (across, down the picture).")
            )
        points.append([round(float(point[0]), 5), round(float(point[1]), 5)])
    return points


def zones_check(*, zones: Any) -> list[dict[str, Any]]:
    """Zones as drawn in the browser, checked: names unique, kinds known, points in the frame."""
    if not isinstance(zones, list) or len(zones) > ZONES_MAX:
        raise CameraError("zones", _("At most %(count)d zones.") % {"count": ZONES_MAX})
    checked: list[dict[str, Any]] = []
    names: set[str] = set()
    for zone in zones:
        if not isinstance(zone, dict):
            raise CameraError("zones", _("Each zone has a name, a kind and a shape."))
        name = _text("zones", str(zone.get("name", "")), max_length=40)
        if name.casefold() in names:
            raise CameraError("zones", _("Two zones are named %(name)s.") % {"name": name})
        names.add(name.casefold())
        kind = zone.get("kind")
        if kind not in ZONE_KINDS:
            raise CameraError(
                "zones", _("A zone is a door, showcase, safe, staff-only area or outside.")
            )
        checked.append(
            {"name": name, "kind": kind, "polygon": _polygon("zones", zone.get("polygon"))}
        )
    return checked


def masks_check(*, masks: Any) -> list[list[list[float]]]:
    if not isinstance(masks, list) or len(masks) > MASKS_MAX:
        raise CameraError("masks", _("At most %(count)d masks.") % {"count": MASKS_MAX})
    return [_polygon("masks", mask) for mask in masks]


@dataclass(frozen=True)
class CameraSource:
    url: str
    username: str
    password: str | None


def _source_checked(
    *, source_kind: str, url: str, username: str, password: str | None
) -> CameraSource:
    if source_kind not in SourceKind.values:
        raise CameraError("source_kind", _("Choose RTSP, HTTP or a video file."))
    if not isinstance(url, str) or not url.strip():
        raise CameraError("url", _("This field is required."))
    url = url.strip()
    if len(url) > URL_MAX or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise CameraError(
            "url",
            _("Give the address on one line, %(count)d characters at most.") % {"count": URL_MAX},
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise CameraError("url", _("This is not an address a camera can be read from.")) from None
    if parts.scheme.lower() not in _SCHEMES[source_kind]:
        raise CameraError(
            "url",
            _("A %(kind)s address starts with %(schemes)s.")
            % {
                "kind": SourceKind(source_kind).label,
                "schemes": " or ".join(f"{s}://" if s else "/" for s in _SCHEMES[source_kind]),
            },
        )
    if source_kind == SourceKind.FILE:
        path = parts.path if parts.scheme else url
        if not path.startswith("/"):
            raise CameraError("url", _("Give the video file's full path, starting with /."))
        return CameraSource(url=url, username="", password=None)
    if not parts.hostname:
        raise CameraError("url", _("The address names no host."))
    # Credentials typed into the address are taken out of it and kept apart, encrypted.
    if parts.username is not None or parts.password is not None:
        if parts.username:
            username = username or unquote(parts.username)
        if parts.password is not None and not password:
            password = unquote(parts.password)
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = host if port is None else f"{host}:{port}"
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    username = _text("username", username, max_length=120, required=False)
    if password is not None and (len(password) > 200 or any(ord(ch) < 32 for ch in password)):
        raise CameraError("password", _("The password is one line of 200 characters at most."))
    return CameraSource(url=url, username=username, password=password)


def _detect_fps_checked(value: Any) -> float:
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not 0.2 <= value <= 30
    ):
        raise CameraError("detect_fps", _("Between 0.2 and 30 detections per second."))
    return float(value)


def _arming_checked(arming: str, armed_windows: Any) -> tuple[str, list[list[Any]]]:
    if arming not in Arming.values:
        raise CameraError("arming", _("Choose by the store's hours, or armed."))
    try:
        windows = armed_windows_parse(armed_windows)
    except ValueError:
        raise CameraError(
            "armed_windows", _("Each armed window is a weekday and two times, such as 22:00.")
        ) from None
    return arming, [
        [day, start.strftime("%H:%M"), end.strftime("%H:%M")] for day, start, end in windows
    ]


@transaction.atomic
def camera_create(
    *,
    store: Store,
    actor: User | None,
    name: str,
    source_kind: str,
    url: str,
    username: str = "",
    password: str = "",
    zones: Any = (),
    masks: Any = (),
    arming: str = Arming.SCHEDULE,
    armed_windows: Any = (),
    detect_fps: float = 5.0,
    enabled: bool = True,
) -> Camera:
    """Add a camera to ``store``; CameraError names the field for anything refused."""
    clean_name = _text("name", name, max_length=80)
    source = _source_checked(source_kind=source_kind, url=url, username=username, password=password)
    arming, windows = _arming_checked(arming, list(armed_windows))
    if Camera.objects.filter(store=store, name__iexact=clean_name).exists():
        raise CameraError("name", _("This store already has a camera of that name."))
    camera = Camera.objects.create(
        store=store,
        name=clean_name,
        source_kind=source_kind,
        url=source.url,
        username=source.username,
        password_encrypted=password_encrypt(password=source.password or ""),
        zones=zones_check(zones=list(zones)),
        masks=masks_check(masks=list(masks)),
        arming=arming,
        armed_windows=windows,
        detect_fps=_detect_fps_checked(detect_fps),
        enabled=enabled,
    )
    CameraStatus.objects.create(camera=camera)
    audit_record(actor=actor, action="camera.created", target=camera)
    return camera


@transaction.atomic
def camera_update(
    *,
    camera: Camera,
    actor: User | None,
    name: str,
    source_kind: str,
    url: str,
    username: str,
    password: str | None,
    arming: str,
    armed_windows: Any,
    detect_fps: float,
    enabled: bool,
) -> Camera:
    """Change a camera's settings; ``password=None`` keeps the stored one, '' removes it."""
    clean_name = _text("name", name, max_length=80)
    source = _source_checked(source_kind=source_kind, url=url, username=username, password=password)
    arming, windows = _arming_checked(arming, list(armed_windows))
    if (
        Camera.objects.filter(store_id=camera.store_id, name__iexact=clean_name)
        .exclude(pk=camera.pk)
        .exists()
    ):
        raise CameraError("name", _("This store already has a camera of that name."))
    camera.name = clean_name
    camera.source_kind = source_kind
    camera.url = source.url
    camera.username = source.username
    if source.password is not None:
        camera.password_encrypted = password_encrypt(password=source.password)
    camera.arming = arming
    camera.armed_windows = windows
    camera.detect_fps = _detect_fps_checked(detect_fps)
    camera.enabled = enabled
    camera.updated_at = timezone.now()
    camera.save()
    audit_record(actor=actor, action="camera.changed", target=camera)
    return camera


@transaction.atomic
def camera_zones_set(*, camera: Camera, actor: User | None, zones: Any, masks: Any) -> Camera:
    """Replace a camera's zones and masks (as drawn on a snapshot), all or nothing."""
    camera.zones = zones_check(zones=zones)
    camera.masks = masks_check(masks=masks)
    camera.updated_at = timezone.now()
    camera.save(update_fields=["zones", "masks", "updated_at"])
    audit_record(actor=actor, action="camera.zones_changed", target=camera)
    return camera


@transaction.atomic
def camera_delete(*, camera: Camera, actor: User | None) -> None:
    audit_record(actor=actor, action="camera.deleted", target=camera)
    camera.delete()


def _status_payload(status: CameraStatus) -> dict[str, Any]:
    return {
        "type": "camera_status",
        "camera": status.camera_id,
        "state": status.state,
        "state_label": str(CameraState(status.state).label),
        "last_frame_at": status.last_frame_at.isoformat() if status.last_frame_at else None,
        "frames": status.frames,
        "corrupt_frames": status.corrupt_frames,
        "reconnects": status.reconnects,
        "detail": status.detail,
    }


@transaction.atomic
def camera_status_record(
    *,
    camera_id: int,
    store_id: int,
    node_name: str,
    state: str,
    last_frame_at: datetime | None,
    frames: int,
    corrupt_frames: int,
    reconnects: int,
    detail: str,
    width: int,
    height: int,
    publish: bool,
) -> None:
    """Write a camera's status as its node sees it; publish it when asked (a state change)."""
    status, _created = CameraStatus.objects.get_or_create(camera_id=camera_id)
    status.state = state
    status.node_name = node_name
    status.last_frame_at = last_frame_at
    status.frames = frames
    status.corrupt_frames = corrupt_frames
    status.reconnects = reconnects
    status.detail = detail[:200]
    status.width = width
    status.height = height
    status.updated_at = timezone.now()
    status.save()
    if publish:
        publish_on_commit(topic=topic_for_store(store_id=store_id), payload=_status_payload(status))


def camera_preview_name(*, camera_id: int) -> str:
    """Where a camera's latest picture is kept (the zone editor draws on it)."""
    return f"sentinel/previews/{camera_id}.jpg"


def camera_preview_save(*, camera_id: int, jpeg: bytes) -> None:
    """Keep ``jpeg`` as the camera's latest picture, replacing the one before."""
    if not jpeg.startswith(b"\xff\xd8") or len(jpeg) > SNAPSHOT_BYTES_MAX:
        return
    storage = storages["documents"]
    name = camera_preview_name(camera_id=camera_id)
    storage.delete(name)
    storage.save(name, ContentFile(jpeg))


def _event_payload(event: LiveEvent) -> dict[str, Any]:
    snapshot = event.snapshots.order_by("-taken_at", "-pk").values_list("pk", flat=True).first()
    return {
        "type": "live_event",
        "event": event.pk,
        "store": event.store_id,
        "camera": event.camera_id,
        "camera_name": event.camera.name if event.camera else "",
        "state": event.state,
        "state_label": str(LiveEventState(event.state).label),
        "in_progress": event.ended_at is None,
        "scenario": event.scenario,
        "rule": event.rule,
        "confidence": round(event.confidence, 3),
        "people": event.people,
        "zone": event.zone,
        "summary": event.summary,
        "started_at": event.started_at.isoformat(),
        "last_hit_at": event.last_hit_at.isoformat(),
        "ended_at": event.ended_at.isoformat() if event.ended_at else None,
        "snapshot": snapshot,
    }


def _publish(event: LiveEvent) -> None:
    publish_on_commit(topic=topic_for_store(store_id=event.store_id), payload=_event_payload(event))


def _snapshot_add(event: LiveEvent, jpeg: bytes | None, at: datetime) -> None:
    if not jpeg or len(jpeg) > SNAPSHOT_BYTES_MAX or not jpeg.startswith(b"\xff\xd8"):
        return
    if event.snapshots.count() >= SNAPSHOTS_PER_EVENT_MAX:
        return
    snapshot = LiveEventSnapshot(event=event, taken_at=at)
    snapshot.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg), save=False)
    # The file is written before its row commits: a rollback may leave a file, never a row
    # without its file.
    snapshot.save()


def _hit_checked(hit: RuleHit) -> None:
    if not isinstance(hit.scenario, str) or not 0 < len(hit.scenario) <= 64:
        raise LiveEventError("scenario", _("A rule hit names its scenario."))
    if not isinstance(hit.rule, str) or not 0 < len(hit.rule) <= 64:
        raise LiveEventError("rule", _("A rule hit names its rule."))
    if not math.isfinite(hit.confidence) or not 0.0 <= hit.confidence <= 1.0:
        raise LiveEventError("confidence", _("Confidence is between 0 and 1."))
    if not isinstance(hit.people, int) or not 0 <= hit.people <= 10_000:
        raise LiveEventError("people", _("The people count is a whole number from 0."))


def live_event_open_or_update(
    *, camera: Camera, hit: RuleHit, at: datetime | None = None, snapshot_jpeg: bytes | None = None
) -> tuple[LiveEvent, bool]:
    """Join ``hit`` to the camera's event in progress for its scenario, or open one.

    Returns the event and whether it was opened now. The event is written, and published on
    the store's topic, in one transaction; a hit that changes nothing a person would see
    only moves ``last_hit_at``.
    """
    _hit_checked(hit)
    now = at or timezone.now()
    for attempt in range(2):
        try:
            return _open_or_update(camera=camera, hit=hit, now=now, snapshot_jpeg=snapshot_jpeg)
        except IntegrityError:
            # Another writer opened the same incident between our look and our insert.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _open_or_update(
    *, camera: Camera, hit: RuleHit, now: datetime, snapshot_jpeg: bytes | None
) -> tuple[LiveEvent, bool]:
    summary = hit.summary[:300]
    zone = (hit.zone or "")[:80]
    event = (
        LiveEvent.objects.select_for_update()
        .filter(camera=camera, scenario=hit.scenario, ended_at__isnull=True)
        .first()
    )
    if event is None:
        with transaction.atomic():
            event = LiveEvent.objects.create(
                store_id=camera.store_id,
                camera=camera,
                scenario=hit.scenario,
                rule=hit.rule,
                confidence=hit.confidence,
                people=hit.people,
                zone=zone,
                summary=summary,
                started_at=now,
                last_hit_at=now,
            )
        # How the rule came to fire, as the pipeline tells it, placed before the opening.
        for step in hit.timeline[-TIMELINE_STEPS_MAX:]:
            before = timedelta(seconds=max(0.0, min(3600.0, hit.at_s - step.at_s)))
            LiveEventEntry.objects.create(
                event=event,
                at=now - before,
                kind=EntryKind.OBSERVED,
                text=str(step.text)[:300],
                people=hit.people,
            )
        LiveEventEntry.objects.create(
            event=event, at=now, kind=EntryKind.OPENED, text=summary, people=hit.people
        )
        _snapshot_add(event, snapshot_jpeg, now)
        _publish(event)
        return event, True
    changed = hit.people != event.people or zone != event.zone
    higher = hit.confidence > event.confidence + 0.05
    event.last_hit_at = max(event.last_hit_at, now)
    fields = ["last_hit_at"]
    if changed or higher:
        event.people = hit.people
        event.zone = zone
        event.confidence = max(event.confidence, hit.confidence)
        event.summary = summary
        fields += ["people", "zone", "confidence", "summary"]
    event.save(update_fields=fields)
    if changed:
        LiveEventEntry.objects.create(
            event=event, at=now, kind=EntryKind.UPDATED, text=summary, people=hit.people
        )
        _snapshot_add(event, snapshot_jpeg, now)
    if changed or higher:
        _publish(event)
    return event, False


def _decide(*, event: LiveEvent, user: User, state: str, kind: str, text: str) -> LiveEvent:
    with transaction.atomic():
        locked = (
            LiveEvent.objects.select_for_update(of=("self",))
            .select_related("camera")
            .get(pk=event.pk)
        )
        if locked.ended_at is not None:
            raise LiveEventError("state", _("This event has ended."))
        if locked.state != LiveEventState.SUSPECTED:
            raise LiveEventError(
                "state",
                _("This event was already %(state)s.")
                % {"state": locked.get_state_display().lower()},
            )
        now = timezone.now()
        locked.state = state
        locked.decided_at = now
        locked.decided_by = user
        locked.save(update_fields=["state", "decided_at", "decided_by"])
        LiveEventEntry.objects.create(
            event=locked, at=now, kind=kind, text=text, people=locked.people, actor=user
        )
        audit_record(actor=user, action=f"live_event.{kind}", target=locked)
        _publish(locked)
    return locked


def live_event_confirm(*, event: LiveEvent, user: User) -> LiveEvent:
    """A person says the event is real: suspected → confirmed."""
    return _decide(
        event=event,
        user=user,
        state=LiveEventState.CONFIRMED,
        kind=EntryKind.CONFIRMED,
        text=_("Confirmed as real."),
    )


def live_event_dismiss(*, event: LiveEvent, user: User) -> LiveEvent:
    """A person says it is a false alarm: suspected → dismissed (it still ends when quiet)."""
    return _decide(
        event=event,
        user=user,
        state=LiveEventState.DISMISSED,
        kind=EntryKind.DISMISSED,
        text=_("Dismissed as a false alarm."),
    )


@transaction.atomic
def live_event_end(
    *, event: LiveEvent, user: User | None = None, at: datetime | None = None
) -> LiveEvent:
    """End an event in progress (by a person, or after its quiet period); a no-op once ended."""
    locked = (
        LiveEvent.objects.select_for_update(of=("self",)).select_related("camera").get(pk=event.pk)
    )
    if locked.ended_at is not None:
        return locked
    now = at or timezone.now()
    locked.ended_at = now
    previous = locked.state
    locked.state = LiveEventState.ENDED
    locked.save(update_fields=["ended_at", "state"])
    text = _("Ended by a person.") if user else _("Ended: nothing more seen.")
    LiveEventEntry.objects.create(
        event=locked, at=now, kind=EntryKind.ENDED, text=text, people=0, actor=user
    )
    if user is not None:
        audit_record(
            actor=user, action="live_event.ended", target=locked, details={"was": previous}
        )
    _publish(locked)
    return locked


def live_events_end_quiet(
    *,
    camera_ids: list[int] | None = None,
    quiet: timedelta = QUIET_PERIOD,
    now: datetime | None = None,
) -> int:
    """End every event in progress without a hit for ``quiet``; returns how many ended."""
    cutoff = (now or timezone.now()) - quiet
    quiet_events = LiveEvent.objects.filter(ended_at__isnull=True, last_hit_at__lt=cutoff)
    if camera_ids is not None:
        quiet_events = quiet_events.filter(camera_id__in=camera_ids)
    ended = 0
    for event in quiet_events:
        live_event_end(event=event, at=event.last_hit_at + quiet)
        ended += 1
    return ended
