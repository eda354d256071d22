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

    assert '<a href="/map/">Crime map</a>' in nav  # the map exists; reporting does not yet
    assert "Risk assessment" not in nav
    assert "not yet available" in _text(page)
    staff = client_for(member.owner).get("/me/staff/").content.decode()
    assert "Report incidents" not in staff
    assert "live events" not in staff


def test_api_title_names_only_what_it_serves(db):
    schema = Client().get("/api/openapi.json").json()

    assert "incidents" not in schema["info"]["description"]
    assert "alerts" not in schema["info"]["description"]
