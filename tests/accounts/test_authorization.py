"""Store access beyond the role matrix: listings, adding stores, API tokens and CSRF.

Every role against every page, API and admin route of each object kind is checked in
test_authorization_matrix.py (tests/authorization.py); these are the checks it does not make.
"""

from __future__ import annotations

import pytest
from django.test import Client

from jewelguard.accounts import services
from jewelguard.accounts.models import Store
from tests.accounts.conftest import (
    api_token_for,
    store_payload,
    token_client,
)
from tests.conftest import client_for

# ---------------------------------------------------------------------------------- pages


def test_staff_see_only_granted_stores_and_cannot_edit_without_the_right(
    staff_user, store, other_store
):
    # given a staff user granted "view" and "report" at one store
    client = client_for(staff_user)
    # then they see that store, are refused its editing, and cannot see the other one
    assert client.get(f"/me/stores/{store.pk}/").status_code == 200
    assert client.get(f"/me/stores/{store.pk}/edit/").status_code == 403
    assert client.post(f"/me/stores/{store.pk}/delete/").status_code == 403
    assert client.get(f"/me/stores/{other_store.pk}/").status_code == 404
    listed = client.get("/me/stores/").content.decode()
    assert store.name in listed and other_store.name not in listed
    # and they add no stores of their own
    assert client.get("/me/stores/new/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/me/", "/me/stores/", "/me/stores/new/", "/me/staff/", "/me/api-tokens/"]
)
def test_anonymous_visitor_is_sent_to_log_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


# ------------------------------------------------------------------------------------ API


def test_api_lists_only_the_stores_a_user_may_see(store, other_store, staff_user, analyst, officer):
    def names(user):
        return sorted(s["name"] for s in client_for(user).get("/api/stores").json()["items"])

    assert names(store.member.owner) == [store.name]
    assert names(staff_user) == [store.name]
    assert names(analyst) == sorted([store.name, other_store.name])
    assert names(officer) == []


def test_api_anonymous_gets_401(client, store):
    assert client.get("/api/stores").status_code == 401
    assert client.get(f"/api/stores/{store.pk}").status_code == 401
    assert (
        client.post("/api/stores", store_payload(), content_type="application/json").status_code
        == 401
    )


def test_api_token_reads_and_writes_without_cookies_or_csrf(member):
    # given an API token
    client = token_client(api_token_for(member.owner))
    # when an integration adds a store and lists stores with it
    created = client.post("/api/stores", store_payload(), content_type="application/json")
    listed = client.get("/api/stores")
    # then both work, with no session and no CSRF token
    assert created.status_code == 201, created.content
    assert [s["name"] for s in listed.json()["items"]] == ["Cherry Creek Diamonds"]
    assert member.owner.api_tokens.get().last_used_at is not None


def test_api_token_of_one_member_gives_404_on_anothers_store(store, other_store):
    client = token_client(api_token_for(store.member.owner))
    assert client.get(f"/api/stores/{other_store.pk}").status_code == 404


@pytest.mark.parametrize(
    "token",
    ["garbage", "jg_" + "x" * 43, "jg_" + "x" * 5000, ""],
    ids=["garbage", "unknown", "overlong", "empty"],
)
def test_api_refuses_tokens_it_did_not_issue(member, token):
    client = token_client(token)
    assert client.get("/api/stores").status_code == 401
    refused = client.post("/api/stores", store_payload(), content_type="application/json")
    assert refused.status_code == 401
    assert Store.objects.count() == 0


def test_api_refuses_a_revoked_token(member):
    # given a token that worked
    api_token, token = services.api_token_create(user=member.owner, name="Old till")
    assert token_client(token).get("/api/stores").status_code == 200
    # when the member revokes it on the tokens page
    client_for(member.owner).post(f"/me/api-tokens/{api_token.pk}/revoke/")
    # then it is refused
    assert token_client(token).get("/api/stores").status_code == 401


def test_api_refuses_the_token_of_a_deactivated_user(member):
    token = api_token_for(member.owner)
    member.owner.is_active = False
    member.owner.save(update_fields=["is_active"])
    assert token_client(token).get("/api/stores").status_code == 401


def test_tokens_page_shows_a_new_token_once(member):
    client = client_for(member.owner)
    created = client.post("/me/api-tokens/", {"name": "Point of sale"}).content.decode()
    token = created.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("jg_")
    assert token_client(token).get("/api/stores").status_code == 200
    assert token not in client.get("/me/api-tokens/").content.decode()


def test_session_post_to_api_without_csrf_token_is_refused(member):
    # given a signed-in browser session that enforces CSRF, as real browsers get
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.owner)
    # when a page posts to the API without the CSRF token
    response = client.post("/api/stores", store_payload(), content_type="application/json")
    # then it is refused and nothing is saved
    assert response.status_code == 403
    assert Store.objects.count() == 0


def test_session_post_to_api_with_csrf_token_is_accepted(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.owner)
    client.get("/me/")  # a page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/stores",
        store_payload(),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201


def test_officers_staff_and_analysts_cannot_add_stores_via_api(officer, staff_user, analyst):
    for user in (officer, staff_user, analyst):
        response = client_for(user).post(
            "/api/stores", store_payload(), content_type="application/json"
        )
        assert response.status_code == 403
    assert Store.objects.count() == 1  # the staff user's employer's store, from the fixture
