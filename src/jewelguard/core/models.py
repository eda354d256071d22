"""Models every room shares."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
