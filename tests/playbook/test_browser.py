"""The playbook in a real browser: read a scenario, download its card, write to the association."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from jewelguard.playbook.models import Inquiry
from tests.conftest import run_queued_tasks


@pytest.mark.browser
def test_visitor_reads_a_scenario_downloads_its_card_and_writes_in(
    page, live_server, smtp_server, settings
):
    settings.JEWELGUARD_CONTACT_RECIPIENTS = ["desk@association.example"]
    # given a visitor on the playbook, not signed in
    page.goto(f"{live_server.url}/playbook/")
    assert page.get_by_role("heading", level=1).inner_text() == "Crime playbook"
    assert page.get_by_role("heading", name="Never intervene").is_visible()
    # when they open the distraction theft scenario
    page.get_by_role("link", name="Distraction theft").click()
    page.wait_for_url(f"{live_server.url}/playbook/distraction_theft/")
    steps = page.locator("ol.pb-steps > li")
    assert steps.count() == 4
    assert steps.first.inner_text().startswith("Do not accuse or detain anyone")
    # and download its staff card
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download staff card (PDF, Letter)").click()
    download = download_info.value
    assert download.suggested_filename == "jewelguard-distraction-theft-letter.pdf"
    reader = PdfReader(download.path())
    assert len(reader.pages) == 1
    assert "Distraction theft" in reader.pages[0].extract_text()
    # and write to the association through the contact form
    page.get_by_role("link", name="Crime playbook").first.click()
    page.locator("main").get_by_role("link", name="Contact", exact=True).click()
    page.get_by_label("Your name").fill("Ana Morales")
    page.get_by_label("Your e-mail address").fill("ana@frontrange.example")
    page.get_by_label("Subject").fill("Cards for our staff room")
    page.get_by_label("Message").fill("Could you send a laminated set of the staff cards?")
    # the honeypot is there for robots, off screen for people
    box = page.locator(".pb-hp").bounding_box()
    assert box is None or box["x"] < 0
    page.get_by_role("button", name="Send").click()
    # then they see the confirmation and the association receives the message
    page.wait_for_url(f"{live_server.url}/playbook/contact/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you, Ana Morales"
    assert Inquiry.objects.get().subject == "Cards for our staff room"
    run_queued_tasks()  # the worker sends the e-mail
    assert len(smtp_server.bodies_to("desk@association.example")) == 1
