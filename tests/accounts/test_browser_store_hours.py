"""The store form's hours in Debian's chromium: tick a day closed, copy Monday to the other
weekdays, add a holiday; and a Canadian store placed by its postal code alone."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from jewelguard.accounts.models import LocationSource, Store
from tests.accounts.test_browser import console_errors, marker_at
from tests.conftest import login_in_browser

pytestmark = pytest.mark.browser


def test_jeweler_copies_monday_to_the_weekdays_and_adds_a_holiday(page: Page, live_server, member):
    errors = console_errors(page)
    login_in_browser(page, live_server, member.owner.email)
    page.goto(f"{live_server.url}/me/stores/new/")
    page.get_by_label("Store name").fill("Front Range Jewelers — Cherry Creek")
    page.get_by_label("Street address").fill("3000 E 1st Ave")
    page.get_by_label("ZIP or postal code").fill("80206")
    # when Monday's hours are given once and copied to Tuesday-Friday
    page.get_by_label("Monday opens").fill("10:00")
    page.get_by_label("Monday closes").fill("18:00")
    page.get_by_role("button", name="Copy Monday\u2019s hours to Tuesday\u2013Friday").click()
    # then Friday shows them, and the weekend is left alone
    expect(page.get_by_label("Friday opens")).to_have_value("10:00")
    expect(page.get_by_label("Friday closes")).to_have_value("18:00")
    expect(page.get_by_label("Saturday opens")).to_have_value("")
    # when Saturday is opened and then ticked closed, its times are greyed out
    page.get_by_label("Saturday opens").fill("11:00")
    page.get_by_label("Saturday closes").fill("16:00")
    page.get_by_label("Saturday: closed").check()
    expect(page.get_by_label("Saturday opens")).to_be_disabled()
    # and Christmas is added as a closed special day
    page.get_by_label("Special day 1: Date").fill("2026-12-25")
    page.get_by_label("Special day 1: Occasion").fill("Christmas")
    page.get_by_label("Special day 1: Closed all day").check()
    page.get_by_role("button", name="Save store").click()
    # then the store is open Monday to Friday only, closed on Christmas
    expect(page.get_by_role("status")).to_contain_text("Store added")
    store = Store.objects.get()
    assert [str(h) for h in store.hours.all()] == [
        f"{day} 10:00-18:00" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    ]
    [christmas] = store.hours_exceptions.all()
    assert (christmas.date, christmas.label, christmas.is_closed) == (
        date(2026, 12, 25),
        "Christmas",
        True,
    )
    expect(page.get_by_text("Christmas: closed")).to_be_visible()
    assert errors == []


def test_canadian_store_is_placed_by_its_postal_code_in_the_browser(
    page: Page, live_server, member
):
    errors = console_errors(page)
    login_in_browser(page, live_server, member.owner.email)
    page.goto(f"{live_server.url}/me/stores/new/")
    page.get_by_label("Store name").fill("Bijouterie du Vieux-Port")
    page.get_by_label("Street address").fill("400 Rue Saint-Paul O")
    page.get_by_label("Country").select_option("CA")
    page.get_by_label("ZIP or postal code").fill("H2Y 2A6")
    # the coordinates stay folded away: a jeweler need not see them
    expect(page.get_by_label("Latitude")).to_be_hidden()
    expect(page.get_by_role("link", name="Open Database License (ODbL)")).to_be_visible()
    page.get_by_role("button", name="Save store").click()
    expect(page.get_by_role("status")).to_contain_text("Store added")
    store = Store.objects.get()
    assert (store.region, store.location_source) == ("QC", LocationSource.POSTAL_CODE)
    assert marker_at(page, "#store-map") == pytest.approx(
        (store.latitude, store.longitude), abs=1e-6
    )
    assert errors == []
