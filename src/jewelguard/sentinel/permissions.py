"""Who may do what in the sentinel room: one policy per object kind, registered with core.

Cameras, microphones and live events are a member's private data: the member's owner and the
store's staff see them (a staff user needs the "edit store" right to manage cameras and the
"respond" right to confirm or dismiss a live event); administrators see everything. Analysts
and officers see none of it here (officers reach live events through the response room).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jewelguard.accounts.models import Role, Store, User
from jewelguard.accounts.permissions import StoreAction, user_is_admin
from jewelguard.core.permissions import Action, Who, policy_register, restrict
from jewelguard.core.topics import topic_rule_register
from jewelguard.sentinel.models import (
    Camera,
    CameraLease,
    CameraStatus,
    LiveEvent,
    LiveEventEntry,
    LiveEventSnapshot,
    Microphone,
)


class LiveEventAction:
    RESPOND = "respond"


# What each action on a store-scoped kind needs of the store.
_CAMERA_NEEDS: dict[str, StoreAction] = {
    Action.VIEW: StoreAction.VIEW,
    Action.ADD: StoreAction.EDIT,
    Action.CHANGE: StoreAction.EDIT,
    Action.DELETE: StoreAction.EDIT,
}
_EVENT_NEEDS: dict[str, StoreAction] = {
    Action.VIEW: StoreAction.VIEW,
    LiveEventAction.RESPOND: StoreAction.RESPOND,
}


class StoreScopedPolicy:
    """Objects reached through ``store_path``, as far as the user may act on that store."""

    def __init__(self, *, store_path: str, needs: dict[str, StoreAction]) -> None:
        self.store_path = store_path
        self.needs = needs

    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if not isinstance(user, User) or not user.is_active:
            return queryset.none()
        if user_is_admin(user=user):
            return queryset
        needed = self.needs.get(action)
        if needed is None or user.role not in (Role.MEMBER, Role.STAFF):
            return queryset.none()
        stores = restrict(Store.objects.all(), user=user, action=needed)
        return queryset.filter(**{f"{self.store_path}__in": stores.values("pk")})


class AdminOnlyPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        return queryset if user_is_admin(user=user) and action == Action.VIEW else queryset.none()


def sentinel_topic_permitted(user: Any, ident: str) -> bool:
    """``sentinel:<store id>``: who may see the store's live events and camera status."""
    if not ident.isdigit():
        return False
    events = restrict(LiveEvent.objects.all(), user=user, action=Action.VIEW)
    if events.query.is_empty():
        return False
    stores = restrict(Store.objects.all(), user=user, action=StoreAction.VIEW)
    return user_is_admin(user=user) or stores.filter(pk=int(ident)).exists()


def sentinel_policies_register() -> None:
    """Called once from the room's AppConfig.ready."""
    policy_register(kind=Camera, policy=StoreScopedPolicy(store_path="store", needs=_CAMERA_NEEDS))
    policy_register(
        kind=Microphone, policy=StoreScopedPolicy(store_path="store", needs=_CAMERA_NEEDS)
    )
    policy_register(
        kind=CameraStatus,
        policy=StoreScopedPolicy(store_path="camera__store", needs={Action.VIEW: StoreAction.VIEW}),
    )
    policy_register(kind=CameraLease, policy=AdminOnlyPolicy())
    policy_register(
        kind=LiveEvent, policy=StoreScopedPolicy(store_path="store", needs=_EVENT_NEEDS)
    )
    policy_register(
        kind=LiveEventEntry,
        policy=StoreScopedPolicy(store_path="event__store", needs={Action.VIEW: StoreAction.VIEW}),
    )
    policy_register(
        kind=LiveEventSnapshot,
        policy=StoreScopedPolicy(store_path="event__store", needs={Action.VIEW: StoreAction.VIEW}),
    )
    topic_rule_register(kind="sentinel", check=sentinel_topic_permitted)
