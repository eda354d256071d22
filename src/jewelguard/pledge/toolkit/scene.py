"""A small scene description, drawn two ways: to a PNG with Pillow and to an SVG.

The badge, the social graphics and the e-mail banner are scenes: shapes first, then text and
QR codes on top. Both renderers take positions from the same measured layout, so the SVG and
the PNG show the same thing.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from PIL import Image, ImageColor, ImageDraw

from jewelguard.pledge.toolkit.brand import FONT_FAMILY, FONT_STACK, Weight, font
from jewelguard.pledge.toolkit.layout import Box, TextBlock

# Shapes are drawn this many times larger, then reduced: Pillow does not anti-alias shapes.
SUPERSAMPLE = 3
QR_QUIET_ZONE = 4
Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    box: Box
    fill: str | None = None
    radius: float = 0.0
    stroke: str | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    fill: str


@dataclass(frozen=True)
class Stroke:
    """An open line with round ends, e.g. a check mark."""

    points: tuple[Point, ...]
    color: str
    width: float


@dataclass(frozen=True)
class Text:
    block: TextBlock
    fill: str


@dataclass(frozen=True)
class QRCode:
    """A QR code with its quiet zone, drawn inside ``box`` (a square)."""

    rows: tuple[tuple[bool, ...], ...]
    box: Box
    dark: str
    light: str

    @property
    def modules(self) -> int:
        return len(self.rows)


Shape = Rect | Polygon | Stroke
Overlay = Text | QRCode


@dataclass(frozen=True)
class Scene:
    width: int
    height: int
    title: str
    shapes: tuple[Shape, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    background: str | None = None

    @property
    def texts(self) -> tuple[Text, ...]:
        return tuple(o for o in self.overlays if isinstance(o, Text))


def qr_rows(matrix_rows: Sequence[Sequence[int | bool]]) -> tuple[tuple[bool, ...], ...]:
    """segno's matrix (without border) with a quiet zone of four modules around it."""
    size = len(matrix_rows) + 2 * QR_QUIET_ZONE
    blank = tuple([False] * size)
    pad = [False] * QR_QUIET_ZONE
    body = [tuple(pad + [bool(v) for v in row] + pad) for row in matrix_rows]
    return (blank,) * QR_QUIET_ZONE + tuple(body) + (blank,) * QR_QUIET_ZONE


# --- PNG -------------------------------------------------------------------------------


def _rgba(color: str) -> tuple[int, int, int, int]:
    red, green, blue = ImageColor.getrgb(color)[:3]
    return red, green, blue, 255


def _draw_shapes(scene: Scene) -> Image.Image:
    scale = SUPERSAMPLE
    background = _rgba(scene.background) if scene.background else (0, 0, 0, 0)
    layer = Image.new("RGBA", (scene.width * scale, scene.height * scale), background)
    draw = ImageDraw.Draw(layer)
    for shape in scene.shapes:
        if isinstance(shape, Rect):
            box = shape.box.scaled(scale)
            draw.rounded_rectangle(
                (box.left, box.top, box.right - 1, box.bottom - 1),
                radius=shape.radius * scale,
                fill=_rgba(shape.fill) if shape.fill else None,
                outline=_rgba(shape.stroke) if shape.stroke else None,
                width=max(1, round(shape.stroke_width * scale)) if shape.stroke else 0,
            )
        elif isinstance(shape, Polygon):
            draw.polygon([(x * scale, y * scale) for x, y in shape.points], fill=_rgba(shape.fill))
        else:
            points = [(x * scale, y * scale) for x, y in shape.points]
            width = shape.width * scale
            draw.line(points, fill=_rgba(shape.color), width=round(width), joint="curve")
            for x, y in (points[0], points[-1]):
                r = width / 2
                draw.ellipse((x - r, y - r, x + r, y + r), fill=_rgba(shape.color))
    # Reduce with premultiplied alpha so transparent edges do not darken.
    return layer.convert("RGBa").reduce(scale).convert("RGBA")


def _draw_qr(image: Image.Image, qr: QRCode) -> None:
    count = qr.modules
    target = qr.box.width
    module = math.floor(target / count)
    # Whole-pixel modules are crispest; where that would shrink the code much, scale to fit.
    side = module * count if module >= 1 and module * count >= 0.85 * target else round(target)
    small = Image.new("L", (count, count), 0)
    small.putdata([255 if dark else 0 for row in qr.rows for dark in row])
    mask = small.resize((side, side), Image.Resampling.NEAREST)
    left = round(qr.box.left + (target - side) / 2)
    top = round(qr.box.top + (target - side) / 2)
    tile = Image.new("RGBA", (side, side), _rgba(qr.light))
    tile.paste(Image.new("RGBA", (side, side), _rgba(qr.dark)), (0, 0), mask)
    image.paste(tile, (left, top))


def _draw_text(draw: ImageDraw.ImageDraw, text: Text) -> None:
    block = text.block
    face = font(block.weight, block.size)
    for line in block.lines:
        if line.char_x:
            for char, x in zip(line.text, line.char_x, strict=True):
                draw.text((x, line.baseline), char, font=face, fill=text.fill, anchor="ls")
        else:
            draw.text((line.x, line.baseline), line.text, font=face, fill=text.fill, anchor="ls")


def _draw(scene: Scene, *, codes: bool) -> Image.Image:
    image = _draw_shapes(scene)
    draw = ImageDraw.Draw(image)
    for overlay in scene.overlays:
        if isinstance(overlay, Text):
            _draw_text(draw, overlay)
        elif codes:
            _draw_qr(image, overlay)
    return image


def render_png(scene: Scene, *, detail: Scene | None = None) -> bytes:
    """The scene as a PNG.

    ``detail`` is the same design laid out at a whole multiple of the size: its shapes and
    text are drawn there and reduced, which keeps very small text even (hinting at 7 px
    spaces letters unevenly). QR codes are still drawn at the final size, module-aligned,
    since reducing them blurs the modules past what a phone can read.
    """
    if detail is None:
        image = _draw(scene, codes=True)
    else:
        factor = detail.width // scene.width
        image = _draw(detail, codes=False).convert("RGBa").reduce(factor).convert("RGBA")
        for overlay in scene.overlays:
            if isinstance(overlay, QRCode):
                _draw_qr(image, overlay)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


# --- SVG -------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _font_faces(scene: Scene) -> str:
    """@font-face rules embedding Inter, cut down to the characters the scene uses."""
    used: dict[Weight, set[str]] = {}
    for text in scene.texts:
        used.setdefault(text.block.weight, set()).update(
            "".join(line.text for line in text.block.lines)
        )
    rules = []
    for weight, chars in sorted(used.items()):
        options = subset.Options()
        # No layout tables: they triple the time, and textLength keeps each line's
        # measured (kerned) width anyway.
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
            f"@font-face{{font-family:'{FONT_FAMILY}';font-weight:{weight.css};"
            f"src:url(data:font/otf;base64,{data}) format('opentype');}}"
        )
    return "".join(rules)


def _svg_shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        box = shape.box
        attrs = [
            f'x="{_n(box.left)}" y="{_n(box.top)}" width="{_n(box.width)}" '
            f'height="{_n(box.height)}"'
        ]
        if shape.radius:
            attrs.append(f'rx="{_n(shape.radius)}"')
        attrs.append(f'fill="{shape.fill}"' if shape.fill else 'fill="none"')
        if shape.stroke:
            attrs.append(f'stroke="{shape.stroke}" stroke-width="{_n(shape.stroke_width)}"')
        return f"<rect {' '.join(attrs)}/>"
    if isinstance(shape, Polygon):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
        return f'<polygon points="{points}" fill="{shape.fill}"/>'
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
    return (
        f'<polyline points="{points}" fill="none" stroke="{shape.color}" '
        f'stroke-width="{_n(shape.width)}" stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _svg_text(text: Text) -> str:
    block = text.block
    parts = []
    for line in block.lines:
        common = (
            f'y="{_n(line.baseline)}" font-size="{_n(block.size)}" '
            f'font-weight="{block.weight.css}" fill="{text.fill}"'
        )
        if line.char_x:
            xs = " ".join(_n(x) for x in line.char_x)
            parts.append(f'<text x="{xs}" {common}>{escape(line.text)}</text>')
        else:
            parts.append(
                f'<text x="{_n(line.x)}" {common} textLength="{_n(line.width)}" '
                f'lengthAdjust="spacingAndGlyphs">{escape(line.text)}</text>'
            )
    return "".join(parts)


def _svg_qr(qr: QRCode) -> str:
    module = qr.box.width / qr.modules
    runs = []
    for y, row in enumerate(qr.rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    box = qr.box
    return (
        f'<rect x="{_n(box.left)}" y="{_n(box.top)}" width="{_n(box.width)}" '
        f'height="{_n(box.height)}" fill="{qr.light}"/>'
        f'<path transform="translate({_n(box.left)} {_n(box.top)}) scale({module:.4f})" '
        f'd="{"".join(runs)}" fill="{qr.dark}" shape-rendering="crispEdges"/>'
    )


def render_svg(scene: Scene) -> bytes:
    body = []
    if scene.background:
        body.append(f'<rect width="100%" height="100%" fill="{scene.background}"/>')
    body.extend(_svg_shape(shape) for shape in scene.shapes)
    texts = []
    for overlay in scene.overlays:
        if isinstance(overlay, Text):
            texts.append(_svg_text(overlay))
        else:
            body.append(_svg_qr(overlay))
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width}" height="{scene.height}" '
        f'viewBox="0 0 {scene.width} {scene.height}" role="img" aria-labelledby="title">'
        f'<title id="title">{escape(scene.title)}</title>'
        f"<defs><style>{_font_faces(scene)}</style></defs>"
        f"{''.join(body)}"
        f"<g font-family={quoteattr(FONT_STACK)}>{''.join(texts)}</g>"
        "</svg>\n"
    )
    return svg.encode()
