"""What every room shares: live-update events, the task workers' heartbeats, the e-mail
delivery log and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running task worker says it is alive; a stale beat means it died (see core.worker)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return self.worker_id


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class EmailDelivery(models.Model):
    """One e-mail to one address, sent by the worker; the log of what became of it."""

    purpose = models.CharField(_("purpose"), max_length=50)
    # Kept to send and to show the sender; never written to a log.
    recipient = models.EmailField(_("recipient"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    # The text, or empty when ``body_renderer`` makes it at send time (to keep a secret link
    # out of the database and the task queue).
    body = models.TextField(_("body"), blank=True)
    body_renderer = models.CharField(_("body renderer"), max_length=200, blank=True)
    # The body carries a secret link made elsewhere (a sign-up confirmation, a password
    # reset): it is erased as soon as the e-mail is sent.
    body_erased_when_sent = models.BooleanField(_("body erased when sent"), default=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The key of the one queued try that may send it now; a newer retry replaces it.
    task_key = models.CharField(max_length=32, editable=False)
    # What the e-mail is about (an invitation, an inquiry), if anything.
    concerning_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concerning_id = models.PositiveBigIntegerField(null=True, blank=True)
    concerning = GenericForeignKey("concerning_type", "concerning_id")

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["concerning_type", "concerning_id"])]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk} ({self.status})"


class Event(models.Model):
    """Something a live page should hear about, kept so that a reconnecting page replays it.

    Its id is the Server-Sent Events id: ids grow in commit order (see
    ``jewelguard.core.events.publish_on_commit``), so "everything after id N" is exact.
    """

    topic = models.CharField(_("topic"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["topic", "id"], name="core_event_topic_id")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class AuditEntry(models.Model):
    """Who did what to which object, when and from where. Written once, never changed.

    The target is kept as type, id and a short label, so the entry outlives the object
    (a deleted store is still named). The label carries no more personal data than needed.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for a visitor or the system."),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object kind"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
