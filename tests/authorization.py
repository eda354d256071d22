"""A reusable authorization check: every role against every route of one object kind.

Describe an object kind once — how to make one, its page, API and admin routes for view,
change and delete, where it is listed, and what each role may do — and ``kind_check`` asks
every route as every role, on a fresh object each time, and says what it expected:

- allowed: the route's own success status (and, for a write, the row really changed);
- visible but not allowed: 403;
- not visible: 404. The admin has no 404: it sends the user back to its index, or answers
  403 where the user may take that action on no object of the kind at all (it asks before
  looking the object up, so the answer is the same whether the object exists or not);
- signed out: the login page for pages and admin, 401 for the API;
- the admin, for anyone without admin access (members, staff, officers): its login page.

Whenever a request is refused, the object's database row must be exactly as before.
A listing says where the object is shown among others: it must show the object to the
roles that may see it, and never to the others.

Roles, all in one ``World``: the member who owns the object, another member, staff of the
owner's store with and without the right the kind needs, an officer of an agency and one of
another agency, an analyst with a grant for the owner's data and one without, an
administrator, and an anonymous visitor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Model
from django.test import Client

from jewelguard.accounts.models import Agency, Member, StaffRight, Store, User
from tests.factories import (
    AdminFactory,
    AgencyFactory,
    AnalystFactory,
    AnalystGrantFactory,
    MemberFactory,
    OfficerFactory,
    StaffGrantFactory,
    StoreFactory,
    UserFactory,
)

ROLES = (
    "owner",
    "other_member",
    "staff_with_right",
    "staff_without_right",
    "officer_of_agency",
    "officer_of_other_agency",
    "analyst_with_grant",
    "analyst_without_grant",
    "administrator",
    "anonymous",
)
# Those the admin is for, and everyone else (whose own pages list their own things).
ASSOCIATION = frozenset({"analyst_with_grant", "analyst_without_grant", "administrator"})
OUTSIDE_ASSOCIATION = frozenset(ROLES) - ASSOCIATION
Surface = Literal["page", "api", "admin"]
VIEW, CHANGE, DELETE = "view", "change", "delete"
ALL = frozenset({VIEW, CHANGE, DELETE})


@dataclass
class World:
    """Everyone the matrix asks, around one member's store."""

    owner: User
    member: Member
    store: Store
    other_member: Member
    other_store: Store
    staff_with_right: User
    staff_without_right: User
    agency: Agency
    other_agency: Agency
    officer_of_agency: User
    officer_of_other_agency: User
    analyst_with_grant: User
    analyst_without_grant: User
    administrator: User
    staff_right: StaffRight = StaffRight.EDIT_STORE
    made: int = 0

    def store_new(self) -> Store:
        """Another store of the owner's, where the two staff users hold their usual grants."""
        self.made += 1
        store = StoreFactory(member=self.member, name=f"Larimer Gems {self.made}")
        StaffGrantFactory(
            user=self.staff_with_right, store=store, rights=[StaffRight.VIEW, self.staff_right]
        )
        StaffGrantFactory(user=self.staff_without_right, store=store, rights=[StaffRight.VIEW])
        return store

    def user(self, role: str) -> User | None:
        if role == "anonymous":
            return None
        return self.other_member.owner if role == "other_member" else getattr(self, role)

    def client(self, role: str) -> Client:
        client = Client()
        user = self.user(role)
        if user is not None:
            client.force_login(user)
        return client


def world_build(*, staff_right: StaffRight = StaffRight.EDIT_STORE) -> World:
    """The people and stores of the matrix; ``staff_right`` is what "with the right" holds."""
    owner = UserFactory(email="ana@frontrange.example", full_name="Ana Morales")
    member = MemberFactory(owner=owner, name="Front Range Jewelers")
    store = StoreFactory(member=member)
    other_member = MemberFactory(
        owner=UserFactory(email="sam@rittenhouse.example"), name="Rittenhouse Fine Jewelry"
    )
    other_store = StoreFactory(
        member=other_member, name="Rittenhouse Fine Jewelry", postal_code="19103"
    )
    with_right = StaffGrantFactory(store=store, rights=[StaffRight.VIEW, staff_right]).user
    without_right = StaffGrantFactory(store=store, rights=[StaffRight.VIEW]).user
    agency = AgencyFactory(name="Denver Police Department", ori="CODPD0000")
    other_agency = AgencyFactory(name="Philadelphia Police Department", ori="PAPEP0000")
    analyst_with_grant = AnalystFactory()
    AnalystGrantFactory(analyst=analyst_with_grant, member=member)
    return World(
        owner=owner,
        member=member,
        store=store,
        other_member=other_member,
        other_store=other_store,
        staff_with_right=with_right,
        staff_without_right=without_right,
        agency=agency,
        other_agency=other_agency,
        officer_of_agency=OfficerFactory(agency=agency),
        officer_of_other_agency=OfficerFactory(agency=other_agency),
        analyst_with_grant=analyst_with_grant,
        analyst_without_grant=AnalystFactory(),
        administrator=AdminFactory(),
        staff_right=staff_right,
    )


@dataclass(frozen=True)
class Route:
    """One request on one object: ``path`` and ``data`` are given the object."""

    action: str
    surface: Surface
    method: str
    path: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]] | None = None
    ok: tuple[int, ...] = (200,)
    # Whether success must show in the database: the row changed (or, for delete, gone).
    writes: bool = False

    def label(self) -> str:
        return f"{self.surface} {self.method.upper()} {self.action}"

    def send(self, client: Client, obj: Any) -> Any:
        path = self.path(obj)
        data = self.data(obj) if self.data else {}
        send = getattr(client, self.method)
        if self.surface == "api" and self.method in ("put", "post", "patch"):
            return send(path, json.dumps(data), content_type="application/json")
        if self.method == "get":
            return send(path, data)
        return send(path, data) if self.method == "post" else send(path)


@dataclass(frozen=True)
class Listing:
    """A page or API answer that lists objects of the kind; ``shows`` is True if obj is in it."""

    surface: Surface
    path: str
    shows: Callable[[Any, str], bool]
    # The roles this listing is theirs to read (others' listings may differ, e.g. per user).
    roles: frozenset[str] = frozenset(ROLES)


@dataclass(frozen=True)
class ObjectKind:
    name: str
    make: Callable[[World], Model]
    routes: tuple[Route, ...]
    # role -> the actions it may take; a role not named may not even see the object.
    allowed: Mapping[str, frozenset[str]]
    listings: tuple[Listing, ...] = ()
    world: Callable[[], World] = field(default=world_build)


def _row(obj: Model) -> dict[str, Any] | None:
    return type(obj)._default_manager.filter(pk=obj.pk).values().first()


def _outcome(route: Route, response: Any, gone: bool) -> str:
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    if response.status_code == 401 or "/login/" in location:
        return "login"
    if response.status_code == 403:
        return "forbidden"
    if route.surface == "admin" and location == "/admin/" and route.action == DELETE and gone:
        return "ok"  # deleted, and sent to the index by a user who may change none of them
    if response.status_code == 404 or (route.surface == "admin" and location == "/admin/"):
        return "missing"
    if response.status_code in route.ok:
        return "ok"
    return f"status {response.status_code}"


def expected_outcome(kind: ObjectKind, world: World, role: str, route: Route) -> str:
    user = world.user(role)
    if user is None or (route.surface == "admin" and not user.is_staff):
        return "login"
    actions = kind.allowed.get(role, frozenset())
    if route.action in actions:
        return "ok"
    return "forbidden" if VIEW in actions else "missing"


def kind_check(kind: ObjectKind, role: str) -> None:
    """Ask every route and listing of ``kind`` as ``role``; fail with every mismatch at once."""
    world = kind.world()
    client = world.client(role)
    problems: list[str] = []
    for route in kind.routes:
        obj = kind.make(world)
        before = _row(obj)
        response = route.send(client, obj)
        expected = expected_outcome(kind, world, role, route)
        after = _row(obj)
        actual = _outcome(route, response, gone=before is not None and after is None)
        if expected == "missing" and route.surface == "admin" and actual == "forbidden":
            expected = actual  # see the module's docstring: no sign the object exists
        if actual != expected:
            problems.append(f"{route.label()}: expected {expected}, got {actual}")
        elif actual != "ok" and after != before:
            problems.append(f"{route.label()}: refused, yet the row changed")
        elif actual == "ok" and route.writes and after == before:
            problems.append(f"{route.label()}: answered {response.status_code}, nothing saved")
        elif actual == "ok" and route.action == DELETE and route.writes and after is not None:
            problems.append(f"{route.label()}: answered {response.status_code}, still there")
    for listing in kind.listings:
        if role not in listing.roles or role == "anonymous":
            continue
        obj = kind.make(world)
        response = client.get(listing.path)
        body = response.content.decode() if response.status_code == 200 else ""
        shown = bool(body) and listing.shows(obj, body)
        may_see = VIEW in kind.allowed.get(role, frozenset())
        if shown != may_see:
            problems.append(
                f"{listing.surface} list {listing.path}: "
                f"{'shows' if shown else 'does not show'} it (status {response.status_code})"
            )
    assert not problems, f"{kind.name} as {role}:\n  " + "\n  ".join(problems)
