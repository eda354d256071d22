"""Demo data for `jewelguard up`: an association's analyst, three jewelers, staff, police,
member reports near their stores, and Denver's police open data on the map."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jewelguard.accounts import services as accounts
from jewelguard.accounts.models import Agency, Member, Role, StaffRight, Store, User
from jewelguard.intel import services as intel
from jewelguard.intel.imports import ImportSummary, import_file_check, incidents_import
from jewelguard.intel.models import ImportRun, ImportState, Visibility
from jewelguard.intel.profiles import profile_load
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


# Denver's police open data (see the data sets' SOURCES.md): JEWELGUARD_DEMO_CRIME_DATA, or the
# shared data folder beside the checkout. Without it the demo has member reports only.
CRIME_DATA_VARIABLE = "JEWELGUARD_DEMO_CRIME_DATA"
CRIME_PROFILE = "denver"
CRIME_FILES = ("crime.csv", "crime_2.csv", "crime_3.csv", "crime_4.csv", "crime_5.csv")

# Member reports near the demo stores: (store index, scenario, NIBRS code, days ago, metres
# north, metres east, shared with, verified).
REPORTS = [
    (0, "grab_and_run", "23C", 3, 350, -200, Visibility.MEMBERS, True),
    (0, "distraction_theft", "23D", 12, -500, 400, Visibility.MEMBERS, True),
    (0, "three_minute_burglary", "220", 30, 900, 700, Visibility.LAW_ENFORCEMENT, True),
    (0, "fraud", "280", 6, -250, -600, Visibility.PRIVATE, False),
    (1, "armed_robbery", "120", 9, 600, 300, Visibility.MEMBERS, True),
    (1, "grab_and_run", "23C", 2, -300, 250, Visibility.MEMBERS, False),
    (2, "smash_and_grab", "23C", 15, 400, -450, Visibility.MEMBERS, True),
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
    analyst = person("Association analyst", "analyst", Role.ANALYST, "Jordan Avery")

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
    demo_reports_load(stores=stores, analyst=analyst)
    return logins


def demo_reports_load(*, stores: list[Store], analyst: User) -> None:
    """A few member reports near the stores: most verified and shared with members, one private."""
    now = timezone.now()
    for index, scenario, code, days, north, east, visibility, verified in REPORTS:
        store = stores[index]
        assert store.latitude is not None and store.longitude is not None
        incident = intel.incident_create(
            reporter=store.member.owner,
            store=store,
            details=intel.IncidentDetails(
                scenario_id=scenario,
                nibrs_offense_code=code,
                occurred_from=now - timedelta(days=days, hours=index + 2),
                latitude=store.latitude + north / 111_320,
                longitude=store.longitude + east / 85_000,
                address=store.street_address,
                visibility=visibility,
            ),
        )
        if verified:
            intel.incident_verify(incident=incident, analyst=analyst)


def demo_crime_folder() -> Path | None:
    """Where Denver's open-data files are, None if they are not on this machine."""
    configured = os.environ.get(CRIME_DATA_VARIABLE, "").strip()
    folder = (
        Path(configured)
        if configured
        else Path(__file__).resolve().parents[3] / "shared" / "data" / "crime" / "denver"
    )
    return folder if all((folder / name).is_file() for name in CRIME_FILES) else None


def demo_crime_imported() -> bool:
    return ImportRun.objects.filter(profile_name=CRIME_PROFILE, state=ImportState.DONE).exists()


def demo_crime_rows(*, folder: Path) -> int:
    profile = profile_load(name_or_path=CRIME_PROFILE)
    return sum(import_file_check(path=folder / name, profile=profile).rows for name in CRIME_FILES)


def demo_crime_import(
    *, folder: Path, progress: Callable[[int, int], None] | None = None
) -> ImportSummary:
    """Import Denver's files with the shipped profile, as the demo analyst's import run.

    Safe to run again (the importer adds nothing twice); an interrupted first run is finished
    by the next ``jewelguard up``, which imports until a run is recorded as done.
    """
    paths = [folder / name for name in CRIME_FILES]
    started = timezone.now()
    summary = incidents_import(
        paths=paths, profile=profile_load(name_or_path=CRIME_PROFILE), progress=progress
    )
    analyst = User.objects.filter(email=f"analyst@{DEMO_DOMAIN}").first()
    if analyst is not None:
        ImportRun.objects.create(
            started_by=analyst,
            profile_name=CRIME_PROFILE,
            files=[{"name": name, "stored": ""} for name in CRIME_FILES],
            state=ImportState.DONE,
            rows_total=summary.rows,
            rows_read=summary.rows,
            added=summary.added,
            changed=summary.changed,
            unchanged=summary.unchanged,
            skipped=summary.skipped,
            rejected=len(summary.rejects),
            started_at=started,
            finished_at=timezone.now(),
        )
    return summary
