"""The toolkit's look: brand colours and the one typeface (Inter, shipped in fonts/)."""

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

# How the SVG names the embedded font, with fallbacks for tools that ignore @font-face.
FONT_FAMILY = "JewelGuard Inter"
FONT_STACK = f"'{FONT_FAMILY}', Inter, 'Helvetica Neue', Arial, sans-serif"


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


@cache
def font(weight: Weight, size: float) -> ImageFont.FreeTypeFont:
    """Inter at ``size`` pixels; sizes are rounded to a quarter pixel to keep the cache small."""
    return ImageFont.truetype(str(weight.path), round(size * 4) / 4)
