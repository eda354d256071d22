"""Who may do what in the pledge room: pledges, and each store's toolkit files.

- A pledge is read by its member, by analysts (who follow who pledged) and administrators;
  its member withdraws it (on the pledge page, which only ever acts on the member's own).
  Nobody rewrites one, administrators included: a pledge is a record of what was read and
  accepted. Administrators may delete one (erasure).
- A store's toolkit ("pledge.toolkit", a queryset of stores) is handled by whoever may
  change the store: its owner, staff with the right to edit it, administrators. An analyst
  holding a grant for the member may read (download) it, not change its signs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jewelguard.accounts.models import Role, Store, User
from jewelguard.accounts.permissions import StoreAction, members_granted_to, user_is_admin
from jewelguard.core.permissions import Action, Who, policy_register, restrict
from jewelguard.pledge.models import Pledge, StoreSignage

TOOLKIT = "pledge.toolkit"
# The toolkit's staff briefing, a queryset of stores: the toolkit's readers, and the store's
# staff with any grant (the briefing is made for them).
STAFF_BRIEFING = "pledge.staff_briefing"


class PledgePolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if not isinstance(user, User) or not user.is_active:
            return queryset.none()
        if action in (Action.ADD, Action.CHANGE):
            return queryset.none()
        if user_is_admin(user=user):
            return queryset
        if action == Action.VIEW and user.role == Role.ANALYST:
            return queryset
        if action == Action.VIEW and user.role == Role.MEMBER:
            return queryset.filter(member__owner=user)
        return queryset.none()


class ToolkitPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if not isinstance(user, User) or not user.is_active:
            return queryset.none()
        if action == Action.VIEW and user.role == Role.ANALYST:
            return queryset.filter(member__in=members_granted_to(analyst=user))
        if action in (Action.VIEW, Action.CHANGE):
            return restrict(queryset, user=user, action=StoreAction.EDIT)
        return queryset.none()


class StaffBriefingPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if action != Action.VIEW or not isinstance(user, User) or not user.is_active:
            return queryset.none()
        readers = restrict(queryset, user=user, action=Action.VIEW, kind=TOOLKIT)
        if user.role != Role.STAFF:
            return readers
        staffed = restrict(queryset, user=user, action=StoreAction.VIEW)
        return queryset.filter(Q(pk__in=readers.values("pk")) | Q(pk__in=staffed.values("pk")))


class StoreSignagePolicy:
    """A store's signs are part of its toolkit: seen and changed as the toolkit is."""

    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if action in (Action.VIEW, Action.CHANGE):
            stores = restrict(Store.objects.all(), user=user, action=action, kind=TOOLKIT)
            return queryset.filter(store__in=stores)
        if action == Action.DELETE and user_is_admin(user=user):
            return queryset
        return queryset.none()  # signs are set from the toolkit page, never added here


def pledge_policies_register() -> None:
    policy_register(kind=Pledge, policy=PledgePolicy())
    policy_register(kind=TOOLKIT, policy=ToolkitPolicy())
    policy_register(kind=STAFF_BRIEFING, policy=StaffBriefingPolicy())
    policy_register(kind=StoreSignage, policy=StoreSignagePolicy())
