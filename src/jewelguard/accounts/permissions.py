"""Who may do what to a store: the one check that pages, API and admin all ask."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from jewelguard.accounts.models import Member, Role, StaffGrant, StaffRight, Store, User

# The auth group whose members see every accounts record in the admin, read-only.
ANALYSTS_GROUP = "Analysts"
# Everything in this room but API tokens, whose hashes are nobody's business.
ANALYST_VIEWABLE_MODELS = (
    "user", "agency", "member", "store", "businesshours", "hoursexception", "staffgrant",
    "staffinvitation",
)  # fmt: skip


class StoreAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    DELETE = "delete"
    MANAGE_STAFF = "manage_staff"
    REPORT = "report"
    RESPOND = "respond"


# What a staff right lets a staff user do; owners and admins may do everything.
STAFF_RIGHT_ALLOWS: dict[StoreAction, StaffRight] = {
    StoreAction.VIEW: StaffRight.VIEW,
    StoreAction.EDIT: StaffRight.EDIT_STORE,
    StoreAction.REPORT: StaffRight.REPORT,
    StoreAction.RESPOND: StaffRight.RESPOND,
}


def store_allows(*, user: User | AnonymousUser, store: Store, action: StoreAction) -> bool:
    """Whether ``user`` may take ``action`` on ``store``."""
    if not user.is_authenticated or not user.is_active:
        return False
    assert isinstance(user, User)
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role == Role.ANALYST:
        return action == StoreAction.VIEW
    if user.role == Role.MEMBER:
        return store.member.owner_id == user.pk
    if user.role == Role.STAFF:
        needed = STAFF_RIGHT_ALLOWS.get(action)
        if needed is None:
            return False
        grant = StaffGrant.objects.filter(user=user, store=store).only("rights").first()
        return grant is not None and (needed == StaffRight.VIEW or needed in grant.rights)
    return False


def user_is_association_staff(*, user: User | AnonymousUser) -> bool:
    """Analysts and administrators: the association's own people, who see across members."""
    if not user.is_authenticated or not user.is_active:
        return False
    assert isinstance(user, User)
    return user.is_superuser or user.role in (Role.ANALYST, Role.ADMIN)


def stores_visible_to(*, user: User | AnonymousUser) -> QuerySet[Store]:
    """The stores ``store_allows(VIEW)`` admits, as one query."""
    stores = Store.objects.select_related("member")
    if not user.is_authenticated or not user.is_active:
        return stores.none()
    assert isinstance(user, User)
    if user_is_association_staff(user=user):
        return stores.all()
    if user.role == Role.MEMBER:
        return stores.filter(member__owner=user)
    if user.role == Role.STAFF:
        return stores.filter(Q(staff_grants__user=user)).distinct()
    return stores.none()


def member_of(*, user: User | AnonymousUser) -> Member | None:
    """The member business a user owns, or None."""
    if not user.is_authenticated or not isinstance(user, User) or user.role != Role.MEMBER:
        return None
    return Member.objects.filter(owner=user).first()
