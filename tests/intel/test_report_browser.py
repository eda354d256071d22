"""Reporting in a real browser: a smash-and-grab with two offenders and a vehicle, in time."""

from __future__ import annotations

import time

import pytest

from jewelguard.intel.models import Incident, IncidentDraft
from jewelguard.intel.selectors import incident_draft_open
from tests.conftest import login_in_browser


@pytest.mark.browser
def test_a_member_reports_two_offenders_and_a_vehicle_then_finds_it(
    page, live_server, member, store
):
    # given a member jeweler, signed in
    login_in_browser(page, live_server, member.owner.email)
    started = time.monotonic()
    # when they open the report page and choose the scenario in one click
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("link", name="Smash-and-grab robbery").click()
    page.wait_for_url("**/report/?scenario=smash_and_grab")
    page.get_by_label("When did it happen?").fill("2026-03-04T15:30")
    first = page.locator("#offender-0")
    first.get_by_label("Youngest age").fill("20")
    first.get_by_label("Oldest age").fill("25")
    first.get_by_label("Male", exact=True).check()
    first.get_by_label("Height").select_option("180")
    first.get_by_label("Clothing").fill("Black hoodie, grey jeans")
    # and add a second offender and a vehicle (htmx brings the rows)
    page.get_by_role("button", name="Add another offender").click()
    second = page.locator("#offender-1")
    second.get_by_label("Clothing").fill("Orange construction vest")
    second.get_by_label("Disguise (mask, hood, gloves…)").fill("Surgical mask")
    page.get_by_role("button", name="Add a vehicle").click()
    vehicle = page.locator("#vehicle-0")
    vehicle.get_by_label("Make").fill("Honda")
    vehicle.get_by_label("Model").fill("Civic")
    vehicle.get_by_label("Plate:", exact=True).fill("abc123")
    vehicle.get_by_label("Direction of travel").select_option("N")
    # the draft is saved as they type: closing the page now would lose nothing
    page.get_by_text("Draft saved at").wait_for()
    for _attempt in range(50):  # the last keystroke is saved a moment after it is typed
        draft = IncidentDraft.objects.filter(user=member.owner).first()
        if draft and draft.fields.get("vehicle-0-direction_of_travel") == ["N"]:
            break
        page.wait_for_timeout(100)
    page.reload()
    assert page.locator("#offender-1").get_by_label("Clothing").input_value() == (
        "Orange construction vest"
    )
    assert page.locator("#vehicle-0").get_by_label("Make").input_value() == "Honda"
    page.get_by_label("Value taken, in dollars").fill("12500")
    page.get_by_label("Hammer or sledgehammer").check()
    page.get_by_role("button", name="Send the report").click()
    # then they land on the incident's page, within two minutes of starting
    page.wait_for_url("**/incidents/*/")
    elapsed = time.monotonic() - started
    assert elapsed < 120, elapsed
    incident = Incident.objects.get()
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Incident #{incident.pk}")
    assert incident.offenders.count() == 2
    assert incident.vehicles.get().plate == "ABC123"
    assert incident_draft_open(user=member.owner) is None
    # and find it under "Incidents"
    page.get_by_role("link", name="Incidents", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/incidents/")
    assert page.get_by_role("link", name=f"#{incident.pk}").is_visible()
