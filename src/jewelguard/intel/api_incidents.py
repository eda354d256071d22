"""Incidents over JSON: report, list (filtered, a cursor at a time), read, and change while
not yet verified. The same permission checks as the pages: what a user may not see is a 404.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import AwareDatetime, BeforeValidator, ConfigDict, WithJsonSchema

from jewelguard.accounts.api import CalendarDate
from jewelguard.accounts.models import Role, Store, User
from jewelguard.accounts.permissions import (
    StoreAction,
    member_of,
    stores_visible_to,
    user_is_association_staff,
)
from jewelguard.core.errors import ServiceError
from jewelguard.core.forms import DATABASE_ID_MAX
from jewelguard.core.permissions import Action, object_get_or_refuse, restrict
from jewelguard.core.text import SingleLineText
from jewelguard.intel import services
from jewelguard.intel.models import (
    Attempt,
    Build,
    Direction,
    Incident,
    LocationType,
    ModusOperandi,
    OffPremisesScene,
    Premises,
    Sex,
    Source,
    Verification,
    Visibility,
)
from jewelguard.intel.profiles import NIBRS_CODES
from jewelguard.playbook.content import SCENARIO_IDS

router = Router(tags=["incidents"])

IncidentId = Annotated[int, Path(ge=1, le=DATABASE_ID_MAX)]
PER_PAGE = 50
PER_PAGE_MAX = 200
CURSOR_SALT = "jewelguard.intel.incidents.cursor"
MAX_CURSOR = 300

# The schema lists the values, from the playbook's scenarios and the NIBRS codes taken.
if TYPE_CHECKING:
    ScenarioId = str
    NibrsCode = str
else:
    ScenarioId = Literal[SCENARIO_IDS]
    NibrsCode = Literal[tuple(sorted(NIBRS_CODES))]


_ISO_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


def _time_text(value: object) -> object:
    """Only ISO 8601 text (or a parsed time): pydantic would also take a number of seconds."""
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_TIME.match(value)):
        return value
    raise ValueError(_("Give the time as ISO 8601 with its offset: 2026-03-04T15:30:00-07:00."))


AwareTime = Annotated[
    AwareDatetime,
    BeforeValidator(_time_text),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "examples": ["2026-03-04T15:30:00-07:00"]}
    ),
]


class ErrorOut(Schema):
    """A refusal, in a sentence."""

    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """Input refused field by field: where (``loc``, ending in the field) and why (``msg``)."""

    detail: list[FieldErrorOut]


SIGNED_OUT = {401: ErrorOut}
BODY_REFUSED = {400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ValidationErrorOut}
NOT_FOUND = {404: ErrorOut, 422: ValidationErrorOut}


class OffenderSchema(Schema):
    # A field this API does not know is refused, not dropped: no race, ethnicity or religion.
    model_config = ConfigDict(extra="forbid")

    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    sex: Sex = Sex.UNKNOWN
    height_cm: int | None = Field(None, ge=0, le=250)
    build: Build = Build.UNKNOWN
    clothing: SingleLineText = Field("", max_length=300)
    disguise: SingleLineText = Field("", max_length=200)
    distinguishing_marks: SingleLineText = Field("", max_length=300)


class VehicleSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    plate: SingleLineText = Field("", max_length=12)
    plate_region: SingleLineText = Field("", max_length=2)
    make: SingleLineText = Field("", max_length=40)
    model: SingleLineText = Field("", max_length=40)
    colour: SingleLineText = Field("", max_length=30)
    direction_of_travel: Direction = Direction.UNKNOWN


class IncidentIn(Schema):
    """A report. Without ``latitude``/``longitude`` the store's location is used."""

    model_config = ConfigDict(extra="forbid")

    scenario_id: ScenarioId
    nibrs_offense_code: NibrsCode
    occurred_from: AwareTime
    occurred_to: AwareTime | None = None
    attempt: Attempt = Attempt.COMPLETED
    store_id: int | None = Field(None, ge=1, le=DATABASE_ID_MAX)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: SingleLineText = Field("", max_length=200)
    location_type: LocationType = LocationType.SPECIALTY_STORE
    premises: Premises = Premises.ON
    off_premises_scene: OffPremisesScene = OffPremisesScene.NONE
    property_lost_cents: int = Field(0, ge=0, le=10**15)
    property_recovered_cents: int = Field(0, ge=0, le=10**15)
    modus_operandi: list[ModusOperandi] = Field(default_factory=list, max_length=20)
    police_case_number: SingleLineText = Field("", max_length=40)
    visibility: Visibility = Visibility.PRIVATE
    offenders: list[OffenderSchema] = Field(default_factory=list, max_length=services.MAX_OFFENDERS)
    vehicles: list[VehicleSchema] = Field(default_factory=list, max_length=services.MAX_VEHICLES)


class IncidentPatch(Schema):
    """Only the fields sent are changed; ``offenders`` and ``vehicles``, when sent, replace
    the ones recorded."""

    model_config = ConfigDict(extra="forbid")

    scenario_id: ScenarioId | None = None
    nibrs_offense_code: NibrsCode | None = None
    occurred_from: AwareTime | None = None
    occurred_to: AwareTime | None = None
    attempt: Attempt | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: SingleLineText | None = Field(None, max_length=200)
    location_type: LocationType | None = None
    premises: Premises | None = None
    off_premises_scene: OffPremisesScene | None = None
    property_lost_cents: int | None = Field(None, ge=0, le=10**15)
    property_recovered_cents: int | None = Field(None, ge=0, le=10**15)
    modus_operandi: list[ModusOperandi] | None = Field(None, max_length=20)
    police_case_number: SingleLineText | None = Field(None, max_length=40)
    visibility: Visibility | None = None
    offenders: list[OffenderSchema] | None = Field(None, max_length=services.MAX_OFFENDERS)
    vehicles: list[VehicleSchema] | None = Field(None, max_length=services.MAX_VEHICLES)


class IncidentOut(Schema):
    id: int
    scenario_id: str
    nibrs_offense_code: str
    attempt: str
    occurred_from: datetime
    occurred_to: datetime | None
    reported_at: datetime
    address: str
    latitude: float
    longitude: float
    location_type: str
    premises: str
    off_premises_scene: str
    property_lost_cents: int
    property_recovered_cents: int
    currency: str
    modus_operandi: list[str]
    police_case_number: str
    source: str
    store_id: int | None
    visibility: str
    verification: str
    rejection_reason: str
    merged_into_id: int | None
    offenders: list[OffenderSchema]
    vehicles: list[VehicleSchema]

    @staticmethod
    def resolve_store_id(incident: Incident, context: dict[str, Any]) -> int | None:
        """The store only to those who see it anyway: an incident shared with members or
        police does not say which member's store reported it."""
        if incident.store_id is None:
            return None
        request = context["request"]
        if user_is_association_staff(user=request.user):
            return incident.store_id
        # The stores the user may see, read once per request (a list shows many incidents).
        stores: frozenset[int] | None = getattr(request, "intel_visible_store_ids", None)
        if stores is None:
            stores = frozenset(stores_visible_to(user=request.user).values_list("pk", flat=True))
            request.intel_visible_store_ids = stores
        return incident.store_id if incident.store_id in stores else None

    @staticmethod
    def resolve_offenders(incident: Incident) -> list[dict[str, Any]]:
        return [
            {name: getattr(o, name) for name in OffenderSchema.model_fields}
            for o in incident.offenders.all()
        ]

    @staticmethod
    def resolve_vehicles(incident: Incident) -> list[dict[str, Any]]:
        return [
            {name: getattr(v, name) for name in VehicleSchema.model_fields}
            for v in incident.vehicles.all()
        ]


class IncidentPage(Schema):
    """One page, newest first; ask again with ``cursor=next_cursor`` while it is not null."""

    items: list[IncidentOut]
    next_cursor: str | None


class IncidentFilters(Schema):
    scenario: ScenarioId | None = None
    status: Verification | None = None
    source: Source | None = None
    since: CalendarDate | None = Field(None, description="Occurred on or after this day (UTC).")
    until: CalendarDate | None = Field(None, description="Occurred before this day (UTC).")
    bbox: str | None = Field(
        None, max_length=200, description="west,south,east,north in degrees, west before east."
    )
    cursor: str | None = Field(None, max_length=MAX_CURSOR)
    limit: int = Field(PER_PAGE, ge=1, le=PER_PAGE_MAX)


def _field_refused(where: str, field: str, message: str) -> Status[dict[str, Any]]:
    return Status(422, {"detail": [{"type": "invalid", "loc": [where, field], "msg": message}]})


def _service_refused(error: ServiceError) -> Status[dict[str, Any]]:
    return Status(
        422,
        {
            "detail": [
                {"type": "invalid", "loc": ["body", "payload", error.field], "msg": error.message}
            ]
        },
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _incident(request: HttpRequest, incident_id: int, action: str) -> Incident:
    try:
        return object_get_or_refuse(
            Incident.objects.select_related("store", "agency").prefetch_related(
                "offenders", "vehicles"
            ),
            pk=incident_id,
            user=request.user,
            action=action,
        )
    except Http404:
        raise Http404(
            _("There is no incident %(id)s among those you may see.") % {"id": incident_id}
        ) from None
    except PermissionDenied:
        raise HttpError(403, _("You may not change this incident.")) from None


def _offenders(rows: list[OffenderSchema]) -> tuple[services.OffenderDetails, ...]:
    return tuple(services.OffenderDetails(**row.model_dump()) for row in rows)


def _vehicles(rows: list[VehicleSchema]) -> tuple[services.VehicleDetails, ...]:
    return tuple(services.VehicleDetails(**row.model_dump()) for row in rows)


def _bbox(text: str) -> tuple[float, float, float, float] | None:
    parts = text.split(",")
    if len(parts) != 4:
        return None
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        return None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


def _cursor_make(incident: Incident) -> str:
    token = signing.dumps([incident.occurred_from.isoformat(), incident.pk], salt=CURSOR_SALT)
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def _cursor_read(text: str) -> tuple[datetime, int] | None:
    try:
        token = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        occurred, pk = signing.loads(token, salt=CURSOR_SALT)
        when = datetime.fromisoformat(occurred)
    except (binascii.Error, UnicodeDecodeError, signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not 1 <= pk <= DATABASE_ID_MAX or when.tzinfo is None:
        return None
    return when, pk


def _may_report(user: User) -> bool:
    if user.role == Role.MEMBER:
        return True
    return restrict(Store.objects.all(), user=user, action=StoreAction.REPORT).exists()


@router.post("/incidents", response={201: IncidentOut, **SIGNED_OUT, 403: ErrorOut, **BODY_REFUSED})
def create_incident(request: HttpRequest, payload: IncidentIn) -> Status[Any]:
    """Report an incident, for one of your stores (``store_id``) or, for a member, at a point.

    Members report for their own stores; staff for the stores where they hold the "report"
    right. It is submitted for the association's review.
    """
    user = _user(request)
    if not _may_report(user):
        raise HttpError(403, _("Only member jewelers and their staff report incidents."))
    store = None
    if payload.store_id is not None:
        store = (
            restrict(Store.objects.all(), user=user, action=StoreAction.REPORT)
            .filter(pk=payload.store_id)
            .first()
        )
        if store is None:
            return _field_refused(
                "body", "store_id", _("Choose one of the stores you may report for.")
            )
    elif user.role != Role.MEMBER or member_of(user=user) is None:
        return _field_refused("body", "store_id", _("Say which store this happened at."))
    latitude = (
        payload.latitude if payload.latitude is not None else getattr(store, "latitude", None)
    )
    longitude = (
        payload.longitude if payload.longitude is not None else getattr(store, "longitude", None)
    )
    if latitude is None or longitude is None:
        return _field_refused(
            "body", "latitude", _("Give latitude and longitude, or the store it happened at.")
        )
    details = services.IncidentDetails(
        scenario_id=payload.scenario_id,
        nibrs_offense_code=payload.nibrs_offense_code,
        occurred_from=payload.occurred_from,
        occurred_to=payload.occurred_to,
        latitude=latitude,
        longitude=longitude,
        attempt=payload.attempt,
        address=payload.address,
        location_type=payload.location_type,
        premises=payload.premises,
        off_premises_scene=payload.off_premises_scene,
        property_lost_cents=payload.property_lost_cents,
        property_recovered_cents=payload.property_recovered_cents,
        currency="CAD" if store is not None and store.country == "CA" else "USD",
        modus_operandi=tuple(payload.modus_operandi),
        police_case_number=payload.police_case_number,
        visibility=payload.visibility,
        offenders=_offenders(payload.offenders),
        vehicles=_vehicles(payload.vehicles),
    )
    try:
        incident = services.incident_create(reporter=user, store=store, details=details)
    except ServiceError as error:
        return _service_refused(error)
    return Status(201, _incident(request, incident.pk, Action.VIEW))


@router.get("/incidents", response={200: IncidentPage, **SIGNED_OUT, 422: ValidationErrorOut})
def list_incidents(request: HttpRequest, filters: Query[IncidentFilters]) -> Any:
    """The incidents you may see, newest first, ``limit`` at a time (duplicates merged away
    are left out). Filters combine; ``status`` is the verification state."""
    incidents: QuerySet[Incident] = (
        restrict(Incident.objects.all(), user=request.user, action=Action.VIEW)
        .filter(merged_into__isnull=True)
        .prefetch_related("offenders", "vehicles")
        .order_by("-occurred_from", "-pk")
    )
    if filters.scenario:
        incidents = incidents.filter(scenario_id=filters.scenario)
    if filters.status:
        incidents = incidents.filter(verification=filters.status)
    if filters.source:
        incidents = incidents.filter(source=filters.source)
    if filters.since:
        incidents = incidents.filter(
            occurred_from__gte=datetime.combine(filters.since, time(), tzinfo=UTC)
        )
    if filters.until:
        incidents = incidents.filter(
            occurred_from__lt=datetime.combine(filters.until, time(), tzinfo=UTC)
        )
    if filters.bbox is not None:
        box = _bbox(filters.bbox)
        if box is None:
            return _field_refused(
                "query",
                "bbox",
                _("Give bbox as west,south,east,north in degrees, west before east."),
            )
        west, south, east, north = box
        incidents = incidents.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    if filters.cursor:
        after = _cursor_read(filters.cursor)
        if after is None:
            return _field_refused(
                "query",
                "cursor",
                _("This cursor is not one this API gave; start again without it."),
            )
        when, pk = after
        incidents = incidents.filter(Q(occurred_from__lt=when) | Q(occurred_from=when, pk__lt=pk))
    found = list(incidents[: filters.limit + 1])
    items = found[: filters.limit]
    more = len(found) > filters.limit
    return {"items": items, "next_cursor": _cursor_make(items[-1]) if more else None}


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **SIGNED_OUT, **NOT_FOUND})
def get_incident(request: HttpRequest, incident_id: IncidentId) -> Incident:
    return _incident(request, incident_id, Action.VIEW)


@router.patch(
    "/incidents/{incident_id}",
    response={
        200: IncidentOut,
        **SIGNED_OUT,
        403: ErrorOut,
        409: ErrorOut,
        **NOT_FOUND,
        **BODY_REFUSED,
    },
)
def update_incident(request: HttpRequest, incident_id: IncidentId, payload: IncidentPatch) -> Any:
    """Change your report while the association has not verified or rejected it (409 after).

    Only the fields sent change; sending ``null`` for a field leaves it as it is.
    """
    user = _user(request)
    incident = _incident(request, incident_id, Action.VIEW)
    member = member_of(user=user)
    reported_here = incident.reporter_id == user.pk or (
        member is not None and incident.member_id == member.pk
    )
    if reported_here and incident.verification in (Verification.VERIFIED, Verification.REJECTED):
        raise HttpError(
            409,
            _("This incident is %(state)s: it can no longer be changed.")
            % {"state": incident.get_verification_display().lower()},
        )
    incident = _incident(request, incident_id, Action.CHANGE)
    current = services.incident_details_of(incident=incident)
    sent = payload.model_dump(exclude_unset=True, exclude_none=True)
    changes: dict[str, Any] = {
        name: value for name, value in sent.items() if name not in ("offenders", "vehicles")
    }
    if "modus_operandi" in changes:
        changes["modus_operandi"] = tuple(changes["modus_operandi"])
    if payload.offenders is not None:
        changes["offenders"] = _offenders(payload.offenders)
    if payload.vehicles is not None:
        changes["vehicles"] = _vehicles(payload.vehicles)
    details = services.IncidentDetails(**{**current.__dict__, **changes})
    try:
        services.incident_update(incident=incident, actor=user, details=details, request=request)
    except ServiceError as error:
        if error.field == "verification":
            raise HttpError(409, error.message) from None
        return _service_refused(error)
    return _incident(request, incident_id, Action.VIEW)
