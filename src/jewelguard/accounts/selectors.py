"""Reads in the accounts room that more than one page needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from jewelguard.accounts.models import ApiToken, StaffInvitation, Store


def staff_invitation_pending(*, token: str) -> StaffInvitation | None:
    """The invitation a token stands for, if it is still open: not accepted, not expired."""
    return (
        StaffInvitation.objects.select_related("member")
        .filter(
            token_hash=ApiToken.hash(token),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def staff_invitation_stores(*, invitation: StaffInvitation) -> QuerySet[Store]:
    """The inviting member's stores that the invitation would open."""
    return Store.objects.filter(member=invitation.member, pk__in=map(int, invitation.grants))


@dataclass(frozen=True)
class StoreRemoval:
    """What removing a store takes with it, for the page that asks first."""

    store: Store
    # Staff who lose their access to this store, as the member knows them.
    staff: list[str]
    opening_days: int
    special_days: int
    # The member's last store: nothing is left to carry a badge or a sign.
    last_store: bool


def store_removal_summary(*, store: Store) -> StoreRemoval:
    grants = store.staff_grants.select_related("user").order_by("user__email")
    return StoreRemoval(
        store=store,
        staff=[grant.user.full_name or grant.user.email for grant in grants],
        opening_days=store.hours.count(),
        special_days=store.hours_exceptions.count(),
        last_store=not Store.objects.filter(member_id=store.member_id)
        .exclude(pk=store.pk)
        .exists(),
    )
