"""The member's stores over JSON, with the same permission checks as the pages."""

from __future__ import annotations

import re
from datetime import date, time
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from jewelguard.accounts import selectors, services
from jewelguard.accounts.hours import WEEKDAYS, Weekday
from jewelguard.accounts.models import Store, User
from jewelguard.accounts.permissions import StoreAction, member_of, stores_visible_to
from jewelguard.core.forms import DATABASE_ID_MAX
from jewelguard.core.permissions import object_get_or_refuse
from jewelguard.core.text import SingleLineText

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

router = Router(tags=["stores"])

# What the store form takes: 24-hour hours and minutes on the store's own clock, no offset,
# no seconds; answers are written the same way, so what is read can be sent back.
CLOCK_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]"
CALENDAR_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _text_as(pattern: str, parsed: type, message: StrPromise) -> BeforeValidator:
    """Take the value as text matching ``pattern``, or as already parsed on the way out.

    Pydantic alone would also take numbers (seconds, timestamps) and times with an offset,
    which the schema does not promise and the store's wall clock cannot use.
    """
    compiled = re.compile(pattern)

    def check(value: object) -> object:
        if isinstance(value, parsed) or (isinstance(value, str) and compiled.fullmatch(value)):
            return value
        raise ValueError(str(message))

    return BeforeValidator(check)


ClockTime = Annotated[
    time,
    _text_as(CLOCK_TIME, time, gettext_lazy("Use a 24-hour time such as 09:30.")),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^{CLOCK_TIME}$",
            "description": "24-hour time on the store's own clock, without an offset.",
            "examples": ["09:30"],
        }
    ),
]
CalendarDate = Annotated[
    date,
    _text_as(CALENDAR_DATE, date, gettext_lazy("Use a date such as 2026-12-24.")),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-12-24"]}),
]


# A store's id in a path: a positive number the database can hold (past 2**63 - 1 SQLite
# raises instead of finding nothing).
StoreId = Annotated[int, Path(ge=1, le=DATABASE_ID_MAX)]


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


# Every operation answers 401 without a valid token or session; a body can be unreadable
# (400), too large (413), not JSON (415) or refused field by field (422); a path's store_id
# can be no number (422) or no store of yours (404).
SIGNED_OUT = {401: ErrorOut}
BODY_REFUSED = {400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ValidationErrorOut}
NO_SUCH_STORE = {404: ErrorOut, 422: ValidationErrorOut}


class DayHoursSchema(Schema):
    opens: ClockTime
    closes: ClockTime


class HoursExceptionSchema(Schema):
    date: CalendarDate
    label: SingleLineText = Field("", max_length=80)
    opens: ClockTime | None = None
    closes: ClockTime | None = None


class StoreIn(Schema):
    name: SingleLineText = Field(..., min_length=1, max_length=120)
    street_address: SingleLineText = Field(..., min_length=1, max_length=200)
    city: SingleLineText = Field("", max_length=100)
    postal_code: SingleLineText = Field(..., min_length=1, max_length=10)
    country: Literal["US", "CA"]
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    hours: dict[Weekday, DayHoursSchema] = Field(default_factory=dict)
    exceptions: list[HoursExceptionSchema] = Field(
        default_factory=list, max_length=services.MAX_HOURS_EXCEPTIONS
    )

    def details(self) -> services.StoreDetails:
        return services.StoreDetails(
            name=self.name,
            street_address=self.street_address,
            city=self.city,
            postal_code=self.postal_code,
            country=self.country,
            latitude=self.latitude,
            longitude=self.longitude,
            week={WEEKDAYS.index(day): (h.opens, h.closes) for day, h in self.hours.items()},
            exceptions=[
                services.HoursExceptionInput(
                    date=e.date, label=e.label, opens=e.opens, closes=e.closes
                )
                for e in self.exceptions
            ],
        )


class StoreOut(Schema):
    id: int
    name: str
    street_address: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: float
    longitude: float
    location_source: str
    h3_cell: str
    time_zone: str
    hours: dict[str, DayHoursSchema]
    exceptions: list[HoursExceptionSchema]

    # list_stores hands over plain rows (selectors.store_hours_rows) as ``api_hours_rows``;
    # a single store reads its own through the ORM.
    @staticmethod
    def resolve_hours(store: Store) -> dict[str, dict[str, object]]:
        rows = getattr(store, "api_hours_rows", None)
        if rows is None:
            rows = [(h.weekday, h.opens, h.closes) for h in store.hours.all()]
        return {
            WEEKDAYS[weekday]: {"opens": opens, "closes": closes} for weekday, opens, closes in rows
        }

    @staticmethod
    def resolve_exceptions(store: Store) -> list[dict[str, object]]:
        rows = getattr(store, "api_exception_rows", None)
        if rows is None:
            rows = [(e.date, e.label, e.opens, e.closes) for e in store.hours_exceptions.all()]
        return [
            {"date": day, "label": label, "opens": opens, "closes": closes}
            for day, label, opens, closes in rows
        ]


def _store(request: HttpRequest, store_id: int, action: StoreAction) -> Store:
    """The same check as the pages: 404 if not yours to see, 403 if seen but not allowed."""
    try:
        return object_get_or_refuse(
            Store.objects.select_related("member"), pk=store_id, user=request.user, action=action
        )
    except Http404:
        # The same answer whether the store does not exist or is someone else's.
        raise Http404(
            _("There is no store %(id)s among the stores you may see.") % {"id": store_id}
        ) from None
    except PermissionDenied:
        raise HttpError(403, _("You may not do that to this store.")) from None


STORES_PER_PAGE = 20
STORES_PER_PAGE_MAX = 100


class StorePages(LimitOffsetPagination):
    """``limit`` stores (1 to 100, 20 unless given) from ``offset``; ``count`` is the total."""

    class Input(Schema):
        limit: int = Field(STORES_PER_PAGE, ge=1, le=STORES_PER_PAGE_MAX)
        # Bounded so that the database is never asked for an offset it cannot hold.
        offset: int = Field(0, ge=0, le=DATABASE_ID_MAX)

    def paginate_queryset(
        self, queryset: QuerySet[Store], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        stores = list(queryset[offset : offset + limit])
        # A page that is neither empty nor full is the last one: it says how many there are,
        # without a COUNT query (a member's whole list is usually one such page).
        if stores and len(stores) < limit:
            count = offset + len(stores)
        elif not stores and offset == 0:
            count = 0
        else:
            count = self._items_count(queryset)
        # The page's hours in two plain queries (selectors.store_hours_rows), handed to
        # StoreOut, instead of ORM prefetches that cost more to build than to run.
        rows = selectors.store_hours_rows(store_ids=[store.pk for store in stores])
        for store in stores:
            store.api_hours_rows = rows.week[store.pk]  # type: ignore[attr-defined]
            store.api_exception_rows = rows.exceptions[store.pk]  # type: ignore[attr-defined]
        return {self.items_attribute: stores, "count": count}


@router.get("/stores", response={200: list[StoreOut], **SIGNED_OUT, 422: ValidationErrorOut})
@paginate(StorePages, max_limit=STORES_PER_PAGE_MAX)
def list_stores(request: HttpRequest) -> Any:
    """The stores you may see (your own, or those you work at), a page at a time, by name.

    ``count`` is how many there are in all; ask again with ``offset`` moved on by ``limit``.
    """
    return stores_visible_to(user=request.user)


@router.post("/stores", response={201: StoreOut, **SIGNED_OUT, 403: ErrorOut, **BODY_REFUSED})
def create_store(request: HttpRequest, payload: StoreIn) -> Status[Store]:
    member = member_of(user=request.user)
    if member is None:
        raise HttpError(403, _("Only member jewelers add stores."))
    return Status(201, services.store_create(member=member, details=payload.details()))


@router.get("/stores/{store_id}", response={200: StoreOut, **SIGNED_OUT, **NO_SUCH_STORE})
def get_store(request: HttpRequest, store_id: StoreId) -> Store:
    return _store(request, store_id, StoreAction.VIEW)


@router.put(
    "/stores/{store_id}",
    response={200: StoreOut, **SIGNED_OUT, 403: ErrorOut, **NO_SUCH_STORE, **BODY_REFUSED},
)
def update_store(request: HttpRequest, store_id: StoreId, payload: StoreIn) -> Store:
    store = _store(request, store_id, StoreAction.EDIT)
    return services.store_update(store=store, details=payload.details())


@router.delete(
    "/stores/{store_id}", response={204: None, **SIGNED_OUT, 403: ErrorOut, **NO_SUCH_STORE}
)
def delete_store(request: HttpRequest, store_id: StoreId) -> Status[None]:
    store = _store(request, store_id, StoreAction.DELETE)
    actor = request.user if isinstance(request.user, User) else None
    services.store_delete(store=store, actor=actor, request=request)
    return Status(204, None)
