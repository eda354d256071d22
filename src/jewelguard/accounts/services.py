"""Every write in the accounts room: members, stores and their hours, staff, API tokens."""

from __future__ import annotations

import dataclasses
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.signing import Signer
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jewelguard.accounts import geo, selectors
from jewelguard.accounts.hours import WEEKDAYS, HoursError, check_day
from jewelguard.accounts.models import (
    Agency,
    AnalystGrant,
    ApiToken,
    BusinessHours,
    Country,
    HoursException,
    LocationSource,
    Member,
    Role,
    StaffGrant,
    StaffInvitation,
    StaffRight,
    Store,
    User,
)
from jewelguard.core.audit import audit_record
from jewelguard.core.errors import ServiceError
from jewelguard.core.mail import email_delivery_retry, email_send_on_commit
from jewelguard.core.models import EmailDelivery
from jewelguard.core.selectors import email_deliveries_latest
from jewelguard.core.text import TextRefusedError, single_line_clean

logger = logging.getLogger(__name__)

INVITATION_SIGNER_SALT = "jewelguard.accounts.staff-invitation"

INVITATION_LIFETIME = timedelta(days=14)
# A year of special days, leap day included.
MAX_HOURS_EXCEPTIONS = 366
# How many stores one member may have unless settings.JEWELGUARD_MAX_STORES_PER_MEMBER says.
MAX_STORES_PER_MEMBER = 100
SINGLE_LINE_FIELDS = ("name", "street_address", "city")
# Set from the geocoder, never typed in: skipped by model checks when placing failed.
LOCATION_FIELDS = {
    "city", "region", "postal_code", "latitude", "longitude", "location_source", "time_zone",
    "h3_cell",
}  # fmt: skip


@dataclass(frozen=True)
class HoursExceptionInput:
    date: date
    label: str = ""
    opens: time | None = None
    closes: time | None = None


@dataclass(frozen=True)
class StoreDetails:
    """What a jeweler tells us about a store. Location comes from the ZIP code unless given."""

    name: str
    street_address: str
    postal_code: str
    country: str
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # weekday (0 = Monday) -> (opens, closes); a missing day is closed.
    week: dict[int, tuple[time | None, time | None]] = field(default_factory=dict)
    exceptions: list[HoursExceptionInput] = field(default_factory=list)


def _one_line(*, field: str, value: str) -> str:
    """``value`` normalised as one line of visible text, or a ValidationError on ``field``."""
    try:
        return single_line_clean(value=value)
    except TextRefusedError as error:
        raise ValidationError({field: error.message}) from None


def _admin_access(role: Role) -> tuple[bool, bool]:
    """(is_staff, is_superuser) for a role: the one rule for who enters the admin site."""
    return role in (Role.ANALYST, Role.ADMIN), role == Role.ADMIN


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    role: Role = Role.MEMBER,
    full_name: str = "",
    agency: Agency | None = None,
    email_verified: bool = False,
) -> User:
    """A person who can sign in; ``email_verified`` for people an operator vouches for.

    Analysts and administrators use the admin site (``_admin_access``); what they may see
    and do there is the room policies' business (accounts/permissions.py).
    """
    is_staff, is_superuser = _admin_access(role)
    user = User(
        email=email.strip().lower(),
        role=role,
        full_name=_one_line(field="full_name", value=full_name),
        agency=agency,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


@transaction.atomic
def user_access_sync(*, user: User) -> None:
    """Make admin-site entry follow the role: analysts and admins enter, others do not.

    Called whenever a role is set outside ``user_create``, e.g. by an administrator in the admin.
    What each may do once in is decided by the room policies, not by Django's model permissions.
    """
    user.is_staff, user.is_superuser = _admin_access(Role(user.role))
    user.save(update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def member_create(*, owner: User, name: str) -> Member:
    member = Member(owner=owner, name=_one_line(field="name", value=name))
    member.full_clean()
    member.save()
    return member


def signup_business_name_check(*, email: str, business_name: str) -> None:
    """Only someone invited as staff (an open invitation to ``email``) may give no business
    name; anyone else is refused, naming the field. The sign-up form asks this before the
    account exists."""
    if business_name.strip() or selectors.staff_invitation_open_for(email=email):
        return
    raise ServiceError(
        "business_name",
        _("Give your business name; only people invited as staff may leave it empty."),
    )


@transaction.atomic
def user_signup_complete(*, user: User, full_name: str, business_name: str) -> Member | None:
    """Finish a sign-up: with a business name the user becomes its member; without one
    (someone invited as staff) the user joins as staff, and accepting the invitation grants
    the stores. Raises ServiceError, changing nothing, for no business name and no
    invitation."""
    user.full_name = _one_line(field="full_name", value=full_name)
    business_name = _one_line(field="business_name", value=business_name)
    signup_business_name_check(email=user.email, business_name=business_name)
    if business_name:
        user.save(update_fields=["full_name"])
        try:
            return member_create(owner=user, name=business_name)
        except ValidationError as error:
            raise ValidationError({"business_name": error.messages}) from None
    user.role = Role.STAFF
    user.save(update_fields=["full_name", "role"])
    return None


def _same_point(place: geo.Place, latitude: float, longitude: float) -> bool:
    return abs(place.latitude - latitude) < 1e-6 and abs(place.longitude - longitude) < 1e-6


def _locate(details: StoreDetails) -> tuple[geo.Place, LocationSource]:
    """Where the store is: a map pick near its postal code wins; otherwise the code's centre.

    A pick further from the postal code's centre than ``geo.map_pick_max_km`` is refused, so
    that the postal code, city, province or state and time zone always describe one place.
    """
    if details.country not in Country.values:
        raise geo.GeoError("country", _("Choose the United States or Canada."))
    code = geo.normalize_postal_code(postal_code=details.postal_code, country=details.country)
    picked = details.latitude is not None or details.longitude is not None
    if not picked:
        found = geo.postal_code_place(postal_code=code, country=details.country)
        if details.city.strip():
            found = dataclasses.replace(found, city=details.city.strip())
        return found, LocationSource.POSTAL_CODE
    if details.latitude is None or details.longitude is None:
        missing = "latitude" if details.latitude is None else "longitude"
        raise geo.GeoError(missing, _("Give both latitude and longitude, or neither."))
    latitude, longitude = details.latitude, details.longitude
    geo.check_coordinates(latitude=latitude, longitude=longitude, country=details.country)
    known_city, known_region = "", geo.region_for(postal_code=code, country=details.country)
    try:
        zip_place: geo.Place | None = geo.postal_code_place(
            postal_code=code, country=details.country
        )
    except geo.UnplacedPostalCodeError as unplaced:
        # A known code without a known centre: the pick places it.
        zip_place = None
        known_city, known_region = unplaced.city, unplaced.region or known_region
    if zip_place is not None:
        if _same_point(zip_place, latitude, longitude):
            # The postal code's own centre sent back (e.g. a store read from the API and
            # saved again) is not a pick: the store stays placed by its postal code.
            return _locate(dataclasses.replace(details, latitude=None, longitude=None))
        away = geo.distance_km(
            latitude=latitude,
            longitude=longitude,
            to_latitude=zip_place.latitude,
            to_longitude=zip_place.longitude,
        )
        if away > geo.map_pick_max_km(postal_code=code, country=details.country):
            raise geo.GeoError(
                "latitude",
                _(
                    "That point is %(km)d km from postal code %(code)s. Check the postal "
                    "code, or click the store's own spot on the map."
                )
                % {"km": round(away), "code": code},
            )
    place = geo.Place(
        postal_code=code,
        city=details.city.strip() or (zip_place.city if zip_place else known_city),
        region=zip_place.region if zip_place else known_region,
        latitude=latitude,
        longitude=longitude,
        time_zone=geo.time_zone_at(latitude=latitude, longitude=longitude),
    )
    return place, LocationSource.MAP


def _checked_hours(
    details: StoreDetails,
) -> tuple[list[tuple[int, time, time]], list[HoursExceptionInput], dict[str, list[str]]]:
    """The week and special days as given, and every problem with them keyed by field."""
    errors: dict[str, list[str]] = {}
    week: list[tuple[int, time, time]] = []
    for weekday, (opens, closes) in sorted(details.week.items()):
        if weekday not in range(7):
            errors.setdefault("hours", []).append(_("Weekdays run from Monday (0) to Sunday (6)."))
            continue
        try:
            day = check_day(field=WEEKDAYS[weekday], weekday=weekday, opens=opens, closes=closes)
        except HoursError as error:
            errors.setdefault(f"hours_{error.field}", []).append(error.message)
            continue
        if day is not None:
            week.append((day.weekday, day.opens, day.closes))
    if len(details.exceptions) > MAX_HOURS_EXCEPTIONS:
        errors["exceptions"] = [_("At most %(n)d special days.") % {"n": MAX_HOURS_EXCEPTIONS}]
        return week, details.exceptions, errors
    seen: set[date] = set()
    for row, exception in enumerate(details.exceptions, start=1):
        problem = None
        if exception.date in seen:
            problem = _("Row %(row)d: %(date)s is listed twice.") % {
                "row": row,
                "date": exception.date.isoformat(),
            }
        elif (label_problem := _single_line_problem(exception.label)) is not None:
            problem = _("Row %(row)d: %(msg)s") % {"row": row, "msg": label_problem}
        else:
            try:
                check_day(
                    field="exceptions", weekday=0, opens=exception.opens, closes=exception.closes
                )
            except HoursError as error:
                problem = _("Row %(row)d: %(msg)s") % {"row": row, "msg": error.message}
        if problem:
            errors.setdefault("exceptions", []).append(problem)
        seen.add(exception.date)
    return week, details.exceptions, errors


def _single_line_problem(value: str) -> str | None:
    try:
        single_line_clean(value=value)
    except TextRefusedError as error:
        return error.message
    return None


def _clean_text(details: StoreDetails) -> tuple[StoreDetails, dict[str, list[str]]]:
    """The details with names, address and labels normalised, and the fields that hide
    characters (line breaks, bidi overrides, zero-width spaces) keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for name in SINGLE_LINE_FIELDS:
        try:
            cleaned[name] = single_line_clean(value=getattr(details, name))
        except TextRefusedError as error:
            errors[name] = [error.message]
    exceptions = [
        dataclasses.replace(e, label=single_line_clean(value=e.label))
        if _single_line_problem(e.label) is None
        else e
        for e in details.exceptions
    ]
    return (
        dataclasses.replace(
            details,
            name=cleaned.get("name", details.name),
            street_address=cleaned.get("street_address", details.street_address),
            city=cleaned.get("city", details.city),
            exceptions=exceptions,
        ),
        errors,
    )


def _apply(
    store: Store, details: StoreDetails
) -> tuple[list[tuple[int, time, time]], list[HoursExceptionInput]]:
    """Fill a store from details, checking everything before anything is written.

    Raises one ValidationError with every problem found, keyed by field.
    """
    details, errors = _clean_text(details)
    place: geo.Place | None = None
    try:
        place, source = _locate(details)
    except geo.GeoError as error:
        errors.setdefault(error.field, []).append(error.message)
    store.name = details.name.strip()
    store.street_address = details.street_address.strip()
    store.country = details.country
    store.city = details.city.strip()
    store.postal_code = details.postal_code.strip()
    if place is not None:
        store.city = place.city
        store.region = place.region
        store.postal_code = place.postal_code
        store.latitude = place.latitude
        store.longitude = place.longitude
        store.location_source = source
        store.time_zone = place.time_zone
        store.h3_cell = geo.h3_cell(latitude=place.latitude, longitude=place.longitude)
    store.updated_at = timezone.now()
    exclude = {"member", *errors}
    if place is None:
        exclude |= LOCATION_FIELDS
    try:
        store.full_clean(exclude=sorted(exclude))
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            errors.setdefault(field_name, []).extend(messages)
    week, exceptions, hours_errors = _checked_hours(details)
    for field_name, messages in hours_errors.items():
        errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return week, exceptions


def _write_hours(
    store: Store, week: list[tuple[int, time, time]], exceptions: list[HoursExceptionInput]
) -> None:
    store.hours.all().delete()
    BusinessHours.objects.bulk_create(
        BusinessHours(store=store, weekday=weekday, opens=opens, closes=closes)
        for weekday, opens, closes in week
    )
    store.hours_exceptions.all().delete()
    HoursException.objects.bulk_create(
        HoursException(
            store=store, date=e.date, label=e.label.strip()[:80], opens=e.opens, closes=e.closes
        )
        for e in exceptions
    )


def store_limit() -> int:
    """How many stores one member may have."""
    return int(getattr(settings, "JEWELGUARD_MAX_STORES_PER_MEMBER", MAX_STORES_PER_MEMBER))


@transaction.atomic
def store_create(*, member: Member, details: StoreDetails) -> Store:
    """Add a store, placed offline from its ZIP code or from a map pick, with its hours.

    Raises ValidationError keyed by field; nothing is written unless all of it is valid.
    """
    # The member's row is locked so that two requests at once cannot both take the last place.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    limit = store_limit()
    if Store.objects.filter(member=member).count() >= limit:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ngettext(
                    "You already have %(n)d store, the most one member may register. "
                    "Remove it first, or ask the association to raise the limit.",
                    "You already have %(n)d stores, the most one member may register. "
                    "Remove one first, or ask the association to raise the limit.",
                    limit,
                )
                % {"n": limit}
            }
        )
    store = Store(member=member)
    week, exceptions = _apply(store, details)
    store.save()
    _write_hours(store, week, exceptions)
    return store


def _postal_code_changed(store: Store, details: StoreDetails) -> bool:
    try:
        code = geo.normalize_postal_code(postal_code=details.postal_code, country=details.country)
    except geo.GeoError:
        return True
    return code != store.postal_code or details.country != store.country


@transaction.atomic
def store_update(*, store: Store, details: StoreDetails, keep_special_days: bool = False) -> Store:
    """Change a store's details and weekly hours; the same checks as ``store_create``.

    ``details.exceptions`` replaces the store's special days, unless ``keep_special_days``
    (the store page's form, which does not show them) keeps the saved ones as they are.
    On refusal the ``store`` object is reloaded, so a page never shows the refused values
    as if they were saved.
    """
    if keep_special_days:
        saved = [
            HoursExceptionInput(date=e.date, label=e.label, opens=e.opens, closes=e.closes)
            for e in store.hours_exceptions.all()
        ]
        details = dataclasses.replace(details, exceptions=saved)
    if details.city.strip() == store.city and _postal_code_changed(store, details):
        # The city shown was the old ZIP code's: let the new ZIP code name its own.
        details = dataclasses.replace(details, city="")
    try:
        week, exceptions = _apply(store, details)
    except ValidationError:
        store.refresh_from_db()
        raise
    store.save()
    _write_hours(store, week, exceptions)
    return store


@transaction.atomic
def store_delete(
    *, store: Store, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    """Remove a store with its hours, staff grants and toolkit; the audit log keeps its name."""
    audit_record(
        actor=actor,
        action="store.deleted",
        target=store,
        request=request,
        details={"member_id": store.member_id},
    )
    store.delete()


def staff_invitation_token(*, invitation: StaffInvitation) -> str:
    """The invitation's link token: its nonce signed with the secret key, made on demand."""
    # "." rather than ":" between nonce and signature: it needs no escaping in a URL.
    return Signer(salt=INVITATION_SIGNER_SALT, sep=".").sign(invitation.link_nonce)


def staff_invitation_url(*, invitation: StaffInvitation) -> str:
    token = staff_invitation_token(invitation=invitation)
    return str(settings.JEWELGUARD_SITE_URL) + reverse("accounts:invitation_accept", args=[token])


def staff_invitation_email_body(*, delivery: EmailDelivery) -> str:
    """The invitation e-mail's text, made by the worker at send time (core.mail renderer)."""
    invitation = StaffInvitation.objects.select_related("member").get(
        pk=delivery.concerning_id or 0
    )
    return render_to_string(
        "accounts/email/invitation.txt",
        {"invitation": invitation, "url": staff_invitation_url(invitation=invitation)},
    )


def _invitation_email_queue(invitation: StaffInvitation) -> None:
    email_send_on_commit(
        purpose="staff_invitation",
        recipient=invitation.email,
        subject=_("%(member)s invites you to JewelGuard") % {"member": invitation.member.name},
        body_renderer="jewelguard.accounts.services.staff_invitation_email_body",
        concerning=invitation,
    )


@transaction.atomic
def staff_invite(
    *, member: Member, email: str, grants: dict[int, list[str]]
) -> tuple[StaffInvitation, str]:
    """Invite someone as staff of some of the member's stores; the e-mail leaves on commit.

    Returns the invitation and its link token (also made again on demand, see
    ``staff_invitation_token``); the worker sends the e-mail and logs how it went.
    """
    if not grants:
        raise ValidationError({"stores": _("Choose at least one store.")})
    email = _one_line(field="email", value=email)
    if email.strip().lower() == member.owner.email:
        raise ValidationError({"email": _("That is your own e-mail address.")})
    own = set(member.stores.values_list("pk", flat=True))
    for store_id, rights in grants.items():
        if store_id not in own:
            raise ValidationError({"stores": _("That store is not one of yours.")})
        unknown = set(rights) - set(StaffRight.values)
        if unknown:
            raise ValidationError({"rights": _("Unknown right: %(r)s") % {"r": sorted(unknown)[0]}})
    invitation = StaffInvitation(
        member=member,
        email=email.strip().lower(),
        grants={str(k): sorted(set(v) | {StaffRight.VIEW.value}) for k, v in grants.items()},
        link_nonce=secrets.token_urlsafe(24),
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    token = staff_invitation_token(invitation=invitation)
    invitation.token_hash = ApiToken.hash(token)
    invitation.full_clean()
    invitation.save()
    _invitation_email_queue(invitation)
    return invitation, token


@transaction.atomic
def staff_invitation_resend(*, invitation: StaffInvitation) -> EmailDelivery:
    """Send an invitation whose e-mail failed again, now. Refused once accepted or expired."""
    if invitation.accepted_at is not None or invitation.expires_at < timezone.now():
        raise ValidationError({"invitation": _("This invitation is no longer waiting.")})
    delivery = email_deliveries_latest(objects=[invitation]).get(invitation.pk)
    if delivery is None:
        raise ValidationError({"invitation": _("This invitation has no e-mail to send again.")})
    return email_delivery_retry(delivery=delivery)


@transaction.atomic
def staff_invitation_accept(*, token: str, user: User) -> list[StaffGrant]:
    """Give ``user`` the invited rights; only once, before it expires, to the invited address."""
    invitation = (
        StaffInvitation.objects.select_for_update()
        .filter(token_hash=ApiToken.hash(token), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.expires_at < timezone.now():
        raise ValidationError({"token": _("This invitation is not valid or has expired.")})
    # The invitee proves the address by having confirmed it; case never matters in e-mail.
    confirmed = EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
    if not confirmed:
        raise ValidationError({"token": _("This invitation was sent to another e-mail address.")})
    if hasattr(user, "member"):
        raise ValidationError({"token": _("Store owners cannot join another member as staff.")})
    if user.role not in (Role.MEMBER, Role.STAFF):
        raise ValidationError(
            {"token": _("Officers, analysts and administrators cannot join a store as staff.")}
        )
    user.role = Role.STAFF
    user.save(update_fields=["role"])
    grants = []
    stores = Store.objects.filter(member=invitation.member, pk__in=map(int, invitation.grants))
    for store in stores:
        grant, _created = StaffGrant.objects.update_or_create(
            user=user, store=store, defaults={"rights": invitation.grants[str(store.pk)]}
        )
        grants.append(grant)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return grants


@transaction.atomic
def staff_grant_revoke(
    *, grant: StaffGrant, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    """Take a staff user's access to one store away."""
    audit_record(
        actor=actor,
        action="staff.removed",
        target=grant,
        # The staff person's address stays out of the log: the grant's id and store suffice.
        target_repr=f"staff grant #{grant.pk} at {grant.store.name}",
        request=request,
        details={"user_id": grant.user_id, "store_id": grant.store_id},
    )
    grant.delete()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new API token; the plain token is returned once and only its hash is kept."""
    token = "jg_" + secrets.token_urlsafe(32)
    api_token = ApiToken(
        user=user,
        name=_one_line(field="name", value=name),
        prefix=token[:8],
        token_hash=ApiToken.hash(token),
    )
    api_token.full_clean()
    api_token.save()
    audit_record(actor=user, action="api_token.created", target=api_token, request=request)
    return api_token, token


@transaction.atomic
def api_token_revoke(
    *, api_token: ApiToken, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    audit_record(
        actor=actor,
        action="api_token.revoked",
        target=api_token,
        request=request,
        details={"user_id": api_token.user_id},
    )
    api_token.delete()


MAX_GRANT_REASON = 200


@transaction.atomic
def analyst_grant_create(
    *,
    member: Member,
    analyst_id: object,
    granted_by: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AnalystGrant:
    """``member`` opens its own data (its stores' assessments and reports) to one analyst.

    Only the member's owner (or an administrator) grants; ``analyst_id`` must name an active
    association analyst. Granting again to the same analyst keeps the one grant, unexpired.
    """
    if not (granted_by.is_superuser or granted_by.role == Role.ADMIN) and (
        member.owner_id != granted_by.pk
    ):
        raise ServiceError("member", _("Only the business's owner may share its data."))
    analyst = (
        User.objects.filter(pk=analyst_id, role=Role.ANALYST, is_active=True).first()
        if isinstance(analyst_id, int) and not isinstance(analyst_id, bool) and analyst_id > 0
        else None
    )
    if analyst is None:
        raise ServiceError("analyst", _("Choose one of the association's analysts."))
    if not isinstance(reason, str) or len(reason) > MAX_GRANT_REASON:
        raise ServiceError(
            "reason",
            _("Keep the reason under %(count)d characters.") % {"count": MAX_GRANT_REASON},
        )
    try:
        reason = single_line_clean(value=reason) if reason.strip() else ""
    except TextRefusedError as error:
        raise ServiceError("reason", str(error.message)) from None
    grant, created = AnalystGrant.objects.update_or_create(
        analyst=analyst,
        member=member,
        defaults={"expires_at": None, "reason": reason},
        create_defaults={"granted_by": granted_by, "reason": reason},
    )
    audit_record(
        actor=granted_by,
        action="analyst_grant.created" if created else "analyst_grant.changed",
        target=grant,
        target_repr=f"analyst #{analyst.pk} → {member.name}",
        request=request,
    )
    return grant


@transaction.atomic
def analyst_grant_revoke(
    *, grant: AnalystGrant, actor: User, request: HttpRequest | None = None
) -> None:
    """Take an analyst's access to a member's own data away, at once."""
    if not (actor.is_superuser or actor.role == Role.ADMIN) and grant.member.owner_id != actor.pk:
        raise ServiceError("grant", _("Only the business's owner may stop sharing its data."))
    audit_record(
        actor=actor,
        action="analyst_grant.deleted",
        target=grant,
        target_repr=f"analyst #{grant.analyst_id} → {grant.member.name}",
        request=request,
    )
    grant.delete()
