"""The crime map in a real browser: hexagons and legend, filters that refetch, a cell's counts."""

from __future__ import annotations

import h3
import pytest
from playwright.sync_api import expect

from tests.conftest import login_in_browser
from tests.factories import StoreFactory
from tests.intel.incidents import incident_imported

LARIMER = h3.latlng_to_cell(39.7478, -104.9994, 9)
CITY_PARK = h3.latlng_to_cell(39.7600, -104.9600, 9)
CHERRY_CREEK = h3.latlng_to_cell(39.7170, -104.9530, 9)


@pytest.fixture
def denver_incidents(db):
    # Larimer Square: nine grab-and-runs and three burglaries; City Park and Cherry Creek:
    # a handful each; they fall in different resolution-7 hexagons
    for number in range(9):
        incident_imported(cell=LARIMER, scenario_id="grab_and_run", number=number)
    for number in range(3):
        incident_imported(cell=LARIMER, scenario_id="three_minute_burglary", number=number)
    for number in range(4):
        incident_imported(cell=CITY_PARK, scenario_id="three_minute_burglary", number=number)
    for number in range(3):
        incident_imported(cell=CHERRY_CREEK, scenario_id="armed_robbery", number=number)


def map_at(page, live_server, query="") -> None:
    page.goto(f"{live_server.url}/map/{query}")
    page.wait_for_selector("#crime-map[data-state=ready]")


@pytest.mark.browser
def test_visitor_sees_hexagons_filters_them_and_opens_one(page, live_server, denver_incidents):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    # given a visitor on the map, at Denver's city zoom (resolution 7)
    map_at(page, live_server, "#10/39.73/-104.98")
    hexagons = page.locator("path.crime-hex")
    assert page.locator("#crime-map").get_attribute("data-resolution") == "7"
    assert hexagons.count() == 3
    assert sorted(int(c) for c in hexagons.evaluate_all("ps => ps.map(p => p.dataset.count)")) == [
        3,
        4,
        12,
    ]
    # the legend runs from low to high crime and says what each colour counts
    legend = page.locator("#crime-map-legend")
    assert "low crime" in legend.inner_text() and "high crime" in legend.inner_text()
    assert page.locator("#legend-classes li").first.inner_text().startswith("3")
    # the table of top cells is the map's text alternative
    rows = page.locator("#crime-map-top tbody tr")
    assert rows.count() == 3
    assert rows.first.locator("td").nth(1).inner_text() == "12"
    # when they choose one scenario, the map is fetched again with fewer hexagons
    page.get_by_label("Scenario").select_option(label="Grab-and-run theft")
    expect(hexagons).to_have_count(1)
    assert hexagons.first.get_attribute("data-count") == "9"
    # and when they click that hexagon, its counts and trend appear
    hexagons.first.click(force=True)
    detail = page.locator("#detail-body")
    detail.locator("table").first.wait_for()
    assert "Grab-and-run theft" in detail.inner_text()
    assert "2025-03" in detail.locator(".crime-map-trend").inner_text()
    # and a coarse filter with no match leaves the map empty, saying so
    page.get_by_label("From").fill("2030-01-01")
    expect(hexagons).to_have_count(0)
    expect(page.locator("#crime-map-status")).to_contain_text("No hexagon")
    expect(detail).to_contain_text("nothing to show with these filters")
    # and the address keeps the view and the filters, for a link or a reload
    assert "since=2030-01-01" in page.url and "scenario=grab_and_run" in page.url
    assert page.url.endswith("#10/39.7300/-104.9800")
    # nothing the page did broke the content security policy or raised an error
    assert errors == []


@pytest.mark.browser
def test_a_view_of_the_whole_world_asks_to_zoom_in(page, live_server, denver_incidents):
    page.goto(f"{live_server.url}/map/#2/20.0/0.0")
    page.wait_for_selector("#crime-map[data-state=failed]")
    expect(page.locator("#crime-map-status")).to_contain_text("too many hexagons: zoom in")
    expect(page.locator("path.crime-hex")).to_have_count(0)


@pytest.mark.browser
def test_member_sees_fine_hexagons_and_their_own_store(page, live_server, denver_incidents):
    store = StoreFactory(name="Front Range Jewelers")
    StoreFactory(name="Rittenhouse Fine Jewelry", postal_code="19103")
    login_in_browser(page, live_server, store.member.owner.email)
    map_at(page, live_server, "#13/39.735/-104.98")
    assert page.locator("#crime-map").get_attribute("data-resolution") == "9"
    assert page.locator("path.crime-hex").count() == 3
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == 1
    assert markers.first.get_attribute("title") == "Front Range Jewelers"
