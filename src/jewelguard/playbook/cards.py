"""Printable staff cards: one page per scenario, rendered from a template to PDF by WeasyPrint.

Cards are generated documents (``jewelguard.core.documents``): kept in the documents storage
under a fingerprint of the scenario, the language, the paper and the design (content files,
the card's template and stylesheet, the fonts, the translations), so a repeat download costs
one read and an edit never serves a stale card. They are set in the shipped Inter, so a card
looks, and fits, the same on every machine.
"""

from __future__ import annotations

from functools import cache as memoize
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from jewelguard.core.brand import brand_css, font_files
from jewelguard.core.documents import (
    PAPERS_BY_ID,
    design_version,
    document_cached,
    document_fingerprint,
    paper_get,
    pdf_fit,
)
from jewelguard.playbook.selectors import content_language, content_version, scenario_get

PAPERS = tuple(PAPERS_BY_ID)
CARD_TEMPLATE = "playbook/staff_card.html"
CARD_STYLESHEET = "playbook/staff-card.css"
# The card's root type size, in points, before it is scaled down to fit.
BASE_PT = 11.5
DESIGN_VERSION = 2
_APP_DIR = Path(__file__).resolve().parent


def _stylesheet_path() -> str:
    found = finders.find(CARD_STYLESHEET)
    if not isinstance(found, str):
        raise FileNotFoundError(CARD_STYLESHEET)
    return found


@memoize
def card_version() -> str:
    """A fingerprint of the card's design: template, stylesheet, fonts, translations."""
    return design_version(
        paths=[
            _APP_DIR / "templates" / CARD_TEMPLATE,
            Path(_stylesheet_path()),
            _APP_DIR / "locale" / "fr_CA" / "LC_MESSAGES" / "django.mo",
            Path(__file__),
            *font_files(),
        ],
        version=DESIGN_VERSION,
    )


def card_name(*, scenario_id: str, language: str, paper: str) -> str:
    """Where the card is stored: named by everything it is made from."""
    fingerprint = document_fingerprint(
        inputs={
            "scenario": scenario_id,
            "language": language,
            "paper": paper,
            "content": content_version(),
        },
        design=card_version(),
    )
    return f"playbook/staff-cards/{scenario_id}-{language}-{paper}-{fingerprint}.pdf"


def staff_card_render(*, scenario_id: str, paper: str) -> bytes:
    """Render the card to PDF, in the active language, at the largest type that fits one
    page. Raises KeyError for an unknown scenario or paper size."""
    import weasyprint  # heavy: loaded on the first card, not at start-up

    scenario = scenario_get(scenario_id=scenario_id)
    size = paper_get(paper_id=paper)
    html = render_to_string(CARD_TEMPLATE, {"scenario": scenario})
    fonts = weasyprint.text.fonts.FontConfiguration()
    stylesheet = weasyprint.CSS(filename=_stylesheet_path(), font_config=fonts)
    brand = weasyprint.CSS(string=brand_css(), font_config=fonts)

    def render(scale: float) -> weasyprint.Document:
        page_css = weasyprint.CSS(
            string=f"@page {{ size: {size.css}; }} html {{ font-size: {BASE_PT * scale:.2f}pt; }}"
        )
        return weasyprint.HTML(string=html, base_url=str(_APP_DIR)).render(
            stylesheets=[brand, stylesheet, page_css], font_config=fonts
        )

    return pdf_fit(render=render, pages=1)


def staff_card_pdf(*, scenario_id: str, paper: str) -> bytes:
    """The card for a scenario in the active language, from the documents storage when it
    is there. Raises KeyError for an unknown scenario or paper size."""
    if paper not in PAPERS:
        raise KeyError(paper)
    scenario_get(scenario_id=scenario_id)
    return document_cached(
        name=card_name(scenario_id=scenario_id, language=content_language(), paper=paper),
        build=lambda: staff_card_render(scenario_id=scenario_id, paper=paper),
    )
