"""The public playbook pages, in English and in French."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.html import escape

from jewelguard.playbook import selectors
from jewelguard.playbook.content import SCENARIO_IDS


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_scenario_page_lists_its_steps_in_english(client, db, scenario_id):
    # when anyone, signed in or not, opens the scenario
    html = page_text(client.get(f"/playbook/{scenario_id}/"))
    # then every what-to-do step is there, in order, as a numbered list
    scenario = selectors.scenario_get(scenario_id=scenario_id)
    steps = re.search(r'<ol class="pb-steps">(.*?)</ol>', html, re.S)
    assert steps is not None
    positions = [steps.group(1).index(escape(step)) for step in scenario.what_to_do]
    assert positions == sorted(positions)
    assert f"/playbook/{scenario_id}/staff-card.pdf" in html


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_scenario_page_lists_its_steps_in_french(client, db, scenario_id):
    # given a visitor who chose French
    client.cookies["django_language"] = "fr-ca"
    html = page_text(client.get(f"/playbook/{scenario_id}/"))
    with translation.override("fr-ca"):
        scenario = selectors.scenario_get(scenario_id=scenario_id)
    assert '<html lang="fr-ca">' in html
    assert escape(scenario.title) in html
    for step in scenario.what_to_do:
        assert escape(step) in html
    assert "Que faire" in html


def test_scenario_page_links_controls_to_the_catalogue(client, db):
    html = page_text(client.get("/playbook/smash_and_grab/"))
    assert 'href="/playbook/controls/#laminated_showcases"' in html
    catalogue = page_text(client.get("/playbook/controls/"))
    assert 'id="laminated_showcases"' in catalogue
    assert "UL 972" in catalogue


def test_index_shows_the_ten_scenarios_and_never_intervene(client, db):
    html = page_text(client.get("/playbook/"))
    for scenario_id in SCENARIO_IDS:
        assert f'href="/playbook/{scenario_id}/"' in html
    assert "Never intervene" in html
    assert 'href="/playbook/contact/"' in html
    assert 'href="/playbook/media/"' in html


def test_main_navigation_links_to_the_playbook(client, db):
    html = page_text(client.get("/"))
    assert 'href="/playbook/"' in html


def test_unknown_scenario_is_not_found(client, db):
    assert client.get("/playbook/bank_heist/").status_code == 404
    assert client.get("/playbook/bank_heist/staff-card.pdf").status_code == 404


def test_statistics_page_draws_the_charts_and_the_2022_record(client, db):
    html = page_text(client.get("/playbook/statistics/"))
    assert html.count('<svg class="chart"') == 2
    assert 'role="img"' in html
    assert '<title id="crimes-chart-title">' in html
    assert "2,211" in html
    assert "$129.4M" in html
    # the same figures as a table beside the charts
    assert re.search(r"<th scope=\"row\">2022</th><td class=\"pb-num\">2,211</td>", html)
    assert "Jewelers&#x27; Security Alliance" in html


def test_statistics_page_in_french_writes_numbers_the_french_way(client, db):
    client.cookies["django_language"] = "fr-ca"
    html = page_text(client.get("/playbook/statistics/"))
    assert "2\xa0211" in html
    assert "129,4\xa0M$" in html
    # SVG coordinates stay in dots, whatever the language
    assert not re.search(r'\s(x|y|width|height)="\d+,\d', html)


def test_pages_need_no_login_and_carry_no_inline_script_or_style(client, db):
    for url in [
        "/playbook/",
        "/playbook/fraud/",
        "/playbook/controls/",
        "/playbook/statistics/",
        "/playbook/contact/",
        "/playbook/media/",
    ]:
        html = page_text(client.get(url))
        assert "style=" not in html, url
        assert "<script>" not in html and "<style" not in html, url
