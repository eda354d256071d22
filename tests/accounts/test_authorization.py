"""Who may see and change which store, on the pages and through the API."""

from __future__ import annotations

import pytest
from django.test import Client

from jewelguard.accounts import services
from jewelguard.accounts.models import Role, StaffRight, Store
from tests.accounts.conftest import (
    api_token_for,
    store_form_data,
    store_payload,
    token_client,
)
from tests.conftest import client_for, make_user

# ---------------------------------------------------------------------------------- pages


def test_member_sees_and_changes_own_store(member_client, store):
    # given a member with a store
    # when they open, edit and delete it
    seen = member_client.get(f"/me/stores/{store.pk}/")
    edited = member_client.post(
        f"/me/stores/{store.pk}/edit/", store_form_data(name="Front Range Jewelers Downtown")
    )
    # then every step works
    assert seen.status_code == 200
    assert edited.status_code == 302
    store.refresh_from_db()
    assert store.name == "Front Range Jewelers Downtown"
    assert member_client.post(f"/me/stores/{store.pk}/delete/").status_code == 302
    assert not Store.objects.filter(pk=store.pk).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/me/stores/{pk}/"),
        ("get", "/me/stores/{pk}/edit/"),
        ("post", "/me/stores/{pk}/edit/"),
        ("post", "/me/stores/{pk}/delete/"),
    ],
)
def test_member_gets_404_for_another_members_store(store, other_store, method, path):
    # given two members, each with a store
    client = client_for(store.member.owner)
    # when member A reaches for member B's store
    response = getattr(client, method)(path.format(pk=other_store.pk), store_form_data())
    # then it does not exist for them, and nothing changed
    assert response.status_code == 404
    other_store.refresh_from_db()
    assert other_store.name == "Rittenhouse Fine Jewelry"


def test_store_list_shows_only_own_stores(store, other_store):
    page = client_for(store.member.owner).get("/me/stores/").content.decode()
    assert store.name in page
    assert other_store.name not in page


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


def test_staff_with_edit_right_can_edit_but_not_delete(staff_user, store):
    # given the member grants the staff user the right to edit the store
    store.staff_grants.filter(user=staff_user).update(
        rights=[StaffRight.VIEW, StaffRight.EDIT_STORE]
    )
    client = client_for(staff_user)
    # when they change its name
    response = client.post(f"/me/stores/{store.pk}/edit/", store_form_data(name="Larimer Gems"))
    # then it is saved, but removing the store stays the owner's decision
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.name == "Larimer Gems"
    assert client.post(f"/me/stores/{store.pk}/delete/").status_code == 403


def test_analyst_sees_every_store_but_changes_none(analyst, store, other_store):
    client = client_for(analyst)
    listed = client.get("/me/stores/").content.decode()
    assert store.name in listed and other_store.name in listed
    assert client.get(f"/me/stores/{other_store.pk}/").status_code == 200
    assert client.post(f"/me/stores/{store.pk}/edit/", store_form_data()).status_code == 403
    assert client.post(f"/me/stores/{store.pk}/delete/").status_code == 403
    assert Store.objects.count() == 2


def test_officer_sees_no_stores(officer, store):
    client = client_for(officer)
    assert store.name not in client.get("/me/stores/").content.decode()
    assert client.get(f"/me/stores/{store.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/me/", "/me/stores/", "/me/stores/new/", "/me/staff/", "/me/api-tokens/"]
)
def test_anonymous_visitor_is_sent_to_log_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_anonymous_visitor_cannot_open_a_store(client, store):
    response = client.get(f"/me/stores/{store.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_member_cannot_revoke_another_members_staff(staff_user, other_member):
    grant = staff_user.staff_grants.get()
    response = client_for(other_member.owner).post(f"/me/staff/{grant.pk}/revoke/")
    assert response.status_code == 404
    assert staff_user.staff_grants.exists()


# ------------------------------------------------------------------------------------ API


def test_api_lists_only_the_stores_a_user_may_see(store, other_store, staff_user, analyst, officer):
    def names(user):
        return sorted(s["name"] for s in client_for(user).get("/api/stores").json()["items"])

    assert names(store.member.owner) == [store.name]
    assert names(staff_user) == [store.name]
    assert names(analyst) == sorted([store.name, other_store.name])
    assert names(officer) == []


def test_api_gives_404_for_another_members_store(store, other_store):
    client = client_for(store.member.owner)
    path = f"/api/stores/{other_store.pk}"
    assert client.get(path).status_code == 404
    assert client.put(path, store_payload(), content_type="application/json").status_code == 404
    assert client.delete(path).status_code == 404
    assert Store.objects.filter(pk=other_store.pk).exists()


def test_api_refuses_staff_edit_without_the_right_and_allows_it_with(staff_user, store):
    client = client_for(staff_user)
    path = f"/api/stores/{store.pk}"
    refused = client.put(path, store_payload(name="Larimer Gems"), content_type="application/json")
    assert refused.status_code == 403
    store.staff_grants.filter(user=staff_user).update(rights=["view", "edit_store"])
    allowed = client.put(path, store_payload(name="Larimer Gems"), content_type="application/json")
    assert allowed.status_code == 200
    assert allowed.json()["name"] == "Larimer Gems"
    assert client.delete(path).status_code == 403


def test_api_analyst_reads_but_cannot_change(analyst, store):
    client = client_for(analyst)
    assert client.get(f"/api/stores/{store.pk}").status_code == 200
    response = client.put(
        f"/api/stores/{store.pk}", store_payload(), content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        client.post("/api/stores", store_payload(), content_type="application/json").status_code
        == 403
    )
    assert client.delete(f"/api/stores/{store.pk}").status_code == 403


def test_api_officer_sees_no_store(officer, store):
    assert client_for(officer).get(f"/api/stores/{store.pk}").status_code == 404


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


def test_member_cannot_revoke_another_users_token(member, other_member):
    api_token, token = services.api_token_create(user=other_member.owner, name="Till")
    response = client_for(member.owner).post(f"/me/api-tokens/{api_token.pk}/revoke/")
    assert response.status_code == 404
    assert token_client(token).get("/api/stores").status_code == 200


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


def test_officer_and_staff_cannot_add_stores_via_api(officer, staff_user):
    for user in (officer, staff_user):
        response = client_for(user).post(
            "/api/stores", store_payload(), content_type="application/json"
        )
        assert response.status_code == 403
    assert Store.objects.count() == 1  # the staff user's employer's store, from the fixture


def test_admin_role_may_do_everything(store):
    admin = make_user("ops@association.example", role=Role.ADMIN)
    client = client_for(admin)
    assert client.get(f"/me/stores/{store.pk}/edit/").status_code == 200
    assert client.delete(f"/api/stores/{store.pk}").status_code == 204
