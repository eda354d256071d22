"""The programme's look, defined once: brand colours and the one typeface, Inter.

Inter ships in ``core/fonts`` so that every generated document (toolkit artwork, signs,
staff briefings and cards) looks the same on every machine, whatever fonts it has installed.
SVG templates and WeasyPrint stylesheets take their colours from ``COLOURS`` (see
``brand_context``), never from literals of their own.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from PIL import ImageFont

FONTS = Path(__file__).resolve().parent / "fonts"

NAVY = "#0b3d6e"
NAVY_DEEP = "#082f55"
NAVY_SOFT = "#114b83"
GOLD = "#b8860b"
GOLD_BRIGHT = "#d4a021"
WHITE = "#ffffff"
ICE = "#d6e1ec"
INK = "#1b2330"
MUTED = "#4a5568"
RULE = "#d5dbe3"
PAPER = "#f4f6f9"
CREAM = "#fbf6ea"
ALERT = "#a4161a"
GREY = "#6b7280"
SLATE = "#374151"

COLOURS = {
    "navy": NAVY,
    "navy_deep": NAVY_DEEP,
    "navy_soft": NAVY_SOFT,
    "gold": GOLD,
    "gold_bright": GOLD_BRIGHT,
    "white": WHITE,
    "ice": ICE,
    "ink": INK,
    "muted": MUTED,
    "rule": RULE,
    "paper": PAPER,
    "cream": CREAM,
    "alert": ALERT,
    "grey": GREY,
    "slate": SLATE,
}

# The name documents give the shipped Inter: never a system font's name, so nothing installed
# on the machine can stand in for it.
FONT_FAMILY = "JewelGuard Inter"


class Weight(StrEnum):
    REGULAR = "regular"
    SEMIBOLD = "semibold"
    BOLD = "bold"

    @property
    def css(self) -> int:
        return {Weight.REGULAR: 400, Weight.SEMIBOLD: 600, Weight.BOLD: 700}[self]

    @property
    def path(self) -> Path:
        name = {Weight.REGULAR: "Regular", Weight.SEMIBOLD: "SemiBold", Weight.BOLD: "Bold"}[self]
        return FONTS / f"Inter-{name}.otf"


def font_files() -> list[Path]:
    return [weight.path for weight in Weight]


@cache
def font_face_css() -> str:
    """@font-face rules naming the shipped Inter files by file URL, for WeasyPrint."""
    return "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{weight.path.as_uri()}"); '
        f"font-weight: {weight.css}; font-style: normal; }}\n"
        for weight in Weight
    )


@cache
def brand_css() -> str:
    """The shipped fonts and the colours as custom properties (``var(--navy)``), for the
    stylesheets of WeasyPrint documents."""
    colours = "; ".join(f"--{name.replace('_', '-')}: {value}" for name, value in COLOURS.items())
    return f'{font_face_css()}:root {{ {colours}; --font: "{FONT_FAMILY}"; }}\n'


def brand_context() -> dict[str, object]:
    """What document templates need of the brand: ``{{ brand.colours.navy }}``, the CSS."""
    return {"colours": COLOURS, "font_family": FONT_FAMILY, "css": brand_css()}


@cache
def font(weight: Weight, size: float) -> ImageFont.FreeTypeFont:
    """Inter at ``size`` pixels, to measure text; sizes are rounded to a quarter pixel."""
    return ImageFont.truetype(str(weight.path), round(size * 4) / 4)
