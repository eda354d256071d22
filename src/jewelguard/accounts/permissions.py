"""Who may do what in the accounts room: one policy per object kind, registered with core.

Pages, the API and the admin all ask ``jewelguard.core.permissions.restrict``, which asks
these. In short:

- administrators (and superusers) may do everything;
- a member jeweler owns its business: its stores, staff grants, invitations;
- staff see the stores they hold a grant at and do there what their rights allow;
- officers see their own agency; no store data is shared with agencies yet;
- analysts read, by their role, every store and member; with an explicit ``AnalystGrant``
  they also read that member's staff grants and invitations. Analysts never change anything;
- API tokens are their user's alone (and an administrator's, to revoke);
- the audit log is read by analysts and administrators, and written only by services.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from jewelguard.accounts.models import (
    Agency,
    AnalystGrant,
    ApiToken,
    Member,
    Role,
    StaffGrant,
    StaffInvitation,
    StaffRight,
    Store,
    User,
)
from jewelguard.core.models import AuditEntry
from jewelguard.core.permissions import Action, Who, policy_register, restrict


class StoreAction(StrEnum):
    VIEW = Action.VIEW.value
    EDIT = Action.CHANGE.value
    DELETE = Action.DELETE.value
    MANAGE_STAFF = "manage_staff"
    REPORT = "report"
    RESPOND = "respond"


# What a staff right lets a staff user do; owners and admins may do everything.
STAFF_RIGHT_ALLOWS: dict[str, StaffRight] = {
    StoreAction.VIEW: StaffRight.VIEW,
    StoreAction.EDIT: StaffRight.EDIT_STORE,
    StoreAction.REPORT: StaffRight.REPORT,
    StoreAction.RESPOND: StaffRight.RESPOND,
}


def _person(user: Who) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def user_is_admin(*, user: Who) -> bool:
    person = _person(user)
    return person is not None and (person.is_superuser or person.role == Role.ADMIN)


def user_is_association_staff(*, user: Who) -> bool:
    """Analysts and administrators: the association's own people, who see across members."""
    person = _person(user)
    return person is not None and (person.is_superuser or person.role in (Role.ANALYST, Role.ADMIN))


def members_granted_to(*, analyst: User) -> QuerySet[AnalystGrant, Any]:
    """The members whose own data ``analyst`` holds a current grant for (as member ids)."""
    return (
        AnalystGrant.objects.filter(analyst=analyst, analyst__role=Role.ANALYST)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .values("member")
    )


class StorePolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if person.role == Role.MEMBER:
            if action == Action.ADD:
                return queryset  # a member adds stores to its own business
            return queryset.filter(member__owner=person)
        if person.role == Role.ANALYST and action == Action.VIEW:
            return queryset
        if person.role == Role.STAFF and action in STAFF_RIGHT_ALLOWS:
            needed = STAFF_RIGHT_ALLOWS[action]
            # Rights are a JSON list, which SQLite cannot search: read the user's few grants.
            stores = [
                grant.store_id
                for grant in StaffGrant.objects.filter(user=person).only("store_id", "rights")
                if needed == StaffRight.VIEW or needed in grant.rights
            ]
            return queryset.filter(pk__in=stores)
        return queryset.none()


class StaffGrantPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if person.role == Role.MEMBER and action in (Action.VIEW, Action.CHANGE, Action.DELETE):
            return queryset.filter(store__member__owner=person)
        if action == Action.VIEW and person.role == Role.STAFF:
            return queryset.filter(user=person)
        if action == Action.VIEW and person.role == Role.ANALYST:
            return queryset.filter(store__member__in=members_granted_to(analyst=person))
        return queryset.none()


class StaffInvitationPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if person.role == Role.MEMBER and action in (Action.VIEW, Action.CHANGE, Action.DELETE):
            return queryset.filter(member__owner=person)
        if action == Action.VIEW and person.role == Role.ANALYST:
            return queryset.filter(member__in=members_granted_to(analyst=person))
        return queryset.none()


class ApiTokenPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if action in (Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE):
            return queryset.filter(user=person)
        return queryset.none()


class UserPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if action == Action.VIEW:
            return queryset if person.role == Role.ANALYST else queryset.filter(pk=person.pk)
        return queryset.none()


class MemberPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if action == Action.VIEW and person.role == Role.ANALYST:
            return queryset
        if action in (Action.VIEW, Action.CHANGE) and person.role == Role.MEMBER:
            return queryset.filter(owner=person)
        return queryset.none()


class AgencyPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if action == Action.VIEW and person.role == Role.ANALYST:
            return queryset
        if action == Action.VIEW and person.role == Role.OFFICER:
            return queryset.filter(pk=person.agency_id)
        return queryset.none()


class AnalystGrantPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        person = _person(user)
        if person is None:
            return queryset.none()
        if user_is_admin(user=person):
            return queryset
        if action == Action.VIEW and person.role == Role.ANALYST:
            return queryset.filter(analyst=person)
        if action == Action.VIEW and person.role == Role.MEMBER:
            return queryset.filter(member__owner=person)  # who may read my data
        return queryset.none()


class AssociationReadOnlyPolicy:
    """For the logs core keeps (audit, e-mail deliveries): analysts and administrators read
    them; nobody, administrators included, edits them."""

    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if action == Action.VIEW and user_is_association_staff(user=user):
            return queryset
        return queryset.none()


def accounts_policies_register() -> None:
    """Called once from the room's AppConfig.ready."""
    policy_register(kind=Store, policy=StorePolicy())
    policy_register(kind=StaffGrant, policy=StaffGrantPolicy())
    policy_register(kind=StaffInvitation, policy=StaffInvitationPolicy())
    policy_register(kind=ApiToken, policy=ApiTokenPolicy())
    policy_register(kind=User, policy=UserPolicy())
    policy_register(kind=Member, policy=MemberPolicy())
    policy_register(kind=Agency, policy=AgencyPolicy())
    policy_register(kind=AnalystGrant, policy=AnalystGrantPolicy())
    # Core owns its logs but knows no roles; the room that defines roles says who reads them.
    policy_register(kind=AuditEntry, policy=AssociationReadOnlyPolicy())
    policy_register(kind="core.EmailDelivery", policy=AssociationReadOnlyPolicy())


def store_allows(*, user: User | AnonymousUser, store: Store, action: StoreAction) -> bool:
    """Whether ``user`` may take ``action`` on ``store``, by the store policy."""
    return restrict(Store.objects.filter(pk=store.pk), user=user, action=action).exists()


def stores_visible_to(*, user: User | AnonymousUser) -> QuerySet[Store]:
    """The stores a user may see, as one query."""
    return restrict(Store.objects.select_related("member"), user=user, action=Action.VIEW)


def member_of(*, user: User | AnonymousUser) -> Member | None:
    """The member business a user owns, or None."""
    if not user.is_authenticated or not isinstance(user, User) or user.role != Role.MEMBER:
        return None
    return Member.objects.filter(owner=user).first()
