"""The front page claims only what the figures show, and offers only what exists."""

from __future__ import annotations

import re

from django.test import Client

from jewelguard.playbook.selectors import industry_figures
from tests.conftest import client_for


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_home_page_states_the_losses_the_statistics_show(db):
    # given the playbook's figures, where some years lost under $100 million
    years = {y.year: y for y in industry_figures()}
    assert years[2021].losses_cents < 100_000_000 * 100

    # when a visitor opens the front page
    page = _text(Client().get("/").content.decode())

    # then it no longer claims more than $100 million every year, and gives the real range
    assert "over $100 million a year" not in page
    assert "ranged from $70.1M (2021) to $142.5M (2024) a year" in page
    assert "peaked at 2,211 in 2022" in page


def test_home_page_figures_read_in_french(db):
    page = _text(Client(headers={"accept-language": "fr-CA"}).get("/").content.decode())

    assert "de 70,1 M$ (2021) à 142,5 M$ (2024) par année" in page


def test_features_that_do_not_exist_yet_are_not_offered(member):
    page = client_for(member.owner).get("/").content.decode()
    nav = page[page.index('<nav class="main"') : page.index("</nav>")]
    work = page[page.index('<nav class="workspace"') :]
    work = work[: work.index("</nav>")]

    # what exists is offered: the public sections, and a member's own work under the header
    assert '<a href="/map/">Crime map</a>' in nav
    assert '<a href="/stats/">Statistics</a>' in nav
    for link in ("/report/", "/incidents/", "/sentinel/", "/assessment/"):
        assert f'href="{link}"' in work
    # what does not, is not: no alerts, no live response; the front page says they are coming
    assert "Alerts" not in nav + work
    assert "not yet available" in _text(page)
    assert "Alerts from jewelers nearby" in _text(page)


def test_the_workspace_strip_offers_each_role_only_its_own_work(db):
    from tests.factories import AnalystFactory, OfficerFactory

    analyst = client_for(AnalystFactory()).get("/").content.decode()
    officer = client_for(OfficerFactory()).get("/").content.decode()

    assert 'href="/moderation/"' in analyst and 'href="/report/"' not in analyst
    assert 'href="/incidents/"' in officer
    for link in ("/report/", "/moderation/", "/assessment/", "/sentinel/"):
        assert f'href="{link}"' not in officer
    assert '<nav class="workspace"' not in Client().get("/").content.decode()


def test_api_title_names_only_what_it_serves(db):
    schema = Client().get("/api/openapi.json").json()

    assert "incidents" not in schema["info"]["description"]
    assert "alerts" not in schema["info"]["description"]
