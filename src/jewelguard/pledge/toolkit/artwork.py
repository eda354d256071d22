"""The badge, the social graphics and the e-mail signature banner, as scenes.

Every layout is proportional to the canvas and every piece of text goes through
``fit_text``; call these inside ``translation.override(spec.language)``.
"""

from __future__ import annotations

import math
from functools import cache

import segno
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jewelguard.pledge.toolkit.brand import (
    GOLD,
    GOLD_BRIGHT,
    ICE,
    INK,
    MUTED,
    NAVY,
    NAVY_DEEP,
    NAVY_SOFT,
    WHITE,
    Weight,
)
from jewelguard.pledge.toolkit.layout import Box, fit_text
from jewelguard.pledge.toolkit.scene import (
    Point,
    Polygon,
    QRCode,
    Rect,
    Scene,
    Shape,
    Stroke,
    Text,
    qr_rows,
)
from jewelguard.pledge.toolkit.spec import ToolkitSpec

BADGE_SIZES = (256, 512, 1024)
SOCIAL_SIZES = ((1080, 1080), (1200, 630))
EMAIL_BANNER_SIZE = (600, 100)


@cache
def verification_qr(url: str) -> tuple[tuple[bool, ...], ...]:
    """The verification URL as QR modules (error correction M survives a scuffed sign)."""
    code = segno.make_qr(url, error="m", boost_error=False)
    return qr_rows([tuple(row) for row in code.matrix])


def _quadratic(start: Point, control: Point, end: Point, steps: int = 16) -> list[Point]:
    points = []
    for i in range(1, steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0]
        y = (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1]
        points.append((x, y))
    return points


def shield(box: Box, *, fill: str, mark: str) -> tuple[Shape, ...]:
    """The programme's emblem: a shield with a check mark, fitted to ``box``."""

    def at(u: float, v: float) -> Point:
        return box.left + u * box.width, box.top + v * box.height

    outline: list[Point] = [at(0, 0.14), at(0.5, 0), at(1, 0.14), at(1, 0.5)]
    outline += _quadratic(at(1, 0.5), at(0.97, 0.86), at(0.5, 1))
    outline += _quadratic(at(0.5, 1), at(0.03, 0.86), at(0, 0.5))
    check = (at(0.29, 0.52), at(0.45, 0.67), at(0.73, 0.36))
    return (
        Polygon(points=tuple(outline), fill=fill),
        Stroke(points=check, color=mark, width=box.width * 0.11),
    )


def _since(spec: ToolkitSpec) -> str:
    return _("Member since %(year)s") % {"year": spec.member_since}


def badge_scene(spec: ToolkitSpec, size: int) -> Scene:
    """A square badge on a transparent canvas: emblem, name, year and a verification QR code."""
    s = float(size)

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
    shapes: tuple[Shape, ...] = (
        Rect(box=box(0, 0, 1, 1), fill=NAVY, radius=0.12 * s),
        Rect(
            box=box(0.035, 0.035, 0.965, 0.965),
            stroke=GOLD,
            stroke_width=0.006 * s,
            radius=0.09 * s,
        ),
        *shield(box(0.462, 0.062, 0.538, 0.152), fill=GOLD_BRIGHT, mark=NAVY),
        Rect(box=box(0.44, 0.277, 0.56, 0.281), fill=GOLD),
        Rect(box=panel, fill=WHITE, radius=0.035 * s),
        Rect(
            box=Box(column[0] * s, rule_top, (column[0] + 0.07) * s, rule_top + 0.004 * s),
            fill=GOLD,
        ),
    )
    return Scene(
        width=size,
        height=size,
        title=f"{_('Partner for Protection member')}: {spec.store_name}. {_since(spec)}.",
        shapes=shapes,
        overlays=(
            Text(block=title, fill=GOLD_BRIGHT),
            Text(block=name, fill=WHITE),
            Text(block=since, fill=ICE),
            QRCode(rows=verification_qr(spec.verify_url), box=qr_box, dark=NAVY, light=WHITE),
            Text(block=scan, fill=NAVY),
            Text(block=explain, fill=MUTED),
            Text(block=host, fill=NAVY),
        ),
    )


def circle(cx: float, cy: float, r: float, steps: int = 96) -> tuple[Point, ...]:
    return tuple(
        (cx + r * math.cos(2 * math.pi * i / steps), cy + r * math.sin(2 * math.pi * i / steps))
        for i in range(steps)
    )


def social_scene(spec: ToolkitSpec, width: int, height: int) -> Scene:
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
    shapes: list[Shape] = [Rect(box=Box(0, 0, w, 10 * unit), fill=GOLD)]
    if wide:
        cx, cy, r = 0.815 * w, 0.52 * h, 0.36 * h
        shapes += [
            Polygon(points=circle(cx, cy, r), fill=NAVY_SOFT),
            *shield(
                Box(cx - 0.6 * r, cy - 0.7 * r, cx + 0.6 * r, cy + 0.72 * r),
                fill=GOLD_BRIGHT,
                mark=NAVY,
            ),
        ]
    else:
        # A large, quiet emblem in the corner gives the post depth without competing.
        shapes += shield(Box(0.63 * w, 0.4 * h, 0.63 * w + 0.5 * h, h), fill=NAVY_SOFT, mark=NAVY)
    shapes += [
        *shield(icon, fill=GOLD_BRIGHT, mark=NAVY),
        Rect(box=Box(left, rule_top, left + 96 * unit, rule_top + 6 * unit), fill=GOLD),
    ]
    return Scene(
        width=width,
        height=height,
        title=f"{_('We took the pledge.')} {spec.store_name}. {_since(spec)}.",
        background=NAVY,
        shapes=tuple(shapes),
        overlays=(
            Text(block=kicker, fill=GOLD_BRIGHT),
            Text(block=headline, fill=WHITE),
            Text(block=sub, fill=ICE),
            Text(block=name, fill=WHITE),
            Text(block=since, fill=GOLD_BRIGHT),
            Text(block=footer, fill=ICE),
        ),
    )


def email_banner_scene(spec: ToolkitSpec) -> Scene:
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
    return Scene(
        width=width,
        height=height,
        title=f"{_('Partner for Protection member')}: {spec.store_name}. {_since(spec)}.",
        background=WHITE,
        shapes=(
            Rect(box=Box(0, 0, 100, height), fill=NAVY),
            *shield(Box(28, 20, 72, 72), fill=GOLD_BRIGHT, mark=NAVY),
            Rect(box=Box(100, height - 4, width, height), fill=GOLD),
            Rect(box=Box(0, height - 4, 100, height), fill=NAVY_DEEP),
        ),
        overlays=(
            Text(block=title, fill=NAVY),
            Text(block=name, fill=INK),
            Text(block=since, fill=MUTED),
        ),
    )
