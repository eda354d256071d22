"""Cameras and microphones, their leases to sentinel nodes and status, and live events."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.models import Store


def _documents_storage() -> Storage:
    return storages["documents"]


class SourceKind(models.TextChoices):
    RTSP = "rtsp", _("RTSP stream")
    HTTP = "http", _("HTTP (MJPEG) stream")
    FILE = "file", _("Video file")


class Arming(models.TextChoices):
    SCHEDULE = "schedule", _("By the store's hours")
    ARMED = "armed", _("Armed (treat as closed)")


class Camera(models.Model):
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="cameras"
    )
    name = models.CharField(_("camera name"), max_length=80)
    source_kind = models.CharField(_("source"), max_length=8, choices=SourceKind.choices)
    # The address without its credentials; those are kept apart, the password encrypted.
    url = models.CharField(_("address"), max_length=500)
    username = models.CharField(_("user name"), max_length=120, blank=True)
    password_encrypted = models.TextField(blank=True, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    arming = models.CharField(
        _("arming"), max_length=10, choices=Arming.choices, default=Arming.SCHEDULE
    )
    # [[weekday 0-6, "HH:MM", "HH:MM"], ...]: extra armed windows, in the store's time zone.
    armed_windows = models.JSONField(_("armed windows"), default=list, blank=True)
    # [{"name", "kind", "polygon": [[x, y], ...]}], points as fractions of the frame.
    zones = models.JSONField(_("zones"), default=list, blank=True)
    masks = models.JSONField(_("masks"), default=list, blank=True)
    detect_fps = models.FloatField(_("detections per second"), default=5.0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["store", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="camera_name_per_store"),
        ]

    def __str__(self) -> str:
        return self.name


class Microphone(models.Model):
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="microphones"
    )
    camera = models.ForeignKey(
        Camera,
        verbose_name=_("camera"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="microphones",
    )
    name = models.CharField(_("microphone name"), max_length=80)
    url = models.CharField(_("address"), max_length=500)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("microphone")
        verbose_name_plural = _("microphones")
        ordering = ["store", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class CameraLease(models.Model):
    """Which sentinel node reads a camera, until when; a node renews it with each heartbeat."""

    camera = models.OneToOneField(
        Camera, on_delete=models.CASCADE, primary_key=True, related_name="lease"
    )
    node_name = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(default=timezone.now, db_index=True)
    renewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("camera lease")
        verbose_name_plural = _("camera leases")

    def __str__(self) -> str:
        return f"{self.camera_id} -> {self.node_name}"


class CameraState(models.TextChoices):
    IDLE = "idle", _("Not read by any node")
    CONNECTING = "connecting", _("Connecting")
    LIVE = "live", _("Live")
    RECONNECTING = "reconnecting", _("Reconnecting")
    FAILED = "failed", _("Failed")


class CameraStatus(models.Model):
    camera = models.OneToOneField(
        Camera, on_delete=models.CASCADE, primary_key=True, related_name="status"
    )
    state = models.CharField(max_length=12, choices=CameraState.choices, default=CameraState.IDLE)
    node_name = models.CharField(max_length=100, blank=True)
    last_frame_at = models.DateTimeField(null=True, blank=True)
    frames = models.BigIntegerField(default=0)
    corrupt_frames = models.BigIntegerField(default=0)
    reconnects = models.IntegerField(default=0)
    # What went wrong, in words that never hold the address or its credentials.
    detail = models.CharField(max_length=200, blank=True)
    width = models.IntegerField(default=0)
    height = models.IntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("camera status")
        verbose_name_plural = _("camera statuses")

    def __str__(self) -> str:
        return f"{self.camera_id}: {self.state}"


class LiveEventState(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    ENDED = "ended", _("Ended")


class LiveEvent(models.Model):
    """One incident in progress, seen by a camera: opened by a rule hit, ended when quiet."""

    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="live_events"
    )
    camera = models.ForeignKey(
        Camera,
        verbose_name=_("camera"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="live_events",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=LiveEventState.choices, default=LiveEventState.SUSPECTED
    )
    # Whatever the state, an event is in progress until it has ended.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    scenario = models.CharField(_("scenario"), max_length=64)
    rule = models.CharField(_("rule"), max_length=64)
    confidence = models.FloatField(_("confidence"))
    people = models.PositiveIntegerField(_("people"), default=0)
    zone = models.CharField(_("zone"), max_length=80, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_hit_at = models.DateTimeField(_("last seen"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("live event")
        verbose_name_plural = _("live events")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # One event per incident in progress: a camera's rule hits of one scenario join it.
            models.UniqueConstraint(
                fields=["camera", "scenario"],
                condition=models.Q(ended_at__isnull=True),
                name="one_live_event_in_progress_per_camera_scenario",
            ),
        ]
        indexes = [models.Index(fields=["store", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.scenario} ({self.get_state_display()})"


class EntryKind(models.TextChoices):
    # A step the rules saw before the event opened (a person entering a zone, say).
    OBSERVED = "observed", _("Observed")
    OPENED = "opened", _("Opened")
    UPDATED = "updated", _("Updated")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    ENDED = "ended", _("Ended")


class LiveEventEntry(models.Model):
    """One line of a live event's timeline."""

    event = models.ForeignKey(LiveEvent, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    text = models.CharField(max_length=300)
    people = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("live event entry")
        verbose_name_plural = _("live event entries")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text


class LiveEventSnapshot(models.Model):
    """A still from the camera, kept as evidence in the documents storage."""

    event = models.ForeignKey(LiveEvent, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(default=timezone.now)
    image = models.FileField(storage=_documents_storage, upload_to="sentinel/snapshots/%Y/%m/%d/")

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["taken_at", "pk"]

    def __str__(self) -> str:
        return str(self.image.name)
