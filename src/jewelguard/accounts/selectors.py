"""Reads in the accounts room that more than one page needs."""

from __future__ import annotations

from django.utils import timezone

from jewelguard.accounts.models import ApiToken, StaffInvitation


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
