"""The store list comes a page at a time, and one member cannot register stores without end."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jewelguard.accounts.models import Store
from tests.conftest import make_store


@pytest.fixture
def token_client(owner_token) -> Client:
    return Client(headers={"Authorization": f"Bearer {owner_token}"})


def test_store_list_comes_in_pages_with_the_total(token_client, member):
    # given a member with 25 stores
    for n in range(25):
        make_store(member, name=f"Store {n:02d}")
    # when the list is read with no paging asked for, then the next page
    first = token_client.get("/api/stores").json()
    second = token_client.get("/api/stores?limit=20&offset=20").json()
    # then 20 come first, the other 5 next, each once, and the total is told
    assert (first["count"], len(first["items"]), len(second["items"])) == (25, 20, 5)
    names = [s["name"] for s in first["items"] + second["items"]]
    assert names == sorted(names) == [f"Store {n:02d}" for n in range(25)]


@pytest.mark.parametrize(
    ("query", "items"),
    [
        ("", 7),
        ("limit=7", 7),
        ("limit=3", 3),
        ("limit=3&offset=6", 1),
        ("limit=3&offset=3", 3),
        ("offset=7", 0),
        ("offset=500", 0),
    ],
)
def test_every_page_tells_the_same_total(token_client, member, query, items):
    # given a member with 7 stores
    for n in range(7):
        make_store(member, name=f"Store {n}")
    # when any page is read: full, partial, last, past the end
    page = token_client.get(f"/api/stores?{query}").json()
    # then it holds what is left of the list there, and the total is 7 on every page
    assert (page["count"], len(page["items"])) == (7, items)


def test_a_member_without_stores_gets_an_empty_list(token_client):
    assert token_client.get("/api/stores").json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "limit=-1", "offset=-1", "offset=9223372036854775808", "limit=x"],
)
def test_paging_out_of_range_is_refused_naming_the_parameter(token_client, store, query):
    response = token_client.get(f"/api/stores?{query}")
    assert response.status_code == 422, response.content
    name = query.split("=")[0]
    assert any(name in error["loc"] for error in response.json()["detail"])


def test_paging_is_in_the_schema(token_client):
    schema = token_client.get("/api/openapi.json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/stores"]["get"]["parameters"]}
    assert {"limit", "offset"} <= parameters
    ok = schema["paths"]["/api/stores"]["get"]["responses"]["200"]
    assert "count" in json.dumps(schema["components"]["schemas"]) and ok


def test_member_cannot_add_stores_past_the_limit(token_client, member, settings):
    # given a limit of three stores per member, and three stores
    settings.JEWELGUARD_MAX_STORES_PER_MEMBER = 3
    for n in range(3):
        make_store(member, name=f"Store {n}")
    # when a fourth is added through the API and through the form
    payload = {
        "name": "One too many",
        "street_address": "1 Main St",
        "postal_code": "80202",
        "country": "US",
    }
    refused = token_client.post("/api/stores", json.dumps(payload), content_type="application/json")
    # then it is refused, saying so, and nothing is added
    assert refused.status_code == 422, refused.content
    [error] = refused.json()["detail"]
    assert "3 stores" in error["msg"]
    assert Store.objects.filter(member=member).count() == 3


def test_store_form_says_when_the_store_limit_is_reached(member_client, member, settings):
    settings.JEWELGUARD_MAX_STORES_PER_MEMBER = 1
    make_store(member)
    response = member_client.post(
        "/me/stores/new/",
        {"name": "Second", "street_address": "1 Main St", "country": "US", "postal_code": "80202"},
    )
    assert response.status_code == 200
    assert any("1 store," in e for e in response.context["form"].non_field_errors())
    assert Store.objects.count() == 1
