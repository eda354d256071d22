"""The admin site: analysts read everything in it, members and staff never get in."""

from __future__ import annotations

import pytest
from django.test import Client

from jewelguard.accounts.models import Store, User
from tests.conftest import client_for
from tests.factories import AdminFactory


def test_analyst_enters_the_admin_without_being_a_superuser(analyst):
    assert analyst.is_staff and not analyst.is_superuser
    assert not analyst.groups.exists()  # what they see there is the policies' business


def test_analyst_sees_every_user_but_changes_none(analyst, member):
    client = client_for(analyst)
    assert member.owner.email in client.get("/admin/accounts/user/").content.decode()
    page = client.get(f"/admin/accounts/user/{member.owner.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    refused = client.post(
        f"/admin/accounts/user/{member.owner.pk}/change/",
        {"email": member.owner.email, "role": "admin", "language": "en", "is_active": "on"},
    )
    assert refused.status_code == 403
    member.owner.refresh_from_db()
    assert member.owner.role == "member"


def test_the_admin_index_lists_only_what_an_analyst_may_read(analyst):
    index = client_for(analyst).get("/admin/").content.decode()
    assert "/admin/accounts/store/" in index
    assert "/admin/playbook/inquiry/" in index
    assert "/admin/auth/group/" not in index
    assert "/admin/accounts/apitoken/" not in index


def test_analyst_reads_the_store_list_and_a_store_in_the_admin(analyst, store, other_store):
    client = client_for(analyst)
    index = client.get("/admin/")
    assert index.status_code == 200
    listed = client.get("/admin/accounts/store/").content.decode()
    assert store.name in listed and other_store.name in listed
    page = client.get(f"/admin/accounts/store/{store.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only: no save button


def test_analyst_cannot_change_or_delete_in_the_admin(analyst, store):
    client = client_for(analyst)
    changed = client.post(f"/admin/accounts/store/{store.pk}/change/", {"name": "Hacked"})
    deleted = client.post(f"/admin/accounts/store/{store.pk}/delete/", {"post": "yes"})
    assert changed.status_code == 403
    assert deleted.status_code == 403
    store.refresh_from_db()
    assert store.name == "Front Range Jewelers"
    assert client.get("/admin/auth/group/").status_code == 403


@pytest.mark.parametrize("who", ["member", "staff", "officer"])
def test_members_staff_and_officers_cannot_enter_the_admin(who, member, staff_user, officer):
    user = {"member": member.owner, "staff": staff_user, "officer": officer}[who]
    client = client_for(user)
    for path in ("/admin/", "/admin/accounts/store/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_anonymous_cannot_enter_the_admin(client, db):
    assert client.get("/admin/accounts/store/")["Location"].startswith("/admin/login/")


def test_administrator_adds_a_user_in_the_admin(db):
    admin = AdminFactory(email="ops@association.example")
    assert admin.is_superuser and admin.is_staff
    client = client_for(admin)
    assert client.get("/admin/accounts/user/add/").status_code == 200
    response = client.post(
        "/admin/accounts/user/add/",
        {"email": "jo@association.example", "password1": "Tr0ub4dor&3-long",
         "password2": "Tr0ub4dor&3-long", "role": "analyst", "usable_password": "true"},
    )  # fmt: skip
    assert response.status_code == 302
    assert User.objects.get(email="jo@association.example").check_password("Tr0ub4dor&3-long")


def test_administrator_renames_a_store_but_location_stays_with_the_geocoder(db, store):
    admin = AdminFactory(email="ops@association.example")
    client = client_for(admin)
    page = client.get(f"/admin/accounts/store/{store.pk}/change/").content.decode()
    assert 'name="name"' in page
    assert 'name="latitude"' not in page  # shown, not editable
    assert client.get("/admin/accounts/store/add/").status_code == 403
    assert Store.objects.count() == 1


def test_admin_login_page_refuses_members(member):
    client = Client()
    response = client.post(
        "/admin/login/", {"username": member.owner.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 200  # the form again: members are not staff
    assert client.get("/admin/").status_code == 302


def _change_role(client: Client, user: User, role: str) -> int:
    return client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {"email": user.email, "full_name": user.full_name, "language": "en", "role": role,
         "is_active": "on"},
    ).status_code  # fmt: skip


def test_role_changed_in_the_admin_brings_the_matching_admin_access(db, member):
    # given an administrator and a member jeweler
    client = client_for(AdminFactory(email="ops@association.example"))
    person = member.owner
    # when the administrator makes them an analyst
    assert _change_role(client, person, "analyst") == 302
    person.refresh_from_db()
    # then they may enter the admin and read every store there
    assert person.is_staff and not person.is_superuser
    assert client_for(person).get("/admin/accounts/store/").status_code == 200
    # when the role goes back to member, the access goes with it
    assert _change_role(client, person, "member") == 302
    person.refresh_from_db()
    assert not person.is_staff
    assert client_for(person).get("/admin/accounts/store/").status_code == 302
