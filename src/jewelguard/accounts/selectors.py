"""Reads in the accounts room that more than one page needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.models import (
    ApiToken,
    BusinessHours,
    HoursException,
    Member,
    StaffGrant,
    StaffInvitation,
    Store,
)
from jewelguard.accounts.next_steps import MemberOverview, NextStep, overview_providers


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


def _accounts_overview(member: Member) -> MemberOverview:
    stores = list(member.stores.order_by("name").prefetch_related("hours"))
    without_hours = [store for store in stores if not store.hours.all()]
    has_staff = (
        StaffGrant.objects.filter(store__member=member).exists()
        or member.invitations.filter(accepted_at__isnull=True).exists()
    )
    return MemberOverview(
        steps=[
            NextStep(
                order=10,
                label=_("Add your store"),
                done=bool(stores),
                url=reverse("accounts:store_create"),
            ),
            NextStep(
                order=20,
                label=_("Set your opening hours"),
                done=bool(stores) and not without_hours,
                url=(
                    reverse("accounts:store_edit", args=[without_hours[0].pk])
                    if without_hours
                    else reverse("accounts:store_list")
                ),
                detail="" if stores else _("Add a store first."),
            ),
            NextStep(
                order=50,
                label=_("Invite your staff"),
                done=has_staff,
                url=reverse("accounts:staff"),
            ),
        ]
    )


def member_overview(*, member: Member) -> MemberOverview:
    """The member's checklist, in order, and status panels, from every room that has some."""
    parts = [_accounts_overview(member), *(provider(member) for provider in overview_providers())]
    return MemberOverview(
        steps=sorted((step for part in parts for step in part.steps), key=lambda s: s.order),
        panels=sorted((panel for part in parts for panel in part.panels), key=lambda p: p.order),
    )


@dataclass(frozen=True)
class HoursRows:
    """Opening hours and special days of several stores, as plain rows by store id.

    (weekday, opens, closes) and (date, label, opens, closes); times and dates as the
    database driver returns them (text on SQLite), for a schema that parses them.
    """

    week: dict[int, list[tuple[Any, ...]]]
    exceptions: dict[int, list[tuple[Any, ...]]]


def store_hours_rows(*, store_ids: Sequence[int]) -> HoursRows:
    """Two plain queries instead of two ORM prefetches: the store-list API's hot path, where
    building the querysets cost more than running them."""
    week: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in store_ids}
    exceptions: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in store_ids}
    if not store_ids:
        return HoursRows(week=week, exceptions=exceptions)
    marks = ", ".join(["%s"] * len(store_ids))
    hours_table = BusinessHours._meta.db_table
    exceptions_table = HoursException._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT store_id, weekday, opens, closes FROM {hours_table} "  # noqa: S608
            f"WHERE store_id IN ({marks}) ORDER BY weekday",
            list(store_ids),
        )
        for store_id, *row in cursor.fetchall():
            week[store_id].append(tuple(row))
        cursor.execute(
            f"SELECT store_id, date, label, opens, closes FROM {exceptions_table} "  # noqa: S608
            f"WHERE store_id IN ({marks}) ORDER BY date",
            list(store_ids),
        )
        for store_id, *row in cursor.fetchall():
            exceptions[store_id].append(tuple(row))
    return HoursRows(week=week, exceptions=exceptions)
