"""Badge verification: the signed token in the QR code, and what a scan of it may say.

The token signs ``<store id>.<pledge id>`` with the secret key and a salt of its own, so it
cannot be forged or altered, and it carries nothing private. What the public page shows is
limited to the store's name, city and state or province, and the date it joined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from jewelguard.accounts.models import Store
from jewelguard.pledge.models import Pledge
from jewelguard.pledge.regions import region_name

SALT = "jewelguard.pledge.badge"
MAX_TOKEN_LENGTH = 200


class BadgeStatus(StrEnum):
    VALID = "valid"
    NO_LONGER_MEMBER = "no_longer_member"
    INVALID = "invalid"


@dataclass(frozen=True)
class BadgeCheck:
    status: BadgeStatus
    store_name: str = ""
    city: str = ""
    region: str = ""
    since: date | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == BadgeStatus.VALID


def badge_token(*, store_id: int, pledge_id: int) -> str:
    return signing.Signer(salt=SALT).sign(f"{store_id}.{pledge_id}")


def verify_url(*, store_id: int, pledge_id: int) -> str:
    """The absolute address the badge's QR code opens."""
    token = badge_token(store_id=store_id, pledge_id=pledge_id)
    return settings.JEWELGUARD_SITE_URL + reverse("pledge:verify", args=[token])


def local_date(moment: datetime, *, store: Store) -> date:
    """The calendar date of ``moment`` where the store is."""
    try:
        zone = ZoneInfo(store.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return timezone.localtime(moment, zone).date()


def _ids(token: str) -> tuple[int, int] | None:
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(token)
        store_id, pledge_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return None
    return store_id, pledge_id


def badge_check(*, token: str) -> BadgeCheck:
    """What scanning this badge says: valid, no longer a member, or not a badge at all."""
    ids = _ids(token)
    if ids is None:
        return BadgeCheck(status=BadgeStatus.INVALID)
    store_id, pledge_id = ids
    store = Store.objects.filter(pk=store_id).first()
    pledge = Pledge.objects.filter(pk=pledge_id).first()
    if store is None or pledge is None or pledge.member_id != store.member_id:
        # Signed by us, so once real: the store or the membership has since been removed.
        return BadgeCheck(status=BadgeStatus.NO_LONGER_MEMBER)
    region = region_name(country=store.country, region=store.region) if store.region else ""
    # A member that withdrew and pledged again is a member: older badges still say so.
    active = (
        pledge
        if pledge.is_active
        else Pledge.objects.active().filter(member_id=store.member_id).first()
    )
    if active is None:
        return BadgeCheck(
            status=BadgeStatus.NO_LONGER_MEMBER,
            store_name=store.name,
            city=store.city,
            region=region,
        )
    return BadgeCheck(
        status=BadgeStatus.VALID,
        store_name=store.name,
        city=store.city,
        region=region,
        since=local_date(active.taken_at, store=store),
    )
