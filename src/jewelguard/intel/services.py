"""Every write to incidents: reporting, sharing, moderation.

Whenever an incident starts to reach an audience it did not reach before (members once it is
verified and shared with them, law enforcement once shared with it), the alert task is queued
for it on commit: once per such change, never for an edit that changes nobody's view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jewelguard.accounts.models import Agency, Store, User
from jewelguard.core.audit import audit_record
from jewelguard.core.errors import ServiceError
from jewelguard.core.tasks import enqueue_on_commit
from jewelguard.core.text import TextRefusedError, single_line_clean
from jewelguard.intel.geo import incident_cells
from jewelguard.intel.models import (
    Attempt,
    Currency,
    Incident,
    LocationType,
    ModusOperandi,
    Offender,
    OffPremisesScene,
    Premises,
    Sex,
    Source,
    Vehicle,
    Verification,
    Visibility,
)
from jewelguard.intel.profiles import NIBRS_CODES
from jewelguard.intel.tasks import incident_alert
from jewelguard.playbook.content import SCENARIO_IDS

MEMBERS = "members"
LAW_ENFORCEMENT = "law_enforcement"
MAX_REASON = 500


@dataclass(frozen=True)
class OffenderDetails:
    age_min: int | None = None
    age_max: int | None = None
    sex: str = Sex.UNKNOWN
    height_cm: int | None = None
    build: str = ""
    clothing: str = ""
    disguise: str = ""
    distinguishing_marks: str = ""


@dataclass(frozen=True)
class VehicleDetails:
    plate: str = ""
    plate_region: str = ""
    make: str = ""
    model: str = ""
    colour: str = ""
    direction_of_travel: str = ""


@dataclass(frozen=True)
class IncidentDetails:
    scenario_id: str
    nibrs_offense_code: str
    occurred_from: datetime
    latitude: float
    longitude: float
    attempt: str = Attempt.COMPLETED
    occurred_to: datetime | None = None
    address: str = ""
    location_type: str = LocationType.SPECIALTY_STORE
    premises: str = Premises.ON
    off_premises_scene: str = ""
    property_lost_cents: int = 0
    property_recovered_cents: int = 0
    currency: str = Currency.USD
    modus_operandi: tuple[str, ...] = ()
    agency: Agency | None = None
    police_case_number: str = ""
    visibility: str = Visibility.PRIVATE
    offenders: tuple[OffenderDetails, ...] = field(default_factory=tuple)
    vehicles: tuple[VehicleDetails, ...] = field(default_factory=tuple)


def _choice(name: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        raise ServiceError(name, _("Choose one of the values offered."))


def _line(name: str, value: str, max_length: int) -> str:
    try:
        cleaned = single_line_clean(value=value)
    except TextRefusedError as error:
        raise ServiceError(name, error.message) from None
    if len(cleaned) > max_length:
        raise ServiceError(name, _("Use at most %(count)d characters.") % {"count": max_length})
    return cleaned


def coordinates_check(*, latitude: float, longitude: float) -> None:
    """Refuse a point off the globe, or at (0, 0), where a missing location lands."""
    if not math.isfinite(latitude) or not -90 <= latitude <= 90:
        raise ServiceError("latitude", _("A latitude is between -90 and 90."))
    if not math.isfinite(longitude) or not -180 <= longitude <= 180:
        raise ServiceError("longitude", _("A longitude is between -180 and 180."))
    if abs(latitude) < 0.5 and abs(longitude) < 0.5:
        raise ServiceError("latitude", _("This point is at (0, 0): the location is missing."))


def _details_check(details: IncidentDetails, *, now: datetime) -> None:
    if details.scenario_id not in SCENARIO_IDS:
        raise ServiceError("scenario_id", _("Choose one of the crime scenarios."))
    if details.nibrs_offense_code not in NIBRS_CODES:
        raise ServiceError("nibrs_offense_code", _("Choose one of the NIBRS offense codes."))
    _choice("attempt", details.attempt, Attempt.values)
    _choice("location_type", details.location_type, LocationType.values)
    _choice("premises", details.premises, Premises.values)
    _choice("off_premises_scene", details.off_premises_scene, OffPremisesScene.values)
    if details.premises == Premises.OFF and not details.off_premises_scene:
        raise ServiceError("off_premises_scene", _("Say where off the premises it happened."))
    _choice("currency", details.currency, Currency.values)
    _choice("visibility", details.visibility, Visibility.values)
    for tag in details.modus_operandi:
        _choice("modus_operandi", tag, ModusOperandi.values)
    if timezone.is_naive(details.occurred_from) or (
        details.occurred_to is not None and timezone.is_naive(details.occurred_to)
    ):
        raise ServiceError("occurred_from", _("Give the time with its time zone."))
    if details.occurred_from > now:
        raise ServiceError("occurred_from", _("This time is in the future."))
    if details.occurred_to is not None and details.occurred_to < details.occurred_from:
        raise ServiceError("occurred_to", _("The end is before the start."))
    coordinates_check(latitude=details.latitude, longitude=details.longitude)
    for name in ("property_lost_cents", "property_recovered_cents"):
        amount = getattr(details, name)
        if not 0 <= amount <= 10**15:
            raise ServiceError(name, _("Give an amount of zero or more."))
    for offender in details.offenders:
        if (
            offender.age_min is not None
            and offender.age_max is not None
            and offender.age_min > offender.age_max
        ):
            raise ServiceError("offenders", _("The youngest age is above the oldest."))
        _choice("offenders", offender.sex, Sex.values)


def incident_audiences(*, incident: Incident) -> frozenset[str]:
    """Whom the incident reaches one by one, beyond its reporter and the analysts."""
    if incident.verification == Verification.REJECTED:
        return frozenset()
    if incident.visibility == Visibility.LAW_ENFORCEMENT:
        return frozenset({LAW_ENFORCEMENT})
    if incident.visibility == Visibility.MEMBERS and (
        incident.verification == Verification.VERIFIED
    ):
        return frozenset({MEMBERS})
    return frozenset()


def incident_alert_if_reaching(*, incident: Incident, before: frozenset[str]) -> None:
    """Queue the alert task on commit if ``incident`` now reaches an audience not in ``before``."""
    if incident_audiences(incident=incident) - before:
        enqueue_on_commit(incident_alert, incident_id=incident.pk)


@transaction.atomic
def incident_create(*, reporter: User, store: Store | None, details: IncidentDetails) -> Incident:
    """A member's report of an incident, with its offenders and vehicles, in one transaction."""
    now = timezone.now()
    _details_check(details, now=now)
    member = store.member if store is not None else getattr(reporter, "member", None)
    incident = Incident.objects.create(
        scenario_id=details.scenario_id,
        nibrs_offense_code=details.nibrs_offense_code,
        attempt=details.attempt,
        occurred_from=details.occurred_from,
        occurred_to=details.occurred_to,
        reported_at=now,
        address=_line("address", details.address, 200),
        latitude=details.latitude,
        longitude=details.longitude,
        **incident_cells(latitude=details.latitude, longitude=details.longitude),
        location_type=details.location_type,
        premises=details.premises,
        off_premises_scene=details.off_premises_scene,
        property_lost_cents=details.property_lost_cents,
        property_recovered_cents=details.property_recovered_cents,
        currency=details.currency,
        modus_operandi=sorted(set(details.modus_operandi)),
        agency=details.agency,
        police_case_number=_line("police_case_number", details.police_case_number, 40),
        source=Source.MEMBER_REPORT,
        reporter=reporter,
        member=member,
        store=store,
        visibility=details.visibility,
    )
    Offender.objects.bulk_create(
        Offender(
            incident=incident,
            age_min=offender.age_min,
            age_max=offender.age_max,
            sex=offender.sex,
            height_cm=offender.height_cm,
            build=offender.build,
            clothing=_line("clothing", offender.clothing, 300),
            disguise=_line("disguise", offender.disguise, 200),
            distinguishing_marks=_line("distinguishing_marks", offender.distinguishing_marks, 300),
        )
        for offender in details.offenders
    )
    Vehicle.objects.bulk_create(
        Vehicle(
            incident=incident,
            plate=_line("plate", vehicle.plate, 12).upper(),
            plate_region=_line("plate_region", vehicle.plate_region, 2).upper(),
            make=_line("make", vehicle.make, 40),
            model=_line("model", vehicle.model, 40),
            colour=_line("colour", vehicle.colour, 30),
            direction_of_travel=vehicle.direction_of_travel,
        )
        for vehicle in details.vehicles
    )
    incident_alert_if_reaching(incident=incident, before=frozenset())
    return incident


@transaction.atomic
def incident_visibility_set(*, incident: Incident, visibility: str, actor: User) -> Incident:
    """Share the incident more or less widely; alerts go out when it reaches someone new."""
    if visibility not in Visibility.values:
        raise ServiceError("visibility", _("Choose one of the values offered."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.visibility == visibility:
        return incident
    before = incident_audiences(incident=incident)
    incident.visibility = visibility
    incident.updated_at = timezone.now()
    incident.save(update_fields=["visibility", "updated_at"])
    audit_record(
        actor=actor,
        action="incident.visibility_changed",
        target=incident,
        details={"visibility": visibility},
    )
    incident_alert_if_reaching(incident=incident, before=before)
    return incident


@transaction.atomic
def incident_verify(*, incident: Incident, analyst: User) -> Incident:
    """An analyst vouches for the incident: it counts on the map and reaches its audience."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.verification == Verification.VERIFIED:
        return incident
    before = incident_audiences(incident=incident)
    incident.verification = Verification.VERIFIED
    incident.rejection_reason = ""
    incident.verified_by = analyst
    incident.verified_at = incident.updated_at = timezone.now()
    incident.save(
        update_fields=[
            "verification",
            "rejection_reason",
            "verified_by",
            "verified_at",
            "updated_at",
        ]
    )
    audit_record(actor=analyst, action="incident.verified", target=incident)
    incident_alert_if_reaching(incident=incident, before=before)
    return incident


@transaction.atomic
def incident_reject(*, incident: Incident, analyst: User, reason: str) -> Incident:
    """An analyst turns the incident down, saying why; it reaches nobody any more."""
    reason = _line("reason", reason, MAX_REASON)
    if not reason:
        raise ServiceError("reason", _("Say why the incident is rejected."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    incident.verification = Verification.REJECTED
    incident.rejection_reason = reason
    incident.verified_by = None
    incident.verified_at = None
    incident.updated_at = timezone.now()
    incident.save(
        update_fields=[
            "verification",
            "rejection_reason",
            "verified_by",
            "verified_at",
            "updated_at",
        ]
    )
    audit_record(actor=analyst, action="incident.rejected", target=incident)
    return incident
