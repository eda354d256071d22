"""Every role against every route of the accounts room's object kinds (tests/authorization.py)."""

from __future__ import annotations

import itertools
import json

import pytest

from jewelguard.accounts.models import StaffRight
from tests.accounts.conftest import store_form_data, store_payload
from tests.authorization import (
    ALL,
    ASSOCIATION,
    CHANGE,
    DELETE,
    OUTSIDE_ASSOCIATION,
    ROLES,
    VIEW,
    Listing,
    ObjectKind,
    Route,
    World,
    kind_check,
)
from tests.factories import ApiTokenFactory, StaffGrantFactory, StaffInvitationFactory

_made = itertools.count()


def _admin_routes(model: str, change: dict[str, object]) -> tuple[Route, ...]:
    """View, change and delete of one object in the admin."""
    return (
        Route(VIEW, "admin", "get", lambda o: f"/admin/accounts/{model}/{o.pk}/change/"),
        Route(
            CHANGE,
            "admin",
            "post",
            lambda o: f"/admin/accounts/{model}/{o.pk}/change/",
            data=lambda o: change,
            ok=(200, 302),
        ),
        Route(
            DELETE,
            "admin",
            "post",
            lambda o: f"/admin/accounts/{model}/{o.pk}/delete/",
            data=lambda o: {"post": "yes"},
            ok=(302,),
            writes=True,
        ),
    )


STORES = ObjectKind(
    name="store",
    make=World.store_new,
    routes=(
        Route(VIEW, "page", "get", lambda s: f"/me/stores/{s.pk}/"),
        Route(CHANGE, "page", "get", lambda s: f"/me/stores/{s.pk}/edit/"),
        Route(
            CHANGE,
            "page",
            "post",
            lambda s: f"/me/stores/{s.pk}/edit/",
            data=lambda s: store_form_data(name="Renamed Jewelers"),
            ok=(302,),
            writes=True,
        ),
        Route(
            DELETE, "page", "post", lambda s: f"/me/stores/{s.pk}/delete/", ok=(302,), writes=True
        ),
        Route(VIEW, "api", "get", lambda s: f"/api/stores/{s.pk}"),
        Route(
            CHANGE,
            "api",
            "put",
            lambda s: f"/api/stores/{s.pk}",
            data=lambda s: store_payload(name="Renamed Jewelers"),
            writes=True,
        ),
        Route(DELETE, "api", "delete", lambda s: f"/api/stores/{s.pk}", ok=(204,), writes=True),
        *_admin_routes("store", {"name": "Renamed Jewelers"}),
    ),
    allowed={
        "owner": ALL,
        "staff_with_right": frozenset({VIEW, CHANGE}),  # the right to edit the store
        "staff_without_right": frozenset({VIEW}),
        "analyst_with_grant": frozenset({VIEW}),
        "analyst_without_grant": frozenset({VIEW}),  # by role: the association sees stores
        "administrator": ALL,
    },
    listings=(
        Listing("page", "/me/stores/", lambda s, body: s.name in body),
        Listing(
            "api",
            "/api/stores",
            lambda s, body: s.pk in [x["id"] for x in json.loads(body)["items"]],
        ),
        Listing("admin", "/admin/accounts/store/", lambda s, body: s.name in body, ASSOCIATION),
    ),
)


def _staff_grant(world: World):
    """Another staff user's grant at the owner's store."""
    email = f"lee{next(_made)}@frontrange.example"
    return StaffGrantFactory(store=world.store, user__email=email, rights=[StaffRight.VIEW])


STAFF_GRANTS = ObjectKind(
    name="staff grant",
    make=_staff_grant,
    routes=(
        Route(
            DELETE, "page", "post", lambda g: f"/me/staff/{g.pk}/revoke/", ok=(302,), writes=True
        ),
        *_admin_routes("staffgrant", {"rights": '["view"]'}),
    ),
    allowed={
        "owner": ALL,
        "analyst_with_grant": frozenset({VIEW}),
        "administrator": ALL,
    },
    listings=(
        Listing("page", "/me/staff/", lambda g, body: g.user.email in body, OUTSIDE_ASSOCIATION),
        Listing(
            "admin",
            "/admin/accounts/staffgrant/",
            lambda g, body: g.user.email in body,
            ASSOCIATION,
        ),
    ),
)


def _invitation(world: World):
    return StaffInvitationFactory(
        member=world.member, email=f"invitee{next(_made)}@frontrange.example"
    )


STAFF_INVITATIONS = ObjectKind(
    name="staff invitation",
    make=_invitation,
    routes=(
        Route(
            CHANGE,
            "page",
            "post",
            lambda i: f"/me/staff/invitations/{i.pk}/resend/",
            ok=(302,),
        ),
        *_admin_routes("staffinvitation", {"email": "someone@example.com"}),
    ),
    allowed={
        "owner": ALL,
        "analyst_with_grant": frozenset({VIEW}),
        "administrator": ALL,
    },
    listings=(
        Listing("page", "/me/staff/", lambda i, body: i.email in body, OUTSIDE_ASSOCIATION),
        Listing(
            "admin",
            "/admin/accounts/staffinvitation/",
            lambda i, body: i.email in body,
            ASSOCIATION,
        ),
    ),
)


def _api_token(world: World):
    return ApiTokenFactory(user=world.owner, name=f"Till {next(_made)}")


API_TOKENS = ObjectKind(
    name="API token",
    make=_api_token,
    routes=(
        Route(
            DELETE,
            "page",
            "post",
            lambda t: f"/me/api-tokens/{t.pk}/revoke/",
            ok=(302,),
            writes=True,
        ),
    ),
    allowed={"owner": ALL, "administrator": ALL},
    # The tokens page lists the signed-in user's own tokens, administrators' included.
    listings=(
        Listing(
            "page",
            "/me/api-tokens/",
            lambda t, body: t.name in body,
            frozenset(ROLES) - {"administrator"},
        ),
    ),
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "kind",
    [STORES, STAFF_GRANTS, STAFF_INVITATIONS, API_TOKENS],
    ids=lambda k: k.name.replace(" ", "_"),
)
def test_every_role_gets_what_its_rights_allow(db, kind, role):
    kind_check(kind, role)
