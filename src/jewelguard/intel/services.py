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
from django.http import HttpRequest
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
    Build,
    Currency,
    Direction,
    EvidencePhoto,
    Incident,
    IncidentDraft,
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
from jewelguard.intel.photos import MAX_PHOTOS, PreparedPhoto
from jewelguard.intel.profiles import NIBRS_CODES
from jewelguard.intel.tasks import incident_alert
from jewelguard.playbook.content import SCENARIO_IDS

MEMBERS = "members"
LAW_ENFORCEMENT = "law_enforcement"
MAX_REASON = 500
MAX_OFFENDERS = 20
MAX_VEHICLES = 10
# A draft holds what a report form sends: a few dozen fields of at most a few hundred
# characters; anything far larger is not a report being typed.
MAX_DRAFT_FIELDS = 400
MAX_DRAFT_VALUE = 2_000
MAX_DRAFT_BYTES = 64 * 1024
# The report page's own token, kept in its draft; a closed draft holds only DRAFT_CLOSED.
DRAFT_TOKEN = "draft_token"  # noqa: S105  # a form field's name, no secret
DRAFT_CLOSED = "closed"


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
    if len(details.offenders) > MAX_OFFENDERS:
        raise ServiceError(
            "offenders", _("Describe at most %(count)d offenders.") % {"count": MAX_OFFENDERS}
        )
    if len(details.vehicles) > MAX_VEHICLES:
        raise ServiceError(
            "vehicles", _("Describe at most %(count)d vehicles.") % {"count": MAX_VEHICLES}
        )
    for vehicle in details.vehicles:
        _choice("direction_of_travel", vehicle.direction_of_travel, Direction.values)
    for offender in details.offenders:
        for name, highest in (("age_min", 120), ("age_max", 120), ("height_cm", 250)):
            value = getattr(offender, name)
            if value is not None and not 0 <= value <= highest:
                raise ServiceError(
                    name, _("Give a number from 0 to %(highest)d.") % {"highest": highest}
                )
        _choice("build", offender.build, Build.values)
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


def _parts_create(incident: Incident, details: IncidentDetails) -> None:
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
    _parts_create(incident, details)
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
def incident_verify(
    *, incident: Incident, analyst: User, request: HttpRequest | None = None
) -> Incident:
    """An analyst vouches for the incident: it counts on the map and reaches its audience."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.merged_into_id is not None:
        raise ServiceError("verification", _("This incident was merged into another one."))
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
    audit_record(actor=analyst, action="incident.verified", target=incident, request=request)
    incident_alert_if_reaching(incident=incident, before=before)
    return incident


@transaction.atomic
def incident_reject(
    *, incident: Incident, analyst: User, reason: str, request: HttpRequest | None = None
) -> Incident:
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
    audit_record(actor=analyst, action="incident.rejected", target=incident, request=request)
    return incident


def _moderation_open_check(incident: Incident) -> None:
    if incident.verification in (Verification.VERIFIED, Verification.REJECTED):
        raise ServiceError(
            "verification",
            _("This incident is %(state)s: it can no longer be changed.")
            % {"state": incident.get_verification_display().lower()},
        )


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    actor: User,
    details: IncidentDetails,
    request: HttpRequest | None = None,
) -> Incident:
    """Rewrite a report while it is not yet verified or rejected; its parts are replaced."""
    _details_check(details, now=timezone.now())
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _moderation_open_check(incident)
    before = incident_audiences(incident=incident)
    incident.scenario_id = details.scenario_id
    incident.nibrs_offense_code = details.nibrs_offense_code
    incident.attempt = details.attempt
    incident.occurred_from = details.occurred_from
    incident.occurred_to = details.occurred_to
    incident.address = _line("address", details.address, 200)
    incident.latitude = details.latitude
    incident.longitude = details.longitude
    for column, cell in incident_cells(
        latitude=details.latitude, longitude=details.longitude
    ).items():
        setattr(incident, column, cell)
    incident.location_type = details.location_type
    incident.premises = details.premises
    incident.off_premises_scene = details.off_premises_scene
    incident.property_lost_cents = details.property_lost_cents
    incident.property_recovered_cents = details.property_recovered_cents
    incident.currency = details.currency
    incident.modus_operandi = sorted(set(details.modus_operandi))
    incident.agency = details.agency
    incident.police_case_number = _line("police_case_number", details.police_case_number, 40)
    incident.visibility = details.visibility
    incident.updated_at = timezone.now()
    incident.save()
    incident.offenders.all().delete()
    incident.vehicles.all().delete()
    _parts_create(incident, details)
    audit_record(actor=actor, action="incident.updated", target=incident, request=request)
    incident_alert_if_reaching(incident=incident, before=before)
    return incident


def incident_details_of(*, incident: Incident) -> IncidentDetails:
    """What ``incident`` holds, as the details a report is written with (to change a few)."""
    return IncidentDetails(
        scenario_id=incident.scenario_id,
        nibrs_offense_code=incident.nibrs_offense_code,
        occurred_from=incident.occurred_from,
        latitude=incident.latitude,
        longitude=incident.longitude,
        attempt=incident.attempt,
        occurred_to=incident.occurred_to,
        address=incident.address,
        location_type=incident.location_type,
        premises=incident.premises,
        off_premises_scene=incident.off_premises_scene,
        property_lost_cents=incident.property_lost_cents,
        property_recovered_cents=incident.property_recovered_cents,
        currency=incident.currency,
        modus_operandi=tuple(incident.modus_operandi),
        agency=incident.agency,
        police_case_number=incident.police_case_number,
        visibility=incident.visibility,
        offenders=tuple(
            OffenderDetails(
                age_min=o.age_min,
                age_max=o.age_max,
                sex=o.sex,
                height_cm=o.height_cm,
                build=o.build,
                clothing=o.clothing,
                disguise=o.disguise,
                distinguishing_marks=o.distinguishing_marks,
            )
            for o in incident.offenders.all()
        ),
        vehicles=tuple(
            VehicleDetails(
                plate=v.plate,
                plate_region=v.plate_region,
                make=v.make,
                model=v.model,
                colour=v.colour,
                direction_of_travel=v.direction_of_travel,
            )
            for v in incident.vehicles.all()
        ),
    )


@transaction.atomic
def incident_report(
    *,
    reporter: User,
    store: Store | None,
    details: IncidentDetails,
    photos: tuple[tuple[PreparedPhoto, str], ...] = (),
    draft_token: str = "",
) -> Incident:
    """A report with its evidence photos (already checked and re-encoded), in one transaction.

    The reporter's draft, if any, is done with: closed under ``draft_token`` (see
    ``incident_draft_save``).
    """
    if len(photos) > MAX_PHOTOS:
        raise ServiceError("photos", _("Send at most %(count)d photos.") % {"count": MAX_PHOTOS})
    incident = incident_create(reporter=reporter, store=store, details=details)
    for photo, caption in photos:
        evidence_photo_add(incident=incident, photo=photo, caption=caption)
    _draft_close(reporter, draft_token)
    return incident


def evidence_photo_add(
    *, incident: Incident, photo: PreparedPhoto, caption: str = ""
) -> EvidencePhoto:
    """Store one re-encoded photo with the incident."""
    return EvidencePhoto.objects.create(
        incident=incident, image=photo.content, caption=_line("caption", caption, 200)
    )


@transaction.atomic
def incident_review_start(
    *, incident: Incident, analyst: User, request: HttpRequest | None = None
) -> Incident:
    """An analyst takes a submitted incident up: the reporter sees it is being looked at."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.verification != Verification.SUBMITTED:
        return incident
    incident.verification = Verification.UNDER_REVIEW
    incident.updated_at = timezone.now()
    incident.save(update_fields=["verification", "updated_at"])
    audit_record(actor=analyst, action="incident.review_started", target=incident, request=request)
    return incident


@transaction.atomic
def incident_merge(
    *,
    duplicate: Incident,
    kept: Incident,
    analyst: User,
    request: HttpRequest | None = None,
) -> Incident:
    """Record ``duplicate`` as the same crime as ``kept``: it points there and counts nowhere.

    The duplicate is rejected with the reason "duplicate of #kept", so that every list, map
    cell and count (all of which take verified incidents only) leaves it out, and nothing is
    counted twice; ``kept`` is not changed. Refused for an incident merged already, for
    merging an incident into itself, and into one merged away.
    """
    if duplicate.pk == kept.pk:
        raise ServiceError("kept", _("An incident cannot be merged into itself."))
    locked = {
        i.pk: i for i in Incident.objects.select_for_update().filter(pk__in=(duplicate.pk, kept.pk))
    }
    duplicate, kept = locked[duplicate.pk], locked[kept.pk]
    if kept.merged_into_id is not None:
        raise ServiceError(
            "kept",
            _("Incident #%(pk)d was itself merged into #%(into)d: merge into that one.")
            % {"pk": kept.pk, "into": kept.merged_into_id},
        )
    if kept.verification == Verification.REJECTED:
        raise ServiceError("kept", _("Keep an incident that is not rejected."))
    if duplicate.merged_into_id is not None:
        raise ServiceError("duplicate", _("This incident is merged already."))
    duplicate.merged_into = kept
    duplicate.verification = Verification.REJECTED
    duplicate.rejection_reason = _("Duplicate of incident #%(pk)d.") % {"pk": kept.pk}
    duplicate.verified_by = None
    duplicate.verified_at = None
    duplicate.updated_at = timezone.now()
    duplicate.save(
        update_fields=[
            "merged_into",
            "verification",
            "rejection_reason",
            "verified_by",
            "verified_at",
            "updated_at",
        ]
    )
    # Duplicates of the duplicate follow it to the kept one, so no chain is ever longer.
    Incident.objects.filter(merged_into=duplicate).update(merged_into=kept)
    audit_record(
        actor=analyst,
        action="incident.merged",
        target=duplicate,
        details={"into": kept.pk},
        request=request,
    )
    return duplicate


@transaction.atomic
def incident_draft_save(*, user: User, fields: dict[str, list[str]]) -> IncidentDraft | None:
    """Keep what the report form holds now, replacing the user's previous draft.

    Each report page carries a token (``DRAFT_TOKEN``); once that report is sent or its draft
    discarded, the draft is closed under the token, and a save that was still on its way
    from the same page is ignored (None) instead of bringing the draft back.

    Refuses (naming ``draft``) a draft far larger than any report: too many fields, a value
    over ``MAX_DRAFT_VALUE`` characters, or over ``MAX_DRAFT_BYTES`` in all.
    """
    if len(fields) > MAX_DRAFT_FIELDS:
        raise ServiceError("draft", _("This draft has too many fields to keep."))
    total = 0
    for name, values in fields.items():
        if len(name) > 100 or len(values) > 20:
            raise ServiceError("draft", _("This draft has too many fields to keep."))
        for value in values:
            if len(value) > MAX_DRAFT_VALUE:
                raise ServiceError(
                    "draft",
                    _("A field of this draft is over %(count)d characters.")
                    % {"count": MAX_DRAFT_VALUE},
                )
            total += len(name) + len(value.encode())
    if total > MAX_DRAFT_BYTES:
        raise ServiceError("draft", _("This draft is too large to keep."))
    # PostgreSQL's JSON holds no NUL character; a draft is only kept text, and the form
    # refuses hidden characters when the report is sent.
    kept = {
        name.replace("\x00", ""): [value.replace("\x00", "") for value in values]
        for name, values in fields.items()
    }
    token = (fields.get(DRAFT_TOKEN) or [""])[-1]
    current = IncidentDraft.objects.select_for_update().filter(user=user).first()
    if current is not None and token and current.fields.get(DRAFT_CLOSED) == [token]:
        return None
    draft, _created = IncidentDraft.objects.update_or_create(
        user=user, defaults={"fields": kept, "updated_at": timezone.now()}
    )
    return draft


def _draft_close(user: User, token: str) -> None:
    token = token[:64]
    if not token:
        IncidentDraft.objects.filter(user=user).delete()
        return
    IncidentDraft.objects.update_or_create(
        user=user, defaults={"fields": {DRAFT_CLOSED: [token]}, "updated_at": timezone.now()}
    )


@transaction.atomic
def incident_draft_discard(*, user: User, draft_token: str = "") -> None:
    """Throw the user's draft away (nothing happens if there is none)."""
    _draft_close(user, draft_token)
