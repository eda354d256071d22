"""The live events and camera pages in Debian's chromium, on `jewelguard serve` (uvicorn).

The page follows its stores' sentinel topic over EventSource: an event opened by a process
other than the web server (as the sentinel node is) appears without a reload, and after the
web server dies and comes back, the page replays what it missed by Last-Event-ID.
"""

from __future__ import annotations

import pytest

from tests.conftest import login_in_browser
from tests.core.test_live_updates import live_site  # noqa: F401 - the fixture

ANA = "ana@frontrange.example"

SETUP = f"""
from jewelguard.accounts.models import User
from jewelguard.sentinel.services import camera_create
from tests.factories import MemberFactory, StoreFactory
owner = User.objects.get(email={ANA!r})
store = StoreFactory(member=MemberFactory(owner=owner, name="Front Range Jewelers"))
camera = camera_create(store=store, actor=None, name="Back door", source_kind="rtsp",
                       url="rtsp://192.0.2.10/s", password="Cam-Pa55word")
print("camera", camera.pk)
"""


def _hit(site, camera_id: int, people: int, summary: str) -> None:
    site.python(
        "from jewelguard.sentinel.models import Camera\n"
        "from jewelguard.sentinel.pipeline.types import RuleHit\n"
        "from jewelguard.sentinel.services import live_event_open_or_update\n"
        f"hit = RuleHit(scenario='three_minute_burglary', rule='after_hours_intrusion', "
        f"confidence=0.9, at_s=1.0, people={people}, zone='Back door', summary={summary!r})\n"
        f"live_event_open_or_update(camera=Camera.objects.get(pk={camera_id}), hit=hit)\n"
    )


@pytest.mark.browser
def test_the_live_events_page_shows_new_events_and_catches_up_after_a_restart(live_site, page):  # noqa: F811
    created = live_site.python(SETUP)
    camera_id = int(
        next(line.split()[1] for line in created.splitlines() if line.startswith("camera "))
    )
    # given Ana on her live events page, with nothing yet
    login_in_browser(page, live_site, ANA)
    page.goto(f"{live_site.url}/sentinel/")
    page.get_by_text("No live events.").wait_for()
    page.get_by_text("Updating live.").wait_for(timeout=10_000)
    # when a process other than the web server opens an event
    _hit(live_site, camera_id, 1, "Movement while the store is closed")
    # then it appears on the page without a reload
    row = page.locator("tr[data-event]")
    row.get_by_text("Movement while the store is closed").wait_for(timeout=10_000)
    assert row.locator('[data-field="people"]').inner_text() == "1"
    # when the web server dies, a second person is seen meanwhile, and the server returns
    live_site.kill_web()
    _hit(live_site, camera_id, 2, "Two people inside while closed")
    live_site.start_web()
    # then the page reconnects by itself and shows the change it missed, on the same row
    row.get_by_text("Two people inside while closed").wait_for(timeout=20_000)
    assert row.count() == 1
    assert row.locator('[data-field="people"]').inner_text() == "2"
    # and the camera page shows the camera, never its password
    page.goto(f"{live_site.url}/sentinel/cameras/")
    page.get_by_text("Back door").wait_for()
    assert "Cam-Pa55word" not in page.content()
