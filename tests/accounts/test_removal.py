"""Removing a store, a person's access or an API token asks first and says what will go."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from jewelguard.accounts import services
from jewelguard.accounts.models import ApiToken, StaffGrant, Store
from tests.conftest import client_for, login_in_browser
from tests.pledge.conftest import take_pledge


@pytest.mark.browser
def test_removing_a_pledged_store_asks_first_and_lists_what_goes(
    page: Page, live_server, store, staff_user
):
    # given a pledged member whose store has a staff member
    take_pledge(store.member)
    login_in_browser(page, live_server, store.member.owner.email)

    # when they click "Remove this store"
    page.goto(f"{live_server.url}/me/stores/{store.pk}/")
    page.get_by_role("link", name="Remove this store").click()

    # then nothing is removed yet; the page says what will go with it
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remove {store.name}?")
    losses = page.locator("ul.losses")
    expect(losses).to_contain_text("toolkit")
    expect(losses).to_contain_text("no longer a member")
    expect(losses).to_contain_text(staff_user.email)
    expect(losses).to_contain_text("6 days a week")
    expect(page.locator("main")).to_contain_text("This is your only store")
    assert Store.objects.filter(pk=store.pk).exists()

    # when they change their mind, the store is still there
    page.get_by_role("link", name="Keep it").click()
    page.wait_for_url(f"{live_server.url}/me/stores/{store.pk}/")

    # when they confirm, it goes
    page.get_by_role("link", name="Remove this store").click()
    page.get_by_role("button", name="Remove the store").click()
    page.wait_for_url(f"{live_server.url}/me/stores/")
    expect(page.locator(".messages")).to_contain_text(f"Store removed: {store.name}")
    assert not Store.objects.filter(pk=store.pk).exists()
    assert not StaffGrant.objects.filter(user=staff_user).exists()


@pytest.mark.browser
def test_removing_staff_and_revoking_a_token_work_without_javascript(
    browser: Browser, live_server, store, staff_user
):
    # given a member with a staff member and a token, in a browser without JavaScript
    _api_token, _secret = services.api_token_create(user=store.member.owner, name="Till")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    login_in_browser(page, live_server, store.member.owner.email)

    # when they remove the staff member's access, they are asked first
    page.goto(f"{live_server.url}/me/staff/")
    page.get_by_role("link", name="Remove").click()
    expect(page.locator("main")).to_contain_text(f"{staff_user.email} will no longer see")
    assert StaffGrant.objects.filter(user=staff_user).exists()
    page.get_by_role("button", name="Remove access").click()
    page.wait_for_url(f"{live_server.url}/me/staff/")
    assert not StaffGrant.objects.filter(user=staff_user).exists()

    # and when they revoke the token, too
    page.goto(f"{live_server.url}/me/api-tokens/")
    page.get_by_role("link", name="Revoke").click()
    expect(page.locator("main")).to_contain_text("“Till”")
    assert ApiToken.objects.filter(name="Till").exists()
    page.get_by_role("button", name="Revoke the token").click()
    page.wait_for_url(f"{live_server.url}/me/api-tokens/")
    assert not ApiToken.objects.filter(name="Till").exists()
    context.close()


def test_opening_the_removal_pages_removes_nothing(store, staff_user):
    api_token, _secret = services.api_token_create(user=store.member.owner, name="Till")
    client = client_for(store.member.owner)
    grant = StaffGrant.objects.get(user=staff_user)

    for path in (
        f"/me/stores/{store.pk}/delete/",
        f"/me/staff/{grant.pk}/revoke/",
        f"/me/api-tokens/{api_token.pk}/revoke/",
    ):
        assert client.get(path).status_code == 200

    assert Store.objects.filter(pk=store.pk).exists()
    assert StaffGrant.objects.filter(pk=grant.pk).exists()
    assert ApiToken.objects.filter(pk=api_token.pk).exists()


def test_another_member_cannot_open_the_removal_pages(store, staff_user, other_member):
    api_token, _secret = services.api_token_create(user=store.member.owner, name="Till")
    grant = StaffGrant.objects.get(user=staff_user)
    client = client_for(other_member.owner)

    assert client.get(f"/me/stores/{store.pk}/delete/").status_code == 404
    assert client.get(f"/me/staff/{grant.pk}/revoke/").status_code == 404
    assert client.get(f"/me/api-tokens/{api_token.pk}/revoke/").status_code == 404
