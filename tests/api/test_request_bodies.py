"""Bodies the API cannot take: too large, not JSON, not sent as JSON. Refused, and said why."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from jewelguard.accounts.models import Store

STORE = {
    "name": "Cherry Creek Diamonds",
    "street_address": "3000 E 1st Ave",
    "postal_code": "80206",
    "country": "US",
    "hours": {"monday": {"opens": "10:00", "closes": "18:00"}},
}


@pytest.fixture
def token_client(owner_token) -> Client:
    """The member's integration: a bearer token, no cookies."""
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {owner_token}"})


@pytest.fixture(params=["post", "put"])
def send(request, token_client, store):
    """Send a raw body the way a store is added (POST) or changed (PUT)."""
    path = "/api/stores" if request.param == "post" else f"/api/stores/{store.pk}"

    def sender(body: str | bytes, content_type: str = "application/json"):
        return getattr(token_client, request.param)(path, body, content_type=content_type)

    return sender


def unchanged(store: Store) -> bool:
    """Only the fixture's store exists, as the fixture made it."""
    store.refresh_from_db()
    return Store.objects.count() == 1 and store.name == "Front Range Jewelers"


def test_a_3_mb_body_is_refused_as_too_large(send, store):
    # given a JSON body of 3 MB, over Django's 2.5 MB DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({**STORE, "name": "N" * 3 * 1024 * 1024})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # when it is sent
    response = send(body)
    # then it is refused as too large, in JSON, with the limit; nothing is saved
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "The body is larger than the 2560 KB this API accepts."}
    assert unchanged(store)


def test_a_body_just_under_the_limit_is_read_and_judged_on_its_fields(send, store):
    # given a valid store whose name alone fills most of the 2.5 MB allowed
    body = json.dumps({**STORE, "name": "N" * 2 * 1024 * 1024})
    # when it is sent
    response = send(body)
    # then the body is read, and the name refused for its length
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "payload", "name"]]
    assert unchanged(store)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{not json", "The body is not valid JSON: Expecting property name enclosed in double "
                      "quotes: line 1 column 2 (char 1)."),
        ('{"name": "Gems",', "The body is not valid JSON: Expecting property name enclosed in "
                             "double quotes: line 1 column 17 (char 16)."),
        (b'{"name": "\xff"}', "The body is not valid JSON: 'utf-8' codec can't decode byte 0xff "
                              "in position 10: invalid start byte."),
        ('{"latitude": NaN}', "The body is not valid JSON: NaN is not a JSON number."),
        ('{"latitude": Infinity}', "The body is not valid JSON: Infinity is not a JSON number."),
        ("[" * 100_000 + "]" * 100_000, "The JSON body is nested too deeply."),
    ],
    ids=["not-json", "cut-short", "not-utf-8", "nan", "infinity", "nested-100000-deep"],
)  # fmt: skip
def test_malformed_json_is_refused_naming_the_problem(send, store, body, problem):
    response = send(body)
    assert response.status_code == 400
    assert response.json() == {"detail": problem}
    assert unchanged(store)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonx"],
)
def test_a_body_not_sent_as_json_is_refused_even_when_it_is_json(send, store, content_type):
    # given a store that would be accepted, labelled as something other than JSON
    response = send(json.dumps(STORE), content_type=content_type)
    # then it is refused as the wrong media type, saying which one to send
    assert response.status_code == 415
    assert response.json() == {
        "detail": "Send the body as JSON, with the header Content-Type: application/json."
    }
    assert unchanged(store)


def test_a_form_post_is_refused_as_the_wrong_media_type(token_client, store):
    # given a multipart form, as an HTML form or curl -F sends it
    response = token_client.post("/api/stores", STORE)
    # then it is refused as the wrong media type
    assert response.status_code == 415
    assert unchanged(store)


def test_json_with_a_charset_is_taken(token_client, store):
    response = token_client.post(
        "/api/stores", json.dumps(STORE), content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 201, response.content


def test_refusals_need_a_token_first(store):
    # given no token at all, and a body that is not JSON
    response = Client().post("/api/stores", "{not json", content_type="application/json")
    # then the answer is about signing in, not about the body
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_refusals_read_the_same_with_debug_off(settings, send, store):
    # given production settings, where ninja would say only "Cannot parse request body"
    settings.DEBUG = False
    # when a body is malformed, not JSON, or too large
    malformed = send("{not json")
    not_json = send(json.dumps(STORE), content_type="text/plain")
    too_large = send(json.dumps({**STORE, "name": "N" * 3 * 1024 * 1024}))
    # then each refusal still names its problem
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("The body is not valid JSON: Expecting")
    assert not_json.status_code == 415
    assert too_large.status_code == 413
    assert unchanged(store)
