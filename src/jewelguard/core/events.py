"""The event bus: publish an event after commit, prune old ones.

A topic names what an event is about, as ``<kind>:<id>``: ``user:42`` (one person's own
notices), ``store:7`` (a store's live status), later ``event:<id>`` for a live event. The kind
is lower-case letters, digits, ``_`` or ``-``; the id is letters, digits, ``_`` or ``-``; 100
characters at most in all. Who may follow a topic is decided per kind in
``jewelguard.core.topics``.

``publish_on_commit`` writes the event into the caller's transaction, so it exists exactly
when the change it speaks of does, and wakes live listeners once that transaction commits:
through the channel layer when ``JEWELGUARD_REDIS_URL`` is set, otherwise listeners find it by
polling the event table (the worker and other processes cannot reach an in-memory layer).
The database is the only source of truth; a wake-up only says "look now".
"""

from __future__ import annotations

import json
import logging
import re
import threading
from datetime import timedelta
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jewelguard.core.models import Event

logger = logging.getLogger(__name__)

TOPIC_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,31}:[A-Za-z0-9_-]{1,64}")
TOPIC_MAX_LENGTH = 100
PAYLOAD_MAX_BYTES = 16 * 1024
# Any constant will do; it only has to be the same in every process (PostgreSQL only).
_PUBLISH_LOCK_KEY = 0x4A47_4556  # "JGEV"
WAKE_MESSAGE_TYPE = "event.wake"


def topic_check(*, topic: str) -> None:
    """Raise ValidationError (on ``topic``) unless ``topic`` is a well-formed topic name."""
    if (
        not isinstance(topic, str)
        or len(topic) > TOPIC_MAX_LENGTH
        or not TOPIC_PATTERN.fullmatch(topic)
    ):
        raise ValidationError(
            {"topic": _("A topic is a kind and an id, such as user:42.")}, code="invalid"
        )


def topic_group(*, topic: str) -> str:
    """The channel-layer group of a topic (``:`` is not allowed in group names)."""
    return "events." + topic.replace(":", ".")


def _payload_checked(payload: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ValidationError({"payload": _("The payload must be a JSON object.")}, code="invalid")
    try:
        text = json.dumps(payload, cls=DjangoJSONEncoder)
    except (TypeError, ValueError):
        raise ValidationError(
            {"payload": _("The payload must hold only JSON values.")}, code="invalid"
        ) from None
    if len(text.encode()) > PAYLOAD_MAX_BYTES:
        raise ValidationError(
            {"payload": _("The payload is too large (16 KiB at most).")}, code="too_large"
        )
    # Stored as it will be read back, so the publisher and the listeners see the same thing.
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def publish_on_commit(*, topic: str, payload: dict[str, Any]) -> Event:
    """Store an event on ``topic`` in the current transaction; wake listeners after commit.

    Raises ValidationError naming ``topic`` or ``payload`` (a JSON object of 16 KiB at most)
    before anything is written. If the caller's transaction rolls back, the event is gone and
    nobody is woken.
    """
    topic_check(topic=topic)
    stored = _payload_checked(payload)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Publishers queue here until commit, so ids become visible in order and a stream
            # that has sent id N never later finds an N-1. SQLite serialises writers anyway.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PUBLISH_LOCK_KEY])
        event = Event.objects.create(topic=topic, payload=stored)
        transaction.on_commit(partial(_wake, topic=topic, event_id=event.pk))
    return event


def wake_layer() -> Any:
    """The channel layer that reaches every process, or None (then listeners poll)."""
    from channels.layers import InMemoryChannelLayer, get_channel_layer

    layer = get_channel_layer()
    if layer is None or isinstance(layer, InMemoryChannelLayer):
        return None
    return layer


def _wake(*, topic: str, event_id: int) -> None:
    layer = wake_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            topic_group(topic=topic), {"type": WAKE_MESSAGE_TYPE, "id": event_id}
        )
    except Exception:
        # The event is stored: listeners still find it at their next look (heartbeat).
        logger.warning("could not wake listeners of event %s", event_id, exc_info=True)


def event_prune(*, older_than: timedelta | None = None) -> int:
    """Delete events older than the retention (``JEWELGUARD_EVENTS_RETENTION_DAYS``).

    Returns how many were deleted. A page that reconnects after longer than the retention
    replays only what is left.
    """
    age = older_than or timedelta(days=settings.JEWELGUARD_EVENTS_RETENTION_DAYS)
    if age <= timedelta(0):
        raise ValidationError({"older_than": _("The age must be positive.")}, code="invalid")
    deleted, _by_model = Event.objects.filter(created_at__lt=timezone.now() - age).delete()
    return deleted


def event_prune_periodically(*, every_seconds: float, stop: threading.Event) -> None:
    """Prune now and then every ``every_seconds`` until ``stop`` is set (the worker's thread)."""
    while not stop.is_set():
        try:
            deleted = event_prune()
            if deleted:
                logger.info("pruned %d old events", deleted)
        except Exception:
            logger.exception("pruning old events failed; trying again later")
        finally:
            close_old_connections()
        stop.wait(every_seconds)
