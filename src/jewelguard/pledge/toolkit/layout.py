"""Fitting text into a box by measuring it: shrink, wrap and balance until every line's ink fits.

The artwork and the printed signs both take their line breaks and sizes from here, so a long
or accented store name is never clipped. ``fit_text`` is exposed for tests: the boxes it
returns are where Pillow draws the ink.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from jewelguard.core.brand import Weight, font

Align = Literal["left", "center", "right"]
VAlign = Literal["top", "middle", "bottom"]

# Below min_size a fit is still found, by breaking words and shrinking further, down to this
# share of min_size: text that fits only that small is rare, and clipping it is never right.
LAST_RESORT = 0.35
SIZE_STEPS = 24


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains(self, other: Box, *, tolerance: float = 0.0) -> bool:
        return (
            other.left >= self.left - tolerance
            and other.top >= self.top - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def scaled(self, factor: float) -> Box:
        return Box(self.left * factor, self.top * factor, self.right * factor, self.bottom * factor)


@dataclass(frozen=True)
class Line:
    text: str
    # Pen position: left end of the baseline.
    x: float
    baseline: float
    # Advance width, tracking included.
    width: float
    # Where the ink lands.
    ink: Box
    # x of each character when the text is tracked (drawn one character at a time).
    char_x: tuple[float, ...] = ()


@dataclass(frozen=True)
class TextBlock:
    text: str
    weight: Weight
    size: float
    tracking: float
    lines: tuple[Line, ...]
    box: Box

    @property
    def ink(self) -> Box:
        ink = self.lines[0].ink
        for line in self.lines[1:]:
            ink = ink.union(line.ink)
        return ink

    @property
    def fits(self) -> bool:
        return self.box.contains(self.ink, tolerance=0.5)

    def shifted(self, dy: float) -> TextBlock:
        """The same block moved down by ``dy`` (its box too), to stack blocks after layout."""
        return TextBlock(
            text=self.text,
            weight=self.weight,
            size=self.size,
            tracking=self.tracking,
            lines=tuple(_moved(line, dy) for line in self.lines),
            box=Box(self.box.left, self.box.top + dy, self.box.right, self.box.bottom + dy),
        )


def _moved(line: Line, dy: float) -> Line:
    return Line(
        text=line.text,
        x=line.x,
        baseline=line.baseline + dy,
        width=line.width,
        ink=Box(line.ink.left, line.ink.top + dy, line.ink.right, line.ink.bottom + dy),
        char_x=line.char_x,
    )


@lru_cache(maxsize=8192)
def _advance(text: str, weight: Weight, size: float, tracking: float) -> float:
    """Advance width of ``text``; shaping is costly and wrapping asks the same many times."""
    if tracking == 0:
        return float(font(weight, size).getlength(text))
    return sum(_advance(c, weight, size, 0.0) for c in text) + tracking * max(len(text) - 1, 0)


def _break_word(word: str, limit: float, weight: Weight, size: float, tracking: float) -> list[str]:
    """Split one over-long word into pieces no wider than ``limit`` (a last resort)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and _advance(current + char, weight, size, tracking) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def _wrap(
    words: list[str],
    limit: float,
    weight: Weight,
    size: float,
    tracking: float,
    *,
    break_words: bool,
) -> list[str] | None:
    """Greedy wrap at ``limit``; None when a word is too wide and may not be broken."""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if _advance(candidate, weight, size, tracking) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        if _advance(word, weight, size, tracking) <= limit:
            current = word
            continue
        if not break_words:
            return None
        *whole, current = _break_word(word, limit, weight, size, tracking)
        lines.extend(whole)
    if current:
        lines.append(current)
    return lines


def _balanced(
    words: list[str], width: float, weight: Weight, size: float, tracking: float, count: int
) -> list[str]:
    """The same number of lines as a greedy wrap, with lengths as even as possible."""
    low, high = width / count * 0.9, width
    best = _wrap(words, width, weight, size, tracking, break_words=True) or words
    for _ in range(12):
        middle = (low + high) / 2
        attempt = _wrap(words, middle, weight, size, tracking, break_words=False)
        if attempt is not None and len(attempt) <= count:
            best, high = attempt, middle
        else:
            low = middle
    return best


def _place(
    texts: list[str],
    *,
    box: Box,
    weight: Weight,
    size: float,
    tracking: float,
    align: Align,
    valign: VAlign,
    leading: float,
) -> tuple[Line, ...]:
    face = font(weight, size)
    cap_height = -face.getbbox("H", anchor="ls")[1]
    step = size * leading
    # Lines are stacked from cap height to baseline, which centres text as the eye sees it.
    visual = cap_height + step * (len(texts) - 1)
    if valign == "top":
        first = box.top + cap_height
    elif valign == "bottom":
        first = box.bottom - visual + cap_height
    else:
        first = box.top + (box.height - visual) / 2 + cap_height
    lines = []
    for index, text in enumerate(texts):
        width = _advance(text, weight, size, tracking)
        if align == "left":
            x = box.left
        elif align == "right":
            x = box.right - width
        else:
            x = box.left + (box.width - width) / 2
        baseline = first + index * step
        char_x: tuple[float, ...] = ()
        if tracking:
            positions, pen = [], x
            for char in text:
                positions.append(pen)
                pen += _advance(char, weight, size, 0.0) + tracking
            char_x = tuple(positions)
            left = x + face.getbbox(text[0], anchor="ls")[0]
            right = char_x[-1] + face.getbbox(text[-1], anchor="ls")[2]
            _l, top, _r, bottom = face.getbbox(text, anchor="ls")
            ink = Box(left, baseline + top, right, baseline + bottom)
        else:
            left_, top, right_, bottom = face.getbbox(text, anchor="ls")
            ink = Box(x + left_, baseline + top, x + right_, baseline + bottom)
        # A glyph may overhang its advance (the j's tail): keep the ink, not the pen, inside.
        dx = box.left - ink.left if ink.left < box.left else min(0.0, box.right - ink.right)
        if dx and ink.right - ink.left <= box.width:
            x += dx
            char_x = tuple(c + dx for c in char_x)
            ink = Box(ink.left + dx, ink.top, ink.right + dx, ink.bottom)
        lines.append(Line(text=text, x=x, baseline=baseline, width=width, ink=ink, char_x=char_x))
    return _nudged(tuple(lines), box)


def _nudged(lines: tuple[Line, ...], box: Box) -> tuple[Line, ...]:
    """Shift the lines up or down where an accent or a descender pokes out of the box."""
    top = min(line.ink.top for line in lines)
    bottom = max(line.ink.bottom for line in lines)
    if bottom - top > box.height:
        return lines
    shift = box.top - top if top < box.top else min(0.0, box.bottom - bottom)
    if shift == 0:
        return lines
    return tuple(_moved(line, shift) for line in lines)


# A dash standing alone stays at the end of the line before it, never starts a line.
DASHES = {"-", "\N{EN DASH}", "\N{EM DASH}", "|", "\N{MIDDLE DOT}", ":"}


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in text.split(" "):
        if words and word in DASHES:
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    return words


def _sizes(max_size: float, min_size: float) -> Iterator[float]:
    ratio = (min_size / max_size) ** (1 / SIZE_STEPS)
    size = max_size
    for _ in range(SIZE_STEPS + 1):
        # The size the font cache will really use, so measuring and drawing agree.
        yield round(size * 4) / 4
        size *= ratio


def fit_text(
    text: str,
    *,
    box: Box,
    weight: Weight,
    max_size: float,
    min_size: float,
    max_lines: int = 1,
    align: Align = "center",
    valign: VAlign = "middle",
    leading: float = 1.18,
    tracking: float = 0.0,
    uppercase: bool = False,
) -> TextBlock:
    """The largest size (``max_size`` down to ``min_size``) at which ``text`` fits ``box``.

    Words wrap onto at most ``max_lines`` lines, balanced so that no line is left with a
    single short word. ``tracking`` is extra space between characters, in ems. If nothing
    fits even at ``min_size``, long words are broken and the size shrinks further, so the
    result always fits; it never truncates.
    """
    shown = " ".join((text.upper() if uppercase else text).split()) or " "
    words = _words(shown)

    def attempt(size: float, *, break_words: bool) -> TextBlock | None:
        spacing = tracking * size
        wrapped = _wrap(words, box.width, weight, size, spacing, break_words=break_words)
        if wrapped is None or len(wrapped) > max_lines:
            return None
        if len(wrapped) > 1 and not break_words:
            wrapped = _balanced(words, box.width, weight, size, spacing, len(wrapped))
        lines = _place(
            wrapped,
            box=box,
            weight=weight,
            size=size,
            tracking=spacing,
            align=align,
            valign=valign,
            leading=leading,
        )
        block = TextBlock(
            text=shown, weight=weight, size=size, tracking=spacing, lines=lines, box=box
        )
        return block if block.fits else None

    for size in _sizes(max_size, min_size):
        found = attempt(size, break_words=False)
        if found is not None:
            return found
    for size in _sizes(min_size, min_size * LAST_RESORT):
        found = attempt(size, break_words=True)
        if found is not None:
            return found
    raise ValueError(f"{text[:40]!r} cannot fit a box of {box.width:.0f}x{box.height:.0f}")
