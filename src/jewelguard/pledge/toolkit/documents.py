"""Print-ready PDFs with WeasyPrint: the door and window signs, and the staff briefing.

Both come in Letter and A4 (CSS ``@page size``). The store's name is measured with the same
font as the artwork and set on the lines ``fit_text`` chose, so it never overflows its box.
Call these inside ``translation.override(spec.language)``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from jewelguard.pledge.deterrents import deterrents_in_order
from jewelguard.pledge.toolkit.artwork import circle, shield
from jewelguard.pledge.toolkit.brand import GOLD_BRIGHT, NAVY, WHITE, Weight
from jewelguard.pledge.toolkit.layout import Box, fit_text
from jewelguard.pledge.toolkit.scene import Polygon, Scene, Stroke, render_svg
from jewelguard.pledge.toolkit.spec import ToolkitSpec

# Text is measured at this many pixels per point: fine enough for exact line breaks.
PX_PER_PT = 4.0
# Smaller type, step by step, until a document fits its pages.
SCALES = (1.0, 0.92, 0.85, 0.78, 0.7, 0.62)


@dataclass(frozen=True)
class Paper:
    id: str
    css: str
    # Portrait width and height in points.
    width: float
    height: float


LETTER = Paper(id="letter", css="letter", width=612.0, height=792.0)
A4 = Paper(id="a4", css="A4", width=595.28, height=841.89)
PAPERS = (LETTER, A4)


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


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def emblem_uri(*, fill: str = GOLD_BRIGHT, mark: str = NAVY) -> str:
    shapes = shield(Box(0, 0, 100, 118), fill=fill, mark=mark)
    return _data_uri(render_svg(Scene(width=100, height=118, title="", shapes=shapes)))


def check_uri() -> str:
    """A navy disc with a white check mark, the bullet of every deterrent statement."""
    scene = Scene(
        width=100,
        height=100,
        title="",
        shapes=(
            Polygon(points=circle(50, 50, 50), fill=NAVY),
            Stroke(points=((28, 52), (44, 67), (72, 36)), color=WHITE, width=11),
        ),
    )
    return _data_uri(render_svg(scene))


def qr_uri(url: str) -> str:
    code = segno.make_qr(url, error="m", boost_error=False)
    return str(code.svg_data_uri(dark=NAVY, light=WHITE, border=4, scale=1))


def font_faces() -> list[dict[str, Any]]:
    return [{"url": weight.path.as_uri(), "weight": weight.css} for weight in Weight]


# The type scale that last fitted, per document kind: the staff briefing's text is the same
# for every store of a language, so after the first one it fits at the first try.
_fitted_scale: dict[tuple[str, ...], int] = {}


def _render(
    template: str,
    context: dict[str, Any],
    *,
    pages: int,
    sizes: dict[str, float],
    same_as: tuple[str, ...],
) -> bytes:
    """Render with the largest ``sizes`` (points, scaled down in steps) that fit ``pages``.

    ``same_as`` names what decides the fit, e.g. the language and paper; documents with the
    same ``same_as`` start from the scale that fitted last time.
    """
    fonts = FontConfiguration()
    document = None
    start = _fitted_scale.get(same_as, 0)
    for index in range(start, len(SCALES)):
        size = {key: round(value * SCALES[index], 2) for key, value in sizes.items()}
        html = render_to_string(template, {**context, "size": size, "fonts": font_faces()})
        document = HTML(string=html).render(font_config=fonts)
        if len(document.pages) <= pages:
            _fitted_scale[same_as] = index
            break
    assert document is not None
    return bytes(document.write_pdf())


def signage_pdf(spec: ToolkitSpec, paper: Paper) -> bytes:
    """Two pages: a portrait door sign and a landscape window sign, in the member's language.

    Each deterrent statement appears only if the member confirmed it for this store.
    """
    margin = 0.075 * paper.width
    door_name = fit_name_pt(
        spec.store_name,
        width_pt=paper.width - 2 * margin,
        height_pt=110,
        max_pt=44,
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
    statements = [str(d.sign) for d in deterrents_in_order(spec.statements)]
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
    return _render(
        "pledge/toolkit/signage.html",
        context,
        pages=2,
        sizes={"door": 21.0 if few else 17.0, "window": 30.0 if few else 22.0},
        same_as=("signage", spec.language, paper.id, ",".join(spec.statements)),
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
    return _render(
        "pledge/toolkit/briefing.html",
        context,
        pages=1,
        sizes={"title": 10.5, "timing": 7.2, "step": 8.0, "gap": 9.0},
        same_as=("briefing", spec.language, paper.id, spec.briefing_digest),
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
