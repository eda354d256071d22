"""Server-Sent Events: one helper that streams any topics to a browser's EventSource.

An async view checks what the user may follow, then returns ``await sse_response(request,
topics=[...])``. The stream:

- replays every stored event after ``Last-Event-ID`` (the header a reconnecting EventSource
  sends, or the ``last_event_id`` query parameter for a first connect), then sends new ones as
  they are published; with neither, it starts at the newest event, so the page gets only what
  happens after it connected;
- sends each event as ``id: <event id>`` and ``data: {"topic", "payload", "created_at"}``, in
  id order, each exactly once per connection;
- sends a comment line (``: heartbeat``) when it has been quiet for
  ``JEWELGUARD_EVENTS_HEARTBEAT_SECONDS`` (15 s), so proxies keep it open and a dead client is
  noticed;
- stops when the client goes away (Django's ASGI handler cancels it), leaving nothing behind.

It runs on the event loop under uvicorn; every database read goes through ``sync_to_async``
and gives its connection back at once, so an open stream holds no database connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections
from django.db.models import Max
from django.http import HttpRequest, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from jewelguard.core.events import topic_group, wake_layer
from jewelguard.core.forms import DATABASE_ID_MAX
from jewelguard.core.models import Event

logger = logging.getLogger(__name__)

REPLAY_BATCH = 200
# How long the browser waits before reconnecting after the stream drops (milliseconds).
RETRY_MS = 2000
# Streams open in this process; logged as each one closes.
_open_streams = 0


def _events_after(topics: Sequence[str], after: int) -> list[tuple[int, str, Any, str]]:
    try:
        rows = Event.objects.filter(topic__in=topics, pk__gt=after).order_by("pk")
        return [
            (pk, topic, payload, created_at.isoformat())
            for pk, topic, payload, created_at in rows.values_list(
                "pk", "topic", "payload", "created_at"
            )[:REPLAY_BATCH]
        ]
    finally:
        close_old_connections()


def _latest_event_id() -> int:
    try:
        latest = Event.objects.aggregate(latest=Max("pk"))["latest"]
        return int(latest or 0)
    finally:
        close_old_connections()


def last_event_id_parse(request: HttpRequest) -> int | None:
    """The id to replay after: the Last-Event-ID header, else ``?last_event_id=``; or None.

    Raises ValueError naming the field when it is not a whole number of at most 19 digits.
    """
    header = request.headers.get("Last-Event-ID")
    field, raw = (
        ("Last-Event-ID", header)
        if header is not None
        else ("last_event_id", request.GET.get("last_event_id"))
    )
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) > DATABASE_ID_MAX:
        raise ValueError(field)
    return int(raw)


def _frame(pk: int, topic: str, payload: Any, created_at: str) -> str:
    data = json.dumps(
        {"topic": topic, "payload": payload, "created_at": created_at}, cls=DjangoJSONEncoder
    )
    # json.dumps escapes newlines, so the data always fits on one line.
    return f"id: {pk}\ndata: {data}\n\n"


class _Wakeups:
    """Wake-ups for one stream from the channel layer, received in a task of its own.

    The stream itself only ever waits on an ``asyncio.Event``: a channel-layer receive that is
    cancelled mid-way (channels_redis, redis-py) may swallow the cancellation, and the stream
    must end the moment its client goes away.
    """

    def __init__(self, layer: Any, topics: Sequence[str]) -> None:
        self.layer = layer
        self.groups = [topic_group(topic=topic) for topic in topics]
        self.channel = ""
        self.event = asyncio.Event()
        self.closed = False
        self.listener: asyncio.Task[None] | None = None

    async def open(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.renew()
        self.listener = asyncio.create_task(self._listen())

    async def renew(self) -> None:
        # Group memberships expire (a day by default); a long stream renews them.
        for group in self.groups:
            await self.layer.group_add(group, self.channel)

    async def _listen(self) -> None:
        while not self.closed:
            try:
                await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis is away: the stream still reads the database at each heartbeat.
                logger.warning("live stream lost its wake-ups; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            self.event.set()

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event.wait(), timeout=timeout)
        self.event.clear()

    async def close(self) -> None:
        self.closed = True
        if self.listener is not None:
            self.listener.cancel()
        if not self.channel:
            return
        for group in self.groups:
            await self.layer.group_discard(group, self.channel)
        # Ends a receive that ignored the cancellation; expires unread otherwise.
        await self.layer.send(self.channel, {"type": "stream.closed"})


def _cancel_pending() -> None:
    """Raise CancelledError if this task was cancelled while a wait swallowed it (3.11)."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _stream(
    *, topics: list[str], after: int, heartbeat: float, poll: float
) -> AsyncIterator[str]:
    global _open_streams
    layer = wake_layer()
    wakeups = _Wakeups(layer, topics) if layer is not None else None
    opened = time.monotonic()
    _open_streams += 1
    try:
        if wakeups is not None:
            # Subscribe before the first read: an event committed in between is then either
            # read or announced, never missed.
            await wakeups.open()
        yield f"retry: {RETRY_MS}\n: connected\n\n"
        quiet_since = time.monotonic()
        while True:
            batch = await sync_to_async(_events_after)(topics, after)
            for pk, topic, payload, created_at in batch:
                yield _frame(pk, topic, payload, created_at)
                after = pk
            if batch:
                quiet_since = time.monotonic()
                if len(batch) == REPLAY_BATCH:
                    continue
            left = heartbeat - (time.monotonic() - quiet_since)
            if left <= 0:
                yield ": heartbeat\n\n"
                quiet_since = time.monotonic()
                if wakeups is not None:
                    await wakeups.renew()
                continue
            if wakeups is None:
                await asyncio.sleep(min(poll, left))
            else:
                await wakeups.wait(left)
            _cancel_pending()
    finally:
        _open_streams -= 1
        try:
            if wakeups is not None:
                await wakeups.close()
        except Exception:
            logger.warning("live stream could not leave its groups", exc_info=True)
        finally:
            logger.info(
                "live stream closed after %.0f s; %d open in this process",
                time.monotonic() - opened,
                _open_streams,
            )


async def sse_response(
    request: HttpRequest,
    *,
    topics: Sequence[str],
    heartbeat_seconds: float | None = None,
    poll_seconds: float | None = None,
) -> HttpResponseBase:
    """A text/event-stream of ``topics``, which the caller has already checked the user may see.

    Answers 400, naming the field, for a malformed ``Last-Event-ID``/``last_event_id``. The
    starting point is fixed before the response begins, so once the browser's EventSource has
    opened, nothing published afterwards is missed.
    """
    try:
        after = last_event_id_parse(request)
    except ValueError as error:
        return HttpResponseBadRequest(
            _("%(field)s must be the id of an event (a whole number).") % {"field": error},
            content_type="text/plain; charset=utf-8",
        )
    latest = await sync_to_async(_latest_event_id)()
    # An id from the future (a restored database) would wait forever; start at the newest.
    after = latest if after is None or after > latest else after
    response = StreamingHttpResponse(
        _stream(
            topics=list(dict.fromkeys(topics)),
            after=after,
            heartbeat=heartbeat_seconds or float(settings.JEWELGUARD_EVENTS_HEARTBEAT_SECONDS),
            poll=poll_seconds or float(settings.JEWELGUARD_EVENTS_POLL_SECONDS),
        ),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache, no-store"
    # Tell nginx-style proxies not to hold events back in a buffer.
    response["X-Accel-Buffering"] = "no"
    return response
