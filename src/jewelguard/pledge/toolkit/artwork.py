"""The badge, the social graphics and the e-mail signature banner.

Each artwork has one design source, an SVG template under ``templates/pledge/toolkit/``: its
shapes, colours and the places of its text. Python measures the text (``fit_text``, with the
shipped Inter) so that a long or accented store name is never clipped, and the template sets
it on the lines and at the size that fit. The PNGs are that same SVG rasterised by resvg,
which is given the shipped Inter and no system font (``core.documents.svg_to_png``). Call
these inside ``translation.override(spec.language)``.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

import segno
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from jewelguard.core import brand
from jewelguard.core.brand import Weight
from jewelguard.core.documents import svg_to_png
from jewelguard.pledge.toolkit.layout import Box, TextBlock, fit_text
from jewelguard.pledge.toolkit.spec import ToolkitSpec

BADGE_SIZES = (256, 512, 1024)
# The badge is designed on this square and rasterised at each of BADGE_SIZES.
BADGE_DESIGN = 1024
SOCIAL_SIZES = ((1080, 1080), (1200, 630))
EMAIL_BANNER_SIZE = (600, 100)
QR_BORDER = 4


@dataclass(frozen=True)
class TextPiece:
    block: TextBlock
    fill: str


@dataclass(frozen=True)
class QRPlacement:
    """A QR code (with its quiet zone) at whole design units per module."""

    left: float
    top: float
    module: float
    side: float
    markup: SafeString


@dataclass(frozen=True)
class Artwork:
    template: str
    width: int
    height: int
    title: str
    texts: tuple[TextPiece, ...]
    context: dict[str, object] = field(default_factory=dict)

    def svg(self, *, embed_fonts: bool = False) -> str:
        """The artwork as an SVG document; ``embed_fonts`` adds Inter, cut to the text used,
        for a file that looks right in any viewer."""
        return render_to_string(
            self.template,
            {
                **self.context,
                "art": self,
                "c": brand.COLOURS,
                "font_stack": f"'{brand.FONT_FAMILY}', Inter, sans-serif",
                "font_faces": _font_faces(self.texts) if embed_fonts else "",
                "text": text_markup(self.texts),
            },
        )

    def png(self, *, width: int | None = None) -> bytes:
        """The artwork rasterised, at its own size or at ``width`` pixels wide."""
        return svg_to_png(svg=self.svg(), width=width or self.width)


@cache
def verification_qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    code = segno.make_qr(url, error="m", boost_error=False)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def verification_qr(url: str, *, box: Box, room: Box, pixel: float) -> QRPlacement:
    """The verification URL's QR code (error correction M survives a scuffed sign), centred
    on ``box``, with modules a whole number of output pixels (``pixel`` design units each) so
    that even the smallest badge scans. The code may grow past ``box`` into ``room`` (white
    like the quiet zone) to reach the next whole pixel."""
    code = segno.make_qr(url, error="m", boost_error=False)
    count = len(verification_qr_matrix(url)) + 2 * QR_BORDER
    pixels = max(1, round(box.width / count / pixel))
    if pixels * pixel * count > min(room.width, room.height) + pixel:
        pixels = max(1, math.floor(box.width / count / pixel))
    module = pixels * pixel
    side = module * count

    def place(start: float, length: float, low: float, high: float) -> float:
        wanted = min(max(start + (length - side) / 2, low), high - side)
        return round(wanted / pixel) * pixel

    left = place(box.left, box.width, room.left, room.right)
    top = place(box.top, box.height, room.top, room.bottom)
    markup = code.svg_inline(scale=1, border=QR_BORDER, dark=brand.NAVY, light=brand.WHITE)
    # segno's own SVG serialiser: markup made of numbers and colours only.
    safe = mark_safe(markup)  # noqa: S308
    return QRPlacement(left=left, top=top, module=module, side=side, markup=safe)


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def text_markup(texts: tuple[TextPiece, ...]) -> SafeString:
    """``<text>`` elements for the measured lines: at the measured pen positions, and held to
    the measured width, so the rasteriser puts the ink where ``fit_text`` found room."""
    parts = []
    for piece in texts:
        block = piece.block
        for line in block.lines:
            common = (
                f'y="{_n(line.baseline)}" font-size="{_n(block.size)}" '
                f'font-weight="{block.weight.css}" fill="{piece.fill}"'
            )
            if line.char_x:
                xs = " ".join(_n(x) for x in line.char_x)
                parts.append(f'<text x="{xs}" {common}>{escape(line.text)}</text>')
            else:
                parts.append(
                    f'<text x="{_n(line.x)}" {common} textLength="{_n(line.width)}" '
                    f'lengthAdjust="spacingAndGlyphs">{escape(line.text)}</text>'
                )
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def _font_faces(texts: tuple[TextPiece, ...]) -> SafeString:
    """@font-face rules embedding Inter, cut down to the characters the artwork uses."""
    used: dict[Weight, set[str]] = {}
    for piece in texts:
        used.setdefault(piece.block.weight, set()).update(
            "".join(line.text for line in piece.block.lines)
        )
    rules = []
    for weight, chars in sorted(used.items()):
        options = subset.Options()
        options.layout_features = []
        options.hinting = False
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        options.notdef_outline = True
        face = TTFont(str(weight.path), lazy=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(chars)))
        subsetter.subset(face)
        out = io.BytesIO()
        face.save(out)
        data = base64.b64encode(out.getvalue()).decode()
        rules.append(
            f"@font-face{{font-family:'{brand.FONT_FAMILY}';font-weight:{weight.css};"
            f"src:url(data:font/otf;base64,{data}) format('opentype');}}"
        )
    return mark_safe("".join(rules))  # noqa: S308 (base64 and numbers only)


def _since(spec: ToolkitSpec) -> str:
    return _("Member since %(year)s") % {"year": spec.member_since}


def badge(spec: ToolkitSpec) -> Artwork:
    """A square badge on a transparent canvas: emblem, name, year and a verification QR code.

    Laid out once on a 1024-unit square; every PNG size is the same design rasterised.
    """
    s = float(BADGE_DESIGN)

    def box(left: float, top: float, right: float, bottom: float) -> Box:
        return Box(left * s, top * s, right * s, bottom * s)

    title = fit_text(
        _("Partner for Protection member"),
        box=box(0.11, 0.168, 0.89, 0.258),
        weight=Weight.BOLD,
        max_size=0.04 * s,
        min_size=0.022 * s,
        max_lines=2,
        tracking=0.08,
        uppercase=True,
    )
    name = fit_text(
        spec.store_name,
        box=box(0.09, 0.3, 0.91, 0.455),
        weight=Weight.BOLD,
        max_size=0.075 * s,
        min_size=0.028 * s,
        max_lines=3,
        leading=1.12,
    )
    since = fit_text(
        _since(spec),
        box=box(0.12, 0.465, 0.88, 0.51),
        weight=Weight.REGULAR,
        max_size=0.034 * s,
        min_size=0.02 * s,
    )
    panel = box(0.085, 0.54, 0.915, 0.925)
    qr_box = box(0.1, 0.555, 0.1 + 0.355, 0.555 + 0.355)
    column = (0.48, 0.895)
    scan = fit_text(
        _("Scan to verify"),
        box=box(column[0], 0.6, column[1], 0.7),
        weight=Weight.BOLD,
        max_size=0.044 * s,
        min_size=0.022 * s,
        max_lines=2,
        align="left",
        valign="top",
    )
    explain = fit_text(
        _("this store's membership at"),
        box=box(column[0], 0.6, column[1], 0.7),
        weight=Weight.REGULAR,
        max_size=0.03 * s,
        min_size=0.018 * s,
        max_lines=2,
        align="left",
        valign="top",
    )
    host = fit_text(
        spec.site_host,
        box=box(column[0], 0.6, column[1], 0.65),
        weight=Weight.SEMIBOLD,
        max_size=0.03 * s,
        min_size=0.012 * s,
        align="left",
        valign="top",
    )
    # Stack the three blocks and centre the stack on the QR code.
    gap = 0.018 * s
    rule_gap = 0.05 * s
    explain = explain.shifted(scan.ink.bottom + rule_gap - explain.ink.top)
    host = host.shifted(explain.ink.bottom + gap - host.ink.top)
    centre = (qr_box.top + qr_box.bottom) / 2
    offset = centre - (scan.ink.top + host.ink.bottom) / 2
    scan, explain, host = scan.shifted(offset), explain.shifted(offset), host.shifted(offset)
    rule_top = scan.ink.bottom + rule_gap / 2 - 0.002 * s
    # Whole pixels per QR module at the smallest size; larger sizes are whole multiples.
    pixel = BADGE_DESIGN / min(BADGE_SIZES)
    return Artwork(
        template="pledge/toolkit/badge.svg",
        width=BADGE_DESIGN,
        height=BADGE_DESIGN,
        title=f"{_('Partner for Protection member')}: {spec.store_name}. {_since(spec)}.",
        texts=(
            TextPiece(title, brand.GOLD_BRIGHT),
            TextPiece(name, brand.WHITE),
            TextPiece(since, brand.ICE),
            TextPiece(scan, brand.NAVY),
            TextPiece(explain, brand.MUTED),
            TextPiece(host, brand.NAVY),
        ),
        context={
            "qr": verification_qr(spec.verify_url, box=qr_box, room=panel, pixel=pixel),
            "rule": {"x": _n(column[0] * s), "y": _n(rule_top)},
        },
    )


def social(spec: ToolkitSpec, width: int, height: int) -> Artwork:
    """A post for social media: 'We took the pledge', the store's name and year."""
    w, h = float(width), float(height)
    wide = width / height > 1.3
    # Sizes are designed for 1080 px of height (square) or 630 (wide) and scale with it.
    unit = h / (630 if wide else 1080)
    left = (80 if wide else 90) * unit
    right = 0.62 * w if wide else w - 90 * unit

    def rows(top: float, bottom: float) -> Box:
        return Box(left, top * unit, right, bottom * unit)

    icon_w, icon_h = (40, 48) if wide else (56, 66)
    icon_top = (52 if wide else 100) * unit
    icon = Box(left, icon_top, left + icon_w * unit, icon_top + icon_h * unit)
    kicker = fit_text(
        pgettext("programme name", "Partner for Protection"),
        box=Box(icon.right + 18 * unit, icon.top, right, icon.bottom),
        weight=Weight.BOLD,
        max_size=(24 if wide else 30) * unit,
        min_size=12 * unit,
        tracking=0.12,
        uppercase=True,
        align="left",
    )
    headline = fit_text(
        _("We took the pledge."),
        box=rows(*((125, 290) if wide else (230, 480))),
        weight=Weight.BOLD,
        max_size=(78 if wide else 118) * unit,
        min_size=(40 if wide else 56) * unit,
        max_lines=2,
        leading=1.06,
        align="left",
        valign="top",
    )
    sub = fit_text(
        _("Safety is our top priority, for our staff and for our customers."),
        box=rows(*((305, 370) if wide else (510, 620))),
        weight=Weight.REGULAR,
        max_size=(27 if wide else 40) * unit,
        min_size=(16 if wide else 22) * unit,
        max_lines=2,
        align="left",
        valign="top",
    )
    footer = fit_text(
        _("Verify our membership at %(site)s") % {"site": spec.site_host},
        box=rows(*((570, 598) if wide else (975, 1010))),
        weight=Weight.REGULAR,
        max_size=(19 if wide else 26) * unit,
        min_size=9 * unit,
        align="left",
    )
    since = fit_text(
        _since(spec),
        box=rows(*((520, 552) if wide else (895, 940))),
        weight=Weight.SEMIBOLD,
        max_size=(24 if wide else 32) * unit,
        min_size=12 * unit,
        align="left",
    )
    name = fit_text(
        spec.store_name,
        box=rows(*((410, 508) if wide else (700, 880))),
        weight=Weight.BOLD,
        max_size=(46 if wide else 64) * unit,
        min_size=14 * unit,
        max_lines=2,
        leading=1.1,
        align="left",
        valign="bottom",
    )
    # The gold rule sits just above the name, however many lines the name takes.
    rule_top = name.ink.top - (28 if wide else 40) * unit
    return Artwork(
        template="pledge/toolkit/social-wide.svg" if wide else "pledge/toolkit/social-square.svg",
        width=width,
        height=height,
        title=f"{_('We took the pledge.')} {spec.store_name}. {_since(spec)}.",
        texts=(
            TextPiece(kicker, brand.GOLD_BRIGHT),
            TextPiece(headline, brand.WHITE),
            TextPiece(sub, brand.ICE),
            TextPiece(name, brand.WHITE),
            TextPiece(since, brand.GOLD_BRIGHT),
            TextPiece(footer, brand.ICE),
        ),
        context={
            "icon": {
                "x": _n(icon.left),
                "y": _n(icon.top),
                "w": _n(icon.width),
                "h": _n(icon.height),
            },
            "rule": {"x": _n(left), "y": _n(rule_top)},
        },
    )


def email_banner(spec: ToolkitSpec) -> Artwork:
    """A 600x100 banner for an e-mail signature, linked by the member to the verify page."""
    width, height = EMAIL_BANNER_SIZE
    column = (118.0, 586.0)
    verify_at = _("Verify at %(site)s") % {"site": spec.site_host}
    verify_line = f"{_since(spec)}  \N{MIDDLE DOT}  {verify_at}"
    title = fit_text(
        _("Partner for Protection member"),
        box=Box(column[0], 12, column[1], 38),
        weight=Weight.BOLD,
        max_size=19,
        min_size=12,
        align="left",
    )
    name = fit_text(
        spec.store_name,
        box=Box(column[0], 41, column[1], 64),
        weight=Weight.SEMIBOLD,
        max_size=16,
        min_size=7,
        align="left",
    )
    since = fit_text(
        verify_line,
        box=Box(column[0], 67, column[1], 88),
        weight=Weight.REGULAR,
        max_size=12.5,
        min_size=7,
        align="left",
    )
    return Artwork(
        template="pledge/toolkit/email-banner.svg",
        width=width,
        height=height,
        title=f"{_('Partner for Protection member')}: {spec.store_name}. {_since(spec)}.",
        texts=(
            TextPiece(title, brand.NAVY),
            TextPiece(name, brand.INK),
            TextPiece(since, brand.MUTED),
        ),
    )


def emblem_svg(*, fill: str = brand.GOLD_BRIGHT, mark: str = brand.NAVY) -> str:
    """The programme's emblem alone (a shield with a check mark), for the printed documents."""
    return render_to_string("pledge/toolkit/emblem.svg", {"fill": fill, "mark": mark})


def check_svg() -> str:
    """A navy disc with a white check mark, the bullet of every deterrent statement."""
    return render_to_string("pledge/toolkit/check.svg", {"c": brand.COLOURS})
