"""Print-ready PDFs with WeasyPrint: the door and window signs, and the staff briefing.

Both come in Letter and A4 (``core.documents.PAPERS``), set in the shipped Inter, and are
shrunk to their pages by ``core.documents.pdf_fit``. The store's name is measured with the
same font as the artwork and set on the lines ``fit_text`` chose, so it never overflows its
box. Call these inside ``translation.override(spec.language)``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import segno
from django.template.loader import render_to_string
from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration

from jewelguard.core import brand
from jewelguard.core.brand import Weight
from jewelguard.core.documents import Paper, pdf_fit
from jewelguard.pledge.deterrents import deterrents_in_order
from jewelguard.pledge.toolkit.artwork import check_svg, emblem_svg
from jewelguard.pledge.toolkit.layout import Box, fit_text
from jewelguard.pledge.toolkit.spec import ToolkitSpec

# Text is measured at this many pixels per point: fine enough for exact line breaks.
PX_PER_PT = 4.0


@dataclass(frozen=True)
class FittedName:
    lines: tuple[str, ...]
    size_pt: float


def fit_name_pt(
    text: str,
    *,
    width_pt: float,
    height_pt: float,
    max_pt: float,
    min_pt: float,
    max_lines: int,
) -> FittedName:
    """``fit_text`` in points, for a document: the lines to set and the size to set them at."""
    block = fit_text(
        text,
        box=Box(0, 0, width_pt * PX_PER_PT * 0.97, height_pt * PX_PER_PT),
        weight=Weight.BOLD,
        max_size=max_pt * PX_PER_PT,
        min_size=min_pt * PX_PER_PT,
        max_lines=max_lines,
        leading=1.12,
    )
    return FittedName(
        lines=tuple(line.text for line in block.lines), size_pt=block.size / PX_PER_PT
    )


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@cache
def emblem_uri() -> str:
    return _data_uri(emblem_svg())


@cache
def check_uri() -> str:
    return _data_uri(check_svg())


def qr_uri(url: str) -> str:
    code = segno.make_qr(url, error="m", boost_error=False)
    return str(code.svg_data_uri(dark=brand.NAVY, light=brand.WHITE, border=4, scale=1))


def _renderer(
    template: str, context: dict[str, Any], sizes: dict[str, float]
) -> Callable[[float], Document]:
    """A function laying the template out with its ``sizes`` (points) times a scale."""
    fonts = FontConfiguration()
    base = {**context, "brand": brand.brand_context()}

    def render(scale: float) -> Document:
        size = {key: round(value * scale, 2) for key, value in sizes.items()}
        html = render_to_string(template, {**base, "size": size})
        return HTML(string=html).render(font_config=fonts)

    return render


def signage_context(spec: ToolkitSpec, paper: Paper) -> tuple[dict[str, Any], dict[str, float]]:
    margin = 0.075 * paper.width
    statements = [str(d.sign) for d in deterrents_in_order(spec.statements)]
    door_name = fit_name_pt(
        spec.store_name,
        width_pt=paper.width - 2 * margin,
        # Without statements the name has the room they would take.
        height_pt=110 if statements else 150,
        max_pt=44 if statements else 54,
        min_pt=14,
        max_lines=3,
    )
    # The window sign is landscape: its name sits in the left column, a third of the width.
    window_name = fit_name_pt(
        spec.store_name,
        width_pt=paper.height * 0.36 - 2 * 36,
        height_pt=150,
        max_pt=30,
        min_pt=11,
        max_lines=4,
    )
    context = {
        "spec": spec,
        "paper": paper,
        "door_name": door_name,
        "window_name": window_name,
        "statements": statements,
        "emblem": emblem_uri(),
        "check": check_uri(),
        "qr": qr_uri(spec.verify_url),
    }
    # Fewer statements, larger type.
    few = len(statements) <= 4
    sizes = {"door": 21.0 if few else 17.0, "window": 30.0 if few else 22.0}
    return context, sizes


def signage_document(spec: ToolkitSpec, paper: Paper, *, scale: float = 1.0) -> Document:
    """The signs laid out (not yet a PDF), e.g. to measure where their content lands."""
    context, sizes = signage_context(spec, paper)
    return _renderer("pledge/toolkit/signage.html", context, sizes)(scale)


def signage_pdf(spec: ToolkitSpec, paper: Paper) -> bytes:
    """Two pages: a portrait door sign and a landscape window sign, in the member's language.

    Each deterrent statement appears only if the member confirmed it for this store; without
    any, the emblem and the pledge fill the signs instead.
    """
    context, sizes = signage_context(spec, paper)
    return pdf_fit(
        render=_renderer("pledge/toolkit/signage.html", context, sizes),
        pages=2,
        kind=("signage", spec.language, paper.id, ",".join(spec.statements)),
    )


def briefing_pdf(spec: ToolkitSpec, paper: Paper, scenarios: list[Any]) -> bytes:
    """One page for the staff room: what to do in each of the playbook's crime scenarios."""
    name = fit_name_pt(
        spec.store_name,
        width_pt=paper.width * 0.5,
        height_pt=34,
        max_pt=13,
        min_pt=6,
        max_lines=2,
    )
    context = {
        "spec": spec,
        "paper": paper,
        "name": name,
        "columns": _two_columns(scenarios),
        "emblem": emblem_uri(),
    }
    return pdf_fit(
        render=_renderer(
            "pledge/toolkit/briefing.html",
            context,
            {"title": 10.5, "timing": 7.2, "step": 8.0, "gap": 9.0},
        ),
        pages=1,
        kind=("briefing", spec.language, paper.id, spec.briefing_digest),
    )


def _two_columns(scenarios: list[Any]) -> tuple[list[Any], list[Any]]:
    """Split the scenarios, in order, where the two columns' text is most even.

    Two floated columns rather than CSS columns: WeasyPrint balances columns by laying the
    text out again and again, which took seconds for this one page.
    """

    def weight(scenario: Any) -> int:
        return 60 + len(scenario.title) + sum(len(step) + 30 for step in scenario.what_to_do)

    weights = [weight(s) for s in scenarios]
    total = sum(weights)
    best, best_gap, running = 0, float("inf"), 0
    for index, value in enumerate(weights):
        running += value
        gap = abs(total - 2 * running)
        if gap < best_gap:
            best, best_gap = index + 1, gap
    return scenarios[:best], scenarios[best:]
