"""Reads of the sentinel room, for its pages and for other rooms (response, later)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet

from jewelguard.accounts.models import Store
from jewelguard.accounts.permissions import StoreAction
from jewelguard.core.models import Event
from jewelguard.core.permissions import Action, Who, restrict
from jewelguard.sentinel.models import Camera, CameraStatus, LiveEvent
from jewelguard.sentinel.services import topic_for_store

RECENT_EVENTS = 50


def live_events_for(*, user: Who, in_progress_only: bool = False) -> QuerySet[LiveEvent]:
    """The live events ``user`` may see, newest first, with their camera and snapshots."""
    events = restrict(LiveEvent.objects.all(), user=user, action=Action.VIEW)
    if in_progress_only:
        events = events.filter(ended_at__isnull=True)
    return events.select_related("camera", "store").prefetch_related("snapshots")


def live_event_get(*, pk: int) -> LiveEvent | None:
    """One live event by id, for a room that has already checked who asks (response)."""
    return LiveEvent.objects.select_related("camera", "store").filter(pk=pk).first()


def live_events_in_progress(*, store_id: int) -> QuerySet[LiveEvent]:
    """A store's events in progress, for other rooms; no permission check."""
    return LiveEvent.objects.filter(store_id=store_id, ended_at__isnull=True).select_related(
        "camera"
    )


def cameras_for(*, user: Who, action: str = Action.VIEW) -> QuerySet[Camera]:
    return restrict(Camera.objects.all(), user=user, action=action).select_related(
        "store", "status"
    )


def camera_statuses_for(*, user: Who) -> QuerySet[CameraStatus]:
    return restrict(CameraStatus.objects.all(), user=user, action=Action.VIEW).select_related(
        "camera", "camera__store"
    )


def stores_with_cameras_for(*, user: Who, action: str = StoreAction.EDIT) -> QuerySet[Store]:
    """The stores where ``user`` may add cameras."""
    return restrict(Store.objects.all(), user=user, action=action)


def sentinel_topics_for(*, user: Who) -> list[str]:
    """The event-bus topics of every store whose live events ``user`` may see."""
    store_ids = restrict(Store.objects.all(), user=user, action=StoreAction.VIEW).values_list(
        "pk", flat=True
    )
    if restrict(LiveEvent.objects.all(), user=user, action=Action.VIEW).query.is_empty():
        return []
    return [topic_for_store(store_id=pk) for pk in store_ids]


def topics_latest_event_id(*, topics: list[str]) -> int:
    """Where a page's stream starts: the newest stored event, so nothing after render is lost."""
    latest: Any = Event.objects.aggregate(latest=Max("pk"))["latest"]
    return int(latest or 0)
