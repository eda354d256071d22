"""Who may see and change incidents, one by one (aggregates are the map's and statistics' affair).

- Members see their own incidents, whatever their state, and the verified ones shared with
  members. They report (add) incidents and change their own while not yet verified.
- Staff see the incidents of the stores they work at, and the verified ones shared with members.
  Staff with the "report" right at a store report incidents there, and change the ones they
  reported themselves while not yet verified (and while they still hold that right).
- Officers see the incidents shared with law enforcement that are not rejected, of their own
  agency or of none named.
- Analysts see and moderate every incident; administrators may also delete one.
- Incidents shared as public aggregates are seen one by one only by analysts (and by their
  reporter); the public never sees an incident, only counts.

Offenders, vehicles and photos follow their incident.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jewelguard.accounts.models import Role, Store, User
from jewelguard.accounts.permissions import StoreAction, user_is_admin
from jewelguard.core.permissions import Action, Who, policy_register, restrict
from jewelguard.intel.models import (
    EvidencePhoto,
    Incident,
    Offender,
    Vehicle,
    Verification,
    Visibility,
)

SHARED_WITH_MEMBERS = Q(visibility=Visibility.MEMBERS, verification=Verification.VERIFIED)


class IncidentPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if not isinstance(user, User) or not user.is_active:
            return queryset.none()
        if user_is_admin(user=user):
            return queryset
        if user.role == Role.ANALYST:
            return queryset if action != Action.DELETE else queryset.none()
        if user.role == Role.MEMBER:
            own = Q(member__owner=user)
            if action == Action.VIEW:
                return queryset.filter(own | SHARED_WITH_MEMBERS)
            if action == Action.ADD:
                return queryset
            if action == Action.CHANGE:
                return queryset.filter(own).exclude(
                    verification__in=(Verification.VERIFIED, Verification.REJECTED)
                )
            return queryset.none()
        if user.role == Role.STAFF and action == Action.VIEW:
            stores = restrict(Store.objects.all(), user=user, action=StoreAction.VIEW)
            return queryset.filter(Q(store__in=stores) | SHARED_WITH_MEMBERS)
        if user.role == Role.STAFF and action in (Action.ADD, Action.CHANGE):
            reporting = restrict(Store.objects.all(), user=user, action=StoreAction.REPORT)
            if action == Action.ADD:
                return queryset if reporting.exists() else queryset.none()
            return queryset.filter(store__in=reporting, reporter=user).exclude(
                verification__in=(Verification.VERIFIED, Verification.REJECTED)
            )
        if user.role == Role.OFFICER and action == Action.VIEW:
            return queryset.filter(
                Q(agency__isnull=True) | Q(agency_id=user.agency_id),
                visibility=Visibility.LAW_ENFORCEMENT,
            ).exclude(verification=Verification.REJECTED)
        return queryset.none()


class IncidentPartPolicy:
    """An offender, a vehicle or a photo: seen and changed as its incident is."""

    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        parent_action = Action.CHANGE if action in (Action.ADD, Action.DELETE) else action
        incidents = restrict(Incident.objects.all(), user=user, action=parent_action)
        if action == Action.ADD:
            return queryset if incidents.exists() else queryset.none()
        return queryset.filter(incident__in=incidents)


def intel_policies_register() -> None:
    """Called once from the room's AppConfig.ready."""
    policy_register(kind=Incident, policy=IncidentPolicy())
    for part in (Offender, Vehicle, EvidencePhoto):
        policy_register(kind=part, policy=IncidentPartPolicy())
