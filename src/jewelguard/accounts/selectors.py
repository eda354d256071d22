"""Reads in the accounts room that more than one page needs."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from jewelguard.accounts.models import ApiToken, StaffInvitation, Store


def staff_invitation_open_for(*, email: str) -> bool:
    """Whether an invitation to join as staff, still open, was sent to ``email``."""
    return StaffInvitation.objects.filter(
        email=email.strip().lower(), accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


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
