"""Chart geometry for the report and the history page; templates draw it as SVG on the server.

Colours are the brand's (``core.brand``), given as SVG attributes so that the same markup
shows in the browser (under a CSP without inline styles) and in WeasyPrint's PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format

from jewelguard.assessment.scoring import Level, ScenarioScore
from jewelguard.core.brand import ALERT, GOLD, GREY, NAVY_SOFT

# Risk runs from 0 to 100; every chart uses that one scale, so two charts compare at a glance.
RISK_MAX = 100.0
LEVEL_COLOURS: dict[Level, str] = {
    "low": GREY,
    "moderate": NAVY_SOFT,
    "high": GOLD,
    "very_high": ALERT,
}

BAR_WIDTH = 640
BAR_LABEL = 190
BAR_PLOT = 380
BAR_ROW = 30
# A label longer than this wraps to a second line (at a space), so it stays in its column.
BAR_LABEL_CHARS = 28
BAR_TOP = 10
BAR_BOTTOM = 28


@dataclass(frozen=True)
class LabelLine:
    text: str
    y: float


@dataclass(frozen=True)
class RiskBar:
    label: str
    label_lines: tuple[LabelLine, ...]
    value_label: str
    level_label: str
    colour: str
    y: float
    text_y: float
    width: float
    value_x: float


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class RiskChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bar_height: float
    bars: tuple[RiskBar, ...]
    ticks: tuple[Tick, ...]


def label_wrap(text: str, *, width: int = BAR_LABEL_CHARS) -> tuple[str, ...]:
    """``text`` in at most two lines of about ``width`` characters, broken at spaces."""
    if len(text) <= width:
        return (text,)
    words = text.split()
    first = ""
    for index, word in enumerate(words):
        candidate = f"{first} {word}".strip()
        if len(candidate) > width and first:
            rest = " ".join(words[index:])
            return (first, rest if len(rest) <= width + 4 else rest[: width + 3] + "…")
        first = candidate
    return (text,)


def risk_chart(*, scores: Sequence[ScenarioScore]) -> RiskChart:
    """One horizontal bar per scenario, highest risk first, on the 0 to 100 scale."""
    bars: list[RiskBar] = []
    for index, score in enumerate(scores):
        y = BAR_TOP + index * BAR_ROW
        width = BAR_PLOT * min(max(score.risk, 0.0), RISK_MAX) / RISK_MAX
        lines = label_wrap(score.title)
        middle = y + BAR_ROW / 2 + 4
        first_y = middle - 6.5 * (len(lines) - 1)
        bars.append(
            RiskBar(
                label=score.title,
                label_lines=tuple(
                    LabelLine(text=line, y=round(first_y + 13 * i, 1))
                    for i, line in enumerate(lines)
                ),
                value_label=f"{score.risk:g}",
                level_label=score.level_label,
                colour=LEVEL_COLOURS[score.level],
                y=round(y + 4, 1),
                text_y=round(y + BAR_ROW / 2 + 4, 1),
                width=round(width, 1),
                value_x=round(BAR_LABEL + width + 6, 1),
            )
        )
    bottom = BAR_TOP + len(scores) * BAR_ROW
    ticks = tuple(
        Tick(position=round(BAR_LABEL + BAR_PLOT * value / RISK_MAX, 1), label=str(value))
        for value in (0, 25, 50, 75, 100)
    )
    return RiskChart(
        width=BAR_WIDTH,
        height=bottom + BAR_BOTTOM,
        left=BAR_LABEL,
        right=BAR_LABEL + BAR_PLOT,
        top=BAR_TOP,
        bottom=bottom,
        bar_height=BAR_ROW - 8,
        bars=tuple(bars),
        ticks=ticks,
    )


LINE_WIDTH = 560
LINE_HEIGHT = 220
LINE_LEFT = 44
LINE_RIGHT = 20
LINE_TOP = 16
LINE_BOTTOM = 40


@dataclass(frozen=True)
class LinePoint:
    x: float
    y: float
    label: str
    value_label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    baseline: int
    label_y: int
    points: tuple[LinePoint, ...]
    # "x,y x,y ..." for the polyline
    path: str
    gridlines: tuple[Tick, ...]


def risk_line_chart(*, points: Sequence[tuple[datetime, float]]) -> LineChart:
    """Risk over time, one point per finished assessment, oldest first, evenly spaced."""
    plot_width = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    plot_height = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    baseline = LINE_TOP + plot_height
    laid: list[LinePoint] = []
    count = len(points)
    for index, (when, risk) in enumerate(points):
        x = LINE_LEFT + (plot_width * index / (count - 1) if count > 1 else plot_width / 2)
        y = baseline - plot_height * min(max(risk, 0.0), RISK_MAX) / RISK_MAX
        laid.append(
            LinePoint(
                x=round(x, 1),
                y=round(y, 1),
                label=date_format(when, "SHORT_DATE_FORMAT"),
                value_label=f"{risk:g}",
            )
        )
    gridlines = tuple(
        Tick(position=round(baseline - plot_height * value / RISK_MAX, 1), label=str(value))
        for value in (0, 25, 50, 75, 100)
    )
    return LineChart(
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        left=LINE_LEFT,
        right=LINE_WIDTH - LINE_RIGHT,
        baseline=baseline,
        label_y=baseline + 22,
        points=tuple(laid),
        path=" ".join(f"{p.x},{p.y}" for p in laid),
        gridlines=gridlines,
    )
