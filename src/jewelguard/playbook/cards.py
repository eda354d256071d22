"""Printable staff cards: one page per scenario, rendered from a template to PDF by WeasyPrint.

Rendered PDFs are cached by scenario, language, paper and a version that changes with the
content files, the card's template and stylesheet, and the translations, so a repeat download
costs one cache read and an edit never serves a stale card.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache as memoize
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string

from jewelguard.playbook.selectors import content_language, content_version, scenario_get

logger = logging.getLogger(__name__)

PAPERS = {"letter": "Letter", "a4": "A4"}
CARD_TEMPLATE = "playbook/staff_card.html"
CARD_STYLESHEET = "playbook/staff-card.css"
# From roomy to tight: the first that fits on one page is used.
DENSITIES = ("normal", "compact", "tight")
CACHE_SECONDS = 7 * 24 * 3600
_APP_DIR = Path(__file__).resolve().parent


def _stylesheet_path() -> str:
    found = finders.find(CARD_STYLESHEET)
    if not isinstance(found, str):
        raise FileNotFoundError(CARD_STYLESHEET)
    return found


@memoize
def card_version() -> str:
    """A hash of everything a card is made from."""
    digest = hashlib.sha256(content_version().encode())
    for path in (
        _APP_DIR / "templates" / CARD_TEMPLATE,
        Path(_stylesheet_path()),
        _APP_DIR / "locale" / "fr_CA" / "LC_MESSAGES" / "django.mo",
    ):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:16]


def _cache_key(scenario_id: str, language: str, paper: str) -> str:
    return f"playbook:staff-card:{scenario_id}:{language}:{paper}:{card_version()}"


def staff_card_render(*, scenario_id: str, paper: str) -> bytes:
    """Render the card to PDF without the cache. Raises KeyError for an unknown scenario or
    paper size."""
    import weasyprint  # heavy: loaded on the first card, not at start-up

    scenario = scenario_get(scenario_id=scenario_id)
    page_size = PAPERS[paper]
    stylesheet = weasyprint.CSS(filename=_stylesheet_path())
    document = None
    for density in DENSITIES:
        html = render_to_string(
            CARD_TEMPLATE,
            {"scenario": scenario, "page_size": page_size, "density": density},
        )
        page_css = weasyprint.CSS(string=f"@page {{ size: {page_size}; }}")
        document = weasyprint.HTML(string=html, base_url=str(_APP_DIR)).render(
            stylesheets=[stylesheet, page_css]
        )
        if len(document.pages) == 1:
            break
    assert document is not None
    if len(document.pages) > 1:
        logger.warning("staff card %s (%s) does not fit on one page", scenario_id, paper)
    pdf: bytes = document.write_pdf()
    return pdf


def staff_card_pdf(*, scenario_id: str, paper: str) -> bytes:
    """The card for a scenario in the active language, from the cache when it is there."""
    if paper not in PAPERS:
        raise KeyError(paper)
    key = _cache_key(scenario_id, content_language(), paper)
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    pdf = staff_card_render(scenario_id=scenario_id, paper=paper)
    cache.set(key, pdf, timeout=CACHE_SECONDS)
    return pdf
