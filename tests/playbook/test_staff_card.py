"""Printable staff cards: one page, the right paper, the scenario's steps, cached."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from jewelguard.playbook import cards, selectors
from jewelguard.playbook.content import (
    MAX_ITEM,
    MAX_STEPS,
    MAX_SUMMARY,
    MAX_TIPS,
    MAX_TITLE,
    SCENARIO_IDS,
)


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def read_pdf(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = flat(" ".join(page.extract_text() or "" for page in reader.pages))
    return reader, text


def pdf_font_names(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def page_size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_card_is_one_letter_page_with_title_and_every_step(client, db):
    # when a jeweler downloads the smash-and-grab card
    response = client.get("/playbook/smash_and_grab/staff-card.pdf")
    # then it is a one-page Letter PDF saying what to do, in order
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader, text = read_pdf(response.content)
    assert len(reader.pages) == 1
    assert page_size(reader) == (612, 792)
    scenario = selectors.scenario_get(scenario_id="smash_and_grab")
    assert scenario.title in text
    assert "do not intervene" in text.lower()
    assert "emergency: call 911" in text.lower()
    positions = [text.index(flat(step)) for step in scenario.what_to_do]
    assert positions == sorted(positions)


def test_card_on_a4_paper(client, db):
    response = client.get("/playbook/armed_robbery/staff-card.pdf?paper=a4")
    reader, text = read_pdf(response.content)
    assert len(reader.pages) == 1
    assert page_size(reader) == (595, 842)
    assert "Armed robbery" in text


def test_card_in_french(client, db):
    client.cookies["django_language"] = "fr-ca"
    response = client.get("/playbook/distraction_theft/staff-card.pdf")
    _, text = read_pdf(response.content)
    with translation.override("fr-ca"):
        scenario = selectors.scenario_get(scenario_id="distraction_theft")
    assert "Vol par diversion" in text
    assert "n\u2019intervenez pas" in text.lower()
    for step in scenario.what_to_do:
        assert flat(step) in text


def test_unknown_paper_is_refused(client, db):
    assert client.get("/playbook/fraud/staff-card.pdf?paper=legal").status_code == 400


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_every_card_fits_on_one_page_on_both_papers(language):
    with translation.override(language):
        for scenario_id in SCENARIO_IDS:
            for paper in cards.PAPERS:
                reader, _ = read_pdf(cards.staff_card_render(scenario_id=scenario_id, paper=paper))
                assert len(reader.pages) == 1, (scenario_id, paper, language)


def test_repeat_download_comes_from_the_documents_storage(client, db, documents_dir):
    # given a card rendered once, and its stored file then swapped for other bytes
    first = client.get("/playbook/safe_burglary/staff-card.pdf").content
    name = cards.card_name(scenario_id="safe_burglary", language="en", paper="letter")
    stored = documents_dir / name
    assert stored.read_bytes() == first
    stored.write_bytes(b"%PDF-cached")
    # when it is asked for again
    second = client.get("/playbook/safe_burglary/staff-card.pdf").content
    # then it comes from the storage, and each language and paper has its own file
    assert second == b"%PDF-cached"
    assert name != cards.card_name(scenario_id="safe_burglary", language="fr-ca", paper="letter")
    assert name != cards.card_name(scenario_id="safe_burglary", language="en", paper="a4")
    assert len(list(stored.parent.iterdir())) == 1


def test_a_change_to_the_cards_design_makes_new_cards(db, monkeypatch):
    # the stored card is named by its design too: a new stylesheet or template is never
    # answered with a card made by the old one
    before = cards.card_name(scenario_id="fraud", language="en", paper="letter")
    monkeypatch.setattr(cards, "card_version", lambda: "another-design")
    assert cards.card_name(scenario_id="fraud", language="en", paper="letter") != before


def test_the_card_is_set_in_the_shipped_inter_whatever_the_machine_has(db):
    # the card names no system font: the PDF embeds Inter only, whichever fonts are installed
    pdf = cards.staff_card_render(scenario_id="armed_robbery", paper="letter")
    fonts = pdf_font_names(pdf)
    assert fonts and all("Inter" in font for font in fonts), fonts


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_the_longest_scenario_the_content_rules_allow_fits_on_one_page(
    monkeypatch, paper, language
):
    # given a scenario at every length limit the content loader enforces
    def words(n: int, label: str) -> str:
        return (label + " " + "keep calm and let them go " * 20)[:n]

    longest = dataclasses.replace(
        selectors.scenario_get(scenario_id="armed_robbery"),
        title=words(MAX_TITLE, "Title"),
        summary=words(MAX_SUMMARY, "Summary"),
        what_to_do=[words(MAX_ITEM, f"Step{n}") for n in range(MAX_STEPS)],
        stay_safe=[words(MAX_ITEM, f"Safe{n}") for n in range(MAX_TIPS)],
        limit_loss=[words(MAX_ITEM, f"Loss{n}") for n in range(MAX_TIPS)],
    )
    monkeypatch.setattr(cards, "scenario_get", lambda scenario_id: longest)
    # when its card is rendered, then a denser layout keeps every step on one page
    with translation.override(language):
        pdf = cards.staff_card_render(scenario_id="armed_robbery", paper=paper)
    reader, text = read_pdf(pdf)
    assert len(reader.pages) == 1
    assert f"Step{MAX_STEPS - 1}" in text
