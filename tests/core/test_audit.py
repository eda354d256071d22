"""The audit log: sensitive writes leave an entry, which analysts and administrators read."""

from __future__ import annotations

import pytest
from django.test import Client

from jewelguard.accounts import services as accounts_services
from jewelguard.accounts.models import Role, Store
from jewelguard.core.audit import AuditEntry, audit_record
from jewelguard.pledge.texts import current_pledge_version
from tests.accounts.conftest import store_payload
from tests.conftest import client_for
from tests.factories import (
    AdminFactory,
    AnalystFactory,
    ApiTokenFactory,
    StaffGrantFactory,
)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def browser_of(user) -> Client:
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    client.force_login(user)
    return client


def only_entry(action: str) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, [e.action for e in AuditEntry.objects.all()]
    return entries[0]


def test_deleting_a_store_on_its_page_is_logged_with_who_where_and_from_where(member, store):
    # when the member removes their store
    browser_of(member.owner).post(f"/me/stores/{store.pk}/delete/")
    # then the log says who removed which store, when, from which address and browser
    entry = only_entry("store.deleted")
    assert entry.actor == member.owner
    assert (entry.target_type.model, entry.target_id) == ("store", str(store.pk))
    assert entry.target_repr == "Front Range Jewelers"
    assert entry.client_ip == "203.0.113.7"
    assert entry.user_agent == BROWSER
    assert not Store.objects.exists()


def test_deleting_a_store_through_the_api_and_the_admin_is_logged_too(member, store, other_store):
    client_for(member.owner).delete(f"/api/stores/{store.pk}")
    administrator = AdminFactory()
    client_for(administrator).post(
        f"/admin/accounts/store/{other_store.pk}/delete/", {"post": "yes"}
    )
    entries = AuditEntry.objects.filter(action="store.deleted").order_by("pk")
    assert [(e.actor, e.target_id) for e in entries] == [
        (member.owner, str(store.pk)),
        (administrator, str(other_store.pk)),
    ]


def test_a_refused_delete_writes_nothing(store, other_member):
    response = client_for(other_member.owner).post(f"/me/stores/{store.pk}/delete/")
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_removing_staff_is_logged_without_their_address(member, store, staff_user):
    grant = staff_user.staff_grants.get()
    browser_of(member.owner).post(f"/me/staff/{grant.pk}/revoke/")
    entry = only_entry("staff.removed")
    assert entry.actor == member.owner
    assert entry.target_repr == f"staff grant #{grant.pk} at Front Range Jewelers"
    assert staff_user.email not in str(entry.target_repr) + str(entry.details)


def test_creating_and_revoking_an_api_token_are_logged_but_never_the_token(member):
    client = browser_of(member.owner)
    page = client.post("/me/api-tokens/", {"name": "Point of sale"}).content.decode()
    token = page.split('id="new-token">')[1].split("<")[0]
    created = only_entry("api_token.created")
    api_token = member.owner.api_tokens.get()
    client.post(f"/me/api-tokens/{api_token.pk}/revoke/")
    revoked = only_entry("api_token.revoked")
    assert created.actor == revoked.actor == member.owner
    assert created.target_id == revoked.target_id == str(api_token.pk)
    for entry in (created, revoked):
        assert token not in entry.target_repr + str(entry.details)
        assert api_token.token_hash not in entry.target_repr + str(entry.details)


def test_taking_and_withdrawing_the_pledge_are_logged_without_the_reason(member, store):
    client = browser_of(member.owner)
    client.post("/pledge/take/", {"version": current_pledge_version().version, "accept": "on"})
    taken = only_entry("pledge.taken")
    client.post("/pledge/withdraw/", {"confirm": "on", "reason": "We sold the business to Jo"})
    withdrawn = only_entry("pledge.withdrawn")
    assert taken.actor == withdrawn.actor == member.owner
    assert taken.target_id == withdrawn.target_id
    assert "Jo" not in str(withdrawn.details) + withdrawn.target_repr
    assert withdrawn.client_ip == "203.0.113.7"


def test_a_role_changed_in_the_admin_is_logged_with_before_and_after(member):
    administrator = AdminFactory()
    person = member.owner
    response = client_for(administrator).post(
        f"/admin/accounts/user/{person.pk}/change/",
        {"email": person.email, "full_name": person.full_name, "language": "en",
         "role": "analyst", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    entry = only_entry("user.role_changed")
    assert entry.actor == administrator
    assert entry.details == {"from": Role.MEMBER, "to": Role.ANALYST}
    assert entry.target_repr == f"user #{person.pk}"  # not their e-mail address


def test_analysts_and_administrators_read_the_log_in_the_admin(member, store):
    accounts_services.store_delete(store=store, actor=member.owner)
    for reader in (AnalystFactory(), AdminFactory()):
        client = client_for(reader)
        listed = client.get("/admin/core/auditentry/")
        assert listed.status_code == 200
        assert "store.deleted" in listed.content.decode()
        entry = AuditEntry.objects.get()
        page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()


def test_nobody_rewrites_or_deletes_the_log_not_even_an_administrator(member, store):
    accounts_services.store_delete(store=store, actor=member.owner)
    entry = AuditEntry.objects.get()
    for who in (AnalystFactory(), AdminFactory()):
        client = client_for(who)
        changed = client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "x"})
        deleted = client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
        added = client.get("/admin/core/auditentry/add/")
        assert (changed.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    entry.refresh_from_db()
    assert entry.action == "store.deleted"


@pytest.mark.parametrize("who", ["member", "staff", "officer"])
def test_members_staff_and_officers_never_see_the_log(who, member, staff_user, officer, store):
    accounts_services.store_delete(store=store, actor=member.owner)
    user = {"member": member.owner, "staff": staff_user, "officer": officer}[who]
    response = client_for(user).get("/admin/core/auditentry/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_index_offers_the_log_to_analysts(analyst, member):
    assert "/admin/core/auditentry/" in client_for(analyst).get("/admin/").content.decode()


@pytest.mark.parametrize(
    ("remote_addr", "agent", "ip", "kept_agent"),
    [
        ("198.51.100.4", "x" * 5000, "198.51.100.4", "x" * 200),
        ("not-an-address", "curl/8.0", None, "curl/8.0"),
        ("2001:db8::1", "", "2001:db8::1", ""),
    ],
    ids=["oversized-agent", "garbage-address", "ipv6"],
)
def test_the_origin_is_kept_as_seen_and_trimmed(db, rf, remote_addr, agent, ip, kept_agent):
    request = rf.get("/", REMOTE_ADDR=remote_addr, HTTP_USER_AGENT=agent)
    token = ApiTokenFactory()
    entry = audit_record(actor=None, action="api_token.revoked", target=token, request=request)
    entry.refresh_from_db()
    assert (entry.client_ip, entry.user_agent, entry.actor) == (ip, kept_agent, None)


@pytest.mark.parametrize("action", ["", "x" * 65])
def test_an_action_verb_that_is_empty_or_too_long_is_refused(db, action):
    with pytest.raises(ValueError, match="audit action"):
        audit_record(actor=None, action=action, target=None)
    assert not AuditEntry.objects.exists()


def test_an_analyst_grant_made_in_the_admin_is_logged(member):
    administrator = AdminFactory()
    analyst = AnalystFactory()
    response = client_for(administrator).post(
        "/admin/accounts/analystgrant/add/",
        {"analyst": analyst.pk, "member": member.pk, "reason": "After the burglary"},
    )
    assert response.status_code == 302
    grant = analyst.analyst_grants.get()
    assert grant.granted_by == administrator
    assert only_entry("analyst_grant.created").target_id == str(grant.pk)


def test_api_store_created_by_token_is_not_logged_but_its_deletion_is(member):
    # Adding a store is not a sensitive write; removing one is.
    client = client_for(member.owner)
    created = client.post("/api/stores", store_payload(), content_type="application/json")
    assert created.status_code == 201
    assert not AuditEntry.objects.exists()
    client.delete(f"/api/stores/{created.json()['id']}")
    assert only_entry("store.deleted").actor == member.owner


def test_staff_grant_factory_grants_are_what_the_log_names(store):
    grant = StaffGrantFactory(store=store)
    accounts_services.staff_grant_revoke(grant=grant)
    assert only_entry("staff.removed").actor is None  # the system, no one signed in
