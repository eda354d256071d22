"""Layout in Debian's chromium at 1280 px: one-row header, long names, the hours table,
and the language menu with and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import login_in_browser, make_store

pytestmark = pytest.mark.browser

LONG_NAME = "Goldenrod" * 13 + "Jew"  # 120 characters, no space to break at


def _header_height(page: Page) -> float:
    return float(
        page.locator("header.site-header").evaluate("e => e.getBoundingClientRect().height")
    )


def _overflows(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_header_is_one_row_at_1280_when_logged_in(page: Page, live_server, member, language):
    # given a signed-out visitor's header, as a reference for one row
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/playbook/")
    one_row = _header_height(page)
    # when a member logs in
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(member.owner.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/me/")
    # then the header is still one row tall
    assert page.viewport_size and page.viewport_size["width"] == 1280
    assert _header_height(page) <= one_row + 1
    assert _header_height(page) < 80


def test_a_long_unbroken_store_name_stays_on_the_page(page: Page, live_server, member):
    store = make_store(member, name=LONG_NAME)
    login_in_browser(page, live_server, member.owner.email)

    for path in (
        "/me/",
        "/me/stores/",
        f"/me/stores/{store.pk}/",
        f"/me/stores/{store.pk}/delete/",
    ):
        page.goto(live_server.url + path)
        assert not _overflows(page), path


def test_hours_table_keeps_its_width_when_it_shows_an_error(page: Page, live_server, store):
    login_in_browser(page, live_server, store.member.owner.email)
    page.goto(f"{live_server.url}/me/stores/{store.pk}/edit/")
    table = page.locator("table.hours-table").first  # the week; special days follow
    before = float(table.evaluate("e => e.getBoundingClientRect().width"))

    # when Monday's closing time is left out
    page.get_by_label("Monday closes").fill("")
    page.get_by_role("button", name="Save store").click()

    # then the error shows inside the table, which does not grow wider
    expect(table.locator(".errorlist").first).to_be_visible()
    after = float(table.evaluate("e => e.getBoundingClientRect().width"))
    assert after <= before + 1


def test_language_menu_changes_on_select(page: Page, live_server, db):
    page.goto(f"{live_server.url}/playbook/")
    # with scripts, there is no separate button to press
    expect(page.locator(".language-switcher button")).to_have_count(0)
    page.locator("#language-select").select_option("fr-ca")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    assert page.url == f"{live_server.url}/playbook/"


def test_language_menu_has_a_button_without_javascript(browser: Browser, live_server, db):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/playbook/")
    page.locator("#language-select").select_option("fr-ca")
    page.locator(".language-switcher").get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    context.close()
