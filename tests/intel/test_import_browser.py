"""An analyst imports police open data in Debian's chromium and watches the page update."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jewelguard.intel.models import Incident
from tests.accounts.test_browser import console_errors
from tests.conftest import login_in_browser, run_queued_tasks
from tests.intel.test_imports import HEADER, denver_row

pytestmark = pytest.mark.browser


def test_the_import_page_follows_the_worker_without_a_reload(
    page: Page, live_server, analyst, tmp_path
):
    errors = console_errors(page)
    path = tmp_path / "denver-sample.csv"
    rows = [denver_row(str(n)) for n in range(1, 6)] + [denver_row("6", lat="95")]
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    # given an analyst on the import page
    login_in_browser(page, live_server, analyst.email)
    page.goto(f"{live_server.url}/intel/imports/")
    # when they upload a file with the Denver profile
    page.get_by_label("Police open-data files (CSV)").set_input_files(str(path))
    page.get_by_label("Import profile").select_option("denver")
    page.get_by_role("button", name="Import").click()
    # then the page says the import waits for the worker
    expect(page.locator("#import-progress")).to_contain_text("Waiting for the worker")
    # and once the worker has run it, the same page shows the outcome by itself
    run_queued_tasks()
    panel = page.locator("#import-progress")
    expect(panel).to_contain_text("Done", timeout=10_000)
    expect(panel).to_contain_text("Incidents added")
    expect(page.get_by_role("link", name="Download the rejected rows (CSV)")).to_be_visible()
    assert Incident.objects.count() == 5
    assert errors == []
