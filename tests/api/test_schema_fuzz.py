"""Generated hostile input against every API operation, checked against the published schema.

Schemathesis reads /api/openapi.json from the app itself and, for each operation, sends
requests that fit the schema and requests that break it, with a member's bearer token.
Every answer must be a documented status with a body in its documented shape, never a 5xx,
and no refused request may leave anything written.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from jewelguard.accounts.models import BusinessHours, HoursException, Store
from jewelguard.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# The member's real token is sent with every request, so ignored_auth can retry without it.
schema.config.generation.update(with_security_parameters=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


def aim_at_real_stores(case: schemathesis.Case, own: Store, another_members: Store) -> None:
    """Point a third of generated store ids at the member's store and a third at another's.

    Generated numbers almost never name a store that exists; this way every operation on
    /stores/{store_id} also meets a real store of the member's and one they may not touch.
    The choice follows the generated number, so a failing example still shrinks and replays.
    """
    store_id = (case.path_parameters or {}).get("store_id")
    if isinstance(store_id, int) and not isinstance(store_id, bool):
        aimed = {0: own.pk, 1: another_members.pk}.get(store_id % 3)
        if aimed is not None:
            case.path_parameters["store_id"] = aimed


# Places the offline geocoder knows: a Denver ZIP code, and a Toronto pick on the map.
REAL_PLACES = [
    {"country": "US", "postal_code": "80206", "latitude": None, "longitude": None},
    {"country": "CA", "postal_code": "M5H 2N2", "latitude": 43.6532, "longitude": -79.3832},
]


def place_in_real_places(case: schemathesis.Case) -> None:
    """Put two thirds of the stores meant to be valid where the geocoder can place them.

    A random postal code names no place, so without this nearly every store is refused on
    location and the writes behind it (hours, special days) are never reached. The choice
    follows the generated code's length, so a failing example still shrinks and replays.
    Stores meant to break the schema are left as generated.
    """
    if case.meta is None or case.meta.generation.mode is not schemathesis.GenerationMode.POSITIVE:
        return
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("postal_code"), str):
        choice = len(body["postal_code"]) % 3
        if choice < len(REAL_PLACES):
            body.update(REAL_PLACES[choice])


def saved_state(store: Store) -> tuple[object, ...]:
    """Row counts, and everything saved about the member's own store (if it still exists)."""
    own = (
        Store.objects.filter(pk=store.pk).values_list().first(),
        sorted(BusinessHours.objects.filter(store=store).values_list("weekday", "opens", "closes")),
        sorted(
            HoursException.objects.filter(store=store).values_list(
                "date", "label", "opens", "closes"
            )
        ),
    )
    counts = (Store.objects.count(), BusinessHours.objects.count(), HoursException.objects.count())
    return counts, own


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    # The database fixtures are set up once per operation; each example rolls back its writes.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.usefixtures("wsgi_in_test_transaction")
def test_api_answers_hostile_input_as_documented(
    case: schemathesis.Case, store: Store, other_store: Store, owner_token: str
) -> None:
    # given a member with a store, another member with theirs, and the member's token
    aim_at_real_stores(case, own=store, another_members=other_store)
    place_in_real_places(case)
    with transaction.atomic():
        before = saved_state(store)
        # when the generated request is sent
        token = {"Authorization": f"Bearer {owner_token}"}
        response = case.call(headers=token)
        # then the answer is one the schema promises, in the shape it promises
        case.validate_response(response, checks=CHECKS, headers=token)
        # and a refused request left nothing half-written
        if 400 <= response.status_code < 500:
            assert saved_state(store) == before, response.text
        transaction.set_rollback(True)
