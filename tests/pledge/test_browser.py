"""The whole journey in a real browser: pledge, toolkit, ZIP, QR code, verify, withdraw."""

from __future__ import annotations

import zipfile
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from jewelguard.pledge import selectors
from tests.conftest import login_in_browser
from tests.pledge.conftest import decode_qr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_pledges_downloads_the_toolkit_and_the_badge_verifies(
    page, live_server, member, store, settings, tmp_path
):
    # given the QR codes point at this server
    settings.JEWELGUARD_SITE_URL = live_server.url
    # when the member logs in and takes the pledge
    login_in_browser(page, live_server, member.owner.email)
    page.goto(f"{live_server.url}/pledge/")
    page.get_by_label("I take the Partner for Protection pledge").check()
    page.get_by_role("button", name="Take the pledge").click()
    # then the toolkit opens, saying it is being made (the page built nothing)
    page.wait_for_url(f"{live_server.url}/pledge/toolkit/{store.pk}/")
    expect(page.get_by_role("heading", name="Front Range Jewelers")).to_be_visible()
    expect(page.get_by_role("heading", name="Your toolkit is being made")).to_be_visible()
    # when the worker has made it, the page refreshes by itself and shows the previews
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(page.get_by_role("heading", name="Previews")).to_be_visible(timeout=15_000)
    badge = page.locator("img[src*='badge-512.png']")
    badge.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 512", arg=badge.element_handle()
    )
    page.screenshot(path=tmp_path / "toolkit-page.png", full_page=True)
    # when the member downloads everything
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download everything (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename == "front-range-jewelers-partner-for-protection-toolkit.zip"
    archive_path = tmp_path / "toolkit.zip"
    download.save_as(archive_path)
    # then the badge's QR code, read from the PNG, is this store's verification address
    with zipfile.ZipFile(archive_path) as archive:
        url = decode_qr(archive.read("badge-1024.png"))
    assert url.startswith(f"{live_server.url}/pledge/verify/")
    # and opening it says the badge is valid
    page.goto(url)
    expect(page.get_by_role("heading", name="Valid badge")).to_be_visible()
    expect(page.get_by_text("Front Range Jewelers").first).to_be_visible()
    page.screenshot(path=tmp_path / "verify-valid.png", full_page=True)
    # when the member withdraws
    page.goto(f"{live_server.url}/pledge/")
    page.screenshot(path=tmp_path / "pledge-page.png", full_page=True)
    page.goto(f"{live_server.url}/pledge/withdraw/")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_url(f"{live_server.url}/pledge/")
    assert selectors.pledge_active_for(member=member) is None
    # then the same address says the store is no longer a member
    page.goto(url)
    expect(page.get_by_role("heading", name="No longer a member")).to_be_visible()
    # and an address with one character changed is refused
    path = urlsplit(url).path
    token = path.removeprefix("/pledge/verify/").removesuffix("/")
    tampered = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    response = page.goto(f"{live_server.url}/pledge/verify/{tampered}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not a valid badge")).to_be_visible()
