"""The statistics page in a real browser: its charts show, a filter applies, a CSV downloads."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest

from tests.intel.dated_incidents import incident_at

DENVER = (39.7478, -104.9994)
PHILADELPHIA = (39.9526, -75.1652)


@pytest.mark.browser
def test_visitor_reads_the_charts_filters_and_downloads_a_table(page, live_server):
    # given 12 incidents in Denver in 2023 and 2024, and 6 in Philadelphia in 2024
    for number in range(12):
        incident_at(DENVER, datetime(2023 + number % 2, number + 1, 3, tzinfo=UTC), number=number)
    for number in range(20, 26):
        incident_at(PHILADELPHIA, datetime(2024, 5, 9, tzinfo=UTC), number=number)
    # when a visitor opens the statistics from the main menu
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Statistics").click()
    page.wait_for_url(f"{live_server.url}/stats/")
    assert page.get_by_role("heading", level=1).inner_text() == "Crime statistics"
    # then the charts are drawn and named for screen readers, with their tables
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    assert charts.first.is_visible()
    assert page.get_by_role("img", name="Incidents per year on JewelGuard").is_visible()
    assert charts.first.locator("rect.chart-bar").count() == 2
    years = page.get_by_role("table", name="By year")
    assert years.locator("tbody tr").nth(1).inner_text().split("\t")[:2] == ["2024", "12"]
    # when they keep to Colorado
    page.get_by_label("State or province", exact=True).select_option("CO")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/stats/?*region=CO*")
    assert page.get_by_text("12 incidents", exact=True).is_visible()
    # and download the yearly table
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download “By year” (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "jewelguard-incidents-years.csv"
    with open(download.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(r["year"], r["incidents"]) for r in rows] == [("2023", "6"), ("2024", "6")]
