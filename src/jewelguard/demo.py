"""Demo data for `jewelguard up`: an association's analyst, three jewelers, staff, police."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import time

from django.db import transaction

from jewelguard.accounts import services as accounts
from jewelguard.accounts.models import Agency, Member, Role, StaffRight, User
from jewelguard.pledge import services as pledge
from jewelguard.pledge.texts import current_pledge_version

DEMO_DOMAIN = "demo.jewelguard.org"
OPEN_HOURS = {d: (time(10), time(18)) for d in range(5)} | {5: (time(10), time(17))}

# Three member jewelers in real U.S. cities whose police publish open crime data.
JEWELERS = [
    (
        "denver",
        "Ana Morales",
        "Mile High Diamonds",
        "Mile High Diamonds — Larimer Square",
        "1430 Larimer St",
        "80202",
    ),
    (
        "philadelphia",
        "Sam Whitaker",
        "Rittenhouse Fine Jewelry",
        "Rittenhouse Fine Jewelry",
        "1700 Walnut St",
        "19103",
    ),
    ("seattle", "Mei Tanaka", "Pike Street Gems", "Pike Street Gems", "1501 4th Ave", "98101"),
]


@dataclass(frozen=True)
class DemoLogin:
    who: str
    email: str
    password: str


def demo_loaded() -> bool:
    return Member.objects.filter(owner__email__endswith="@" + DEMO_DOMAIN).exists()


@transaction.atomic
def demo_load(*, password: str | None = None) -> list[DemoLogin]:
    """Create the demo people and stores; returns their logins (passwords exist nowhere else)."""
    logins: list[DemoLogin] = []

    def person(
        who: str, local: str, role: Role, full_name: str, agency: Agency | None = None
    ) -> User:
        secret = password or secrets.token_urlsafe(9)
        email = f"{local}@{DEMO_DOMAIN}"
        user = accounts.user_create(
            email=email,
            password=secret,
            role=role,
            full_name=full_name,
            email_verified=True,
            agency=agency,
        )
        logins.append(DemoLogin(who=who, email=email, password=secret))
        return user

    person("Administrator", "admin", Role.ADMIN, "Demo Administrator")
    person("Association analyst", "analyst", Role.ANALYST, "Jordan Avery")

    stores = []
    for city, owner_name, business, store_name, street, zip_code in JEWELERS:
        owner = person(f"Member jeweler ({city.title()})", city, Role.MEMBER, owner_name)
        member = accounts.member_create(owner=owner, name=business)
        stores.append(
            accounts.store_create(
                member=member,
                details=accounts.StoreDetails(
                    name=store_name,
                    street_address=street,
                    postal_code=zip_code,
                    country="US",
                    week=dict(OPEN_HOURS),
                ),
            )
        )

    staff = person("Store staff (Denver)", "staff.denver", Role.STAFF, "Chris Lee")
    # Two of the three have pledged, so the toolkit and badge verification can be seen at once.
    for store, statements in (
        (stores[0], ["video_surveillance", "alarm_monitored", "merchandise_removed"]),
        (stores[2], ["video_surveillance", "staff_cannot_open_safe", "time_delay_safe"]),
    ):
        pledge.store_signage_set(store=store, statements=statements)
        pledge.pledge_take(
            member=store.member, text_version=current_pledge_version().version, language="en"
        )

    denver = stores[0]
    denver.staff_grants.create(
        user=staff, rights=[StaffRight.VIEW, StaffRight.REPORT, StaffRight.RESPOND]
    )

    agency = Agency.objects.create(
        name="Denver Police Department", ori="CODPD0000", jurisdiction="City and County of Denver"
    )
    person(
        "Police officer (Denver)",
        "officer.denver",
        Role.OFFICER,
        "Officer Dana Reyes",
        agency=agency,
    )
    return logins
