"""Every role against every route of pledges and toolkits (tests/authorization.py)."""

from __future__ import annotations

import pytest

from jewelguard.pledge import services
from jewelguard.pledge.models import Pledge
from tests.authorization import (
    ASSOCIATION,
    CHANGE,
    DELETE,
    ROLES,
    VIEW,
    Listing,
    ObjectKind,
    Route,
    World,
    kind_check,
)
from tests.conftest import client_for
from tests.factories import AnalystGrantFactory, PledgeFactory
from tests.pledge.conftest import build_toolkit


def _pledge(world: World) -> Pledge:
    """The owner's pledge in force (the one before it, if any, withdrawn)."""
    if Pledge.objects.active().filter(member=world.member).exists():
        services.pledge_withdraw(member=world.member)
    return PledgeFactory(member=world.member)


def _admin(path: str) -> str:
    return f"/admin/pledge/pledge/{path}"


PLEDGES = ObjectKind(
    name="pledge",
    make=_pledge,
    routes=(
        Route(VIEW, "admin", "get", lambda p: _admin(f"{p.pk}/change/")),
        Route(
            CHANGE,
            "admin",
            "post",
            lambda p: _admin(f"{p.pk}/change/"),
            data=lambda p: {"language": "fr"},
            ok=(200, 302),
        ),
        Route(
            DELETE,
            "admin",
            "post",
            lambda p: _admin(f"{p.pk}/delete/"),
            data=lambda p: {"post": "yes"},
            ok=(302,),
            writes=True,
        ),
    ),
    # A pledge is a record of what was read and accepted: nobody rewrites it, and only an
    # administrator deletes one (erasure); its member withdraws it on the pledge page.
    allowed={
        "owner": frozenset({VIEW}),
        "analyst_with_grant": frozenset({VIEW}),
        "analyst_without_grant": frozenset({VIEW}),
        "administrator": frozenset({VIEW, DELETE}),
    },
    listings=(
        Listing("page", "/pledge/members/", lambda p, body: p.member.name in body, ASSOCIATION),
        Listing("admin", _admin(""), lambda p, body: p.member.name in body, ASSOCIATION),
    ),
)


def _toolkit(world: World):
    """A new store of the pledged owner: its toolkit."""
    store = world.store_new()
    if not Pledge.objects.active().filter(member=world.member).exists():
        PledgeFactory(member=world.member)
    return store


TOOLKITS = ObjectKind(
    name="toolkit",
    make=_toolkit,
    routes=(
        # 202: allowed, and the toolkit is being made (a request never builds it)
        Route(VIEW, "page", "get", lambda s: f"/pledge/toolkit/{s.pk}/", ok=(200, 202)),
        Route(VIEW, "page", "get", lambda s: f"/pledge/toolkit/{s.pk}/en/badge.svg", ok=(200, 202)),
        Route(
            CHANGE,
            "page",
            "post",
            lambda s: f"/pledge/toolkit/{s.pk}/signage/",
            data=lambda s: {"statements": ["alarm_monitored"]},
            ok=(302,),
        ),
    ),
    allowed={
        "owner": frozenset({VIEW, CHANGE}),
        "staff_with_right": frozenset({VIEW, CHANGE}),  # the right to edit the store
        "analyst_with_grant": frozenset({VIEW}),
        "administrator": frozenset({VIEW, CHANGE}),
    },
)


STAFF_BRIEFINGS = ObjectKind(
    name="staff briefing",
    make=_toolkit,
    routes=(
        Route(
            VIEW,
            "page",
            "get",
            lambda s: f"/pledge/toolkit/{s.pk}/en/staff-briefing-letter.pdf",
            ok=(200, 202),
        ),
    ),
    # Made for the store's staff: any grant on the store lets them fetch it.
    allowed={
        "owner": frozenset({VIEW}),
        "staff_with_right": frozenset({VIEW}),
        "staff_without_right": frozenset({VIEW}),
        "analyst_with_grant": frozenset({VIEW}),
        "administrator": frozenset({VIEW}),
    },
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", [PLEDGES, TOOLKITS, STAFF_BRIEFINGS], ids=lambda k: k.name)
def test_every_role_gets_what_its_rights_allow(db, kind, role):
    kind_check(kind, role)


def test_an_analyst_with_a_grant_reads_the_toolkit_without_the_signs_form(member, store):
    # given a pledged member whose data an administrator opened to an analyst
    PledgeFactory(member=member)
    build_toolkit(store)
    analyst = AnalystGrantFactory(member=member).analyst
    # when the analyst and the member open the store's toolkit
    seen_by_analyst = client_for(analyst).get(f"/pledge/toolkit/{store.pk}/")
    seen_by_owner = client_for(member.owner).get(f"/pledge/toolkit/{store.pk}/")
    # then both see it, and only the member is offered to change what the signs say
    assert seen_by_analyst.status_code == seen_by_owner.status_code == 200
    assert "signage-form" not in seen_by_analyst.content.decode()
    assert "signage-form" in seen_by_owner.content.decode()
