"""A jeweler's first visit, in Debian's chromium: sign up, confirm, add a store, see it on the
map, log out and in, read the site in French; password reset; keyboard use."""

from __future__ import annotations

import time as clock
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from jewelguard.accounts.models import LocationSource, Store, User
from tests.accounts.conftest import links_in
from tests.conftest import PASSWORD, login_in_browser
from tests.factories import StoreFactory

pytestmark = pytest.mark.browser

NEW_PASSWORD = "amber-quartz-lantern-42"


@pytest.fixture(autouse=True)
def _site_url(settings, live_server):
    """Links in mail point at the site's public address: here, the test server."""
    settings.JEWELGUARD_SITE_URL = live_server.url


def mail_link(smtp_server: Any, address: str, fragment: str, timeout: float = 5.0) -> str:
    """The first link containing ``fragment`` in mail to ``address``, waiting for it."""
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        for body in smtp_server.bodies_to(address):
            for link in links_in(body):
                if fragment in link:
                    return link
        clock.sleep(0.05)
    raise AssertionError(f"no mail to {address} with a {fragment} link")


def console_errors(page: Page) -> list[str]:
    """Errors the browser reports (blocked by the Content-Security-Policy, missing files,
    failing scripts), gathered as they come."""
    seen: list[str] = []
    page.on(
        "console", lambda message: seen.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def marker_at(page: Page, selector: str) -> tuple[float, float]:
    """Where the map's Leaflet marker stands, once it does."""
    expect(page.locator(f"{selector} .leaflet-marker-icon")).to_have_count(1)
    element = page.locator(selector)
    return (
        float(element.get_attribute("data-marker-lat") or "nan"),
        float(element.get_attribute("data-marker-lon") or "nan"),
    )


def test_new_jeweler_signs_up_adds_a_store_and_reads_it_in_french(
    page: Page, live_server, smtp_server, tasks_immediate
):
    errors = console_errors(page)
    email = "rosa@goldenrod.example"
    # given a jeweler on the sign-up page
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Your name").fill("Rosa Delgado")
    page.get_by_label("Business name").fill("Goldenrod Jewelers")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Join").click()
    # when they open the link mailed to them and confirm
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    page.goto(mail_link(smtp_server, email, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    # then they land on their own page, signed in, as the member business they named
    page.wait_for_url(f"{live_server.url}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goldenrod Jewelers")
    assert User.objects.get(email=email).member.name == "Goldenrod Jewelers"

    # when they add a store by its ZIP code, open Monday to Friday
    page.get_by_role("link", name="Add a store").click()
    page.get_by_label("Store name").fill("Goldenrod Jewelers — LoDo")
    page.get_by_label("Street address").fill("1430 Larimer St")
    page.get_by_label("ZIP or postal code").fill("80202")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(f"{day} opens").fill("10:00")
        page.get_by_label(f"{day} closes").fill("18:00")
    page.get_by_role("button", name="Save store").click()
    # then the store page shows it, its hours, and a marker at the ZIP code's centroid
    expect(page.get_by_role("status")).to_contain_text("Store added: Goldenrod Jewelers — LoDo")
    store = Store.objects.get(name="Goldenrod Jewelers — LoDo")
    assert (store.latitude, store.longitude) == pytest.approx((39.7491, -104.9946))
    assert marker_at(page, "#store-map") == pytest.approx((39.7491, -104.9946), abs=1e-6)
    assert page.locator("#store-map .leaflet-tile").count() == 0  # no tiles in tests
    expect(page.get_by_role("row", name="Friday 10:00\u201318:00")).to_be_visible()
    # and the edit form's map picker starts at the same spot
    page.get_by_role("link", name="Edit").click()
    assert marker_at(page, "#map-picker") == pytest.approx((39.7491, -104.9946), abs=1e-6)

    # when they log out and back in
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    login_in_browser(page, live_server, email)

    # and switch the language to French (Canada)
    # (the menu changes the language as soon as one is chosen)
    page.get_by_label("Language").select_option(label="Français (Canada)")
    # then the page speaks French, and says so
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter un magasin")).to_be_visible()
    page.get_by_role("link", name="Voir les magasins").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Magasins")
    assert errors == []


def test_canadian_store_is_placed_with_the_map_picker(page: Page, live_server, member):
    errors = console_errors(page)
    login_in_browser(page, live_server, member.owner.email)
    page.goto(f"{live_server.url}/me/stores/new/")
    page.get_by_label("Store name").fill("Bijouterie du Vieux-Port")
    page.get_by_label("Street address").fill("400 Rue Saint-Paul O")
    page.get_by_label("Country").select_option("CA")
    page.get_by_label("ZIP or postal code").fill("H2Y 2A6")
    # typing coordinates (folded away under the map) moves the marker there
    page.get_by_text("Exact coordinates (optional)").click()
    page.get_by_label("Latitude").fill("45.5017")
    page.get_by_label("Longitude").fill("-73.5673")
    page.get_by_label("Longitude").press("Tab")
    assert marker_at(page, "#map-picker") == pytest.approx((45.5017, -73.5673), abs=1e-4)
    # clicking the map moves marker and coordinates to the spot clicked
    page.locator("#map-picker").click(position={"x": 300, "y": 150})
    picked = (
        float(page.get_by_label("Latitude").input_value()),
        float(page.get_by_label("Longitude").input_value()),
    )
    assert picked == pytest.approx((45.50, -73.57), abs=0.02)
    assert marker_at(page, "#map-picker") == pytest.approx(picked, abs=1e-6)
    page.get_by_role("button", name="Save store").click()
    expect(page.get_by_role("status")).to_contain_text("Store added")
    store = Store.objects.get(name="Bijouterie du Vieux-Port")
    assert store.location_source == LocationSource.MAP
    assert (store.latitude, store.longitude) == pytest.approx(picked, abs=1e-6)
    assert marker_at(page, "#store-map") == pytest.approx(picked, abs=1e-6)
    assert errors == []


def test_password_reset_mail_arrives_and_the_new_password_works(
    page: Page, live_server, smtp_server, member, tasks_immediate
):
    email = member.owner.email
    # given a member who forgot their password asks for a reset
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    # when they follow the mailed link and choose a new password
    page.goto(mail_link(smtp_server, email, "/accounts/password/reset/key/"))
    page.get_by_label("New Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()
    # then the new password signs them in, and the old one no longer does
    login_in_browser(page, live_server, email, password=NEW_PASSWORD)
    member.owner.refresh_from_db()
    assert not member.owner.check_password(PASSWORD)


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(page: Page, live_server):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.textContent]"
    )
    assert focused == ["skip-link", "Skip to main content"]
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"


def test_markup_in_a_store_name_shows_as_text_in_the_browser(page: Page, live_server, member):
    markup = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    store = StoreFactory(member=member, name=markup[:120])
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login_in_browser(page, live_server, member.owner.email)
    page.goto(f"{live_server.url}/me/stores/{store.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(store.name)
    assert page.locator("main script, main img[src=x]").count() == 0
    assert page.locator("script").count() == 3  # site.js, leaflet.js, map-picker.js
    assert dialogs == []
