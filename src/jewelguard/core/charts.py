"""Bar-chart geometry for statistics pages; core/_bar_chart.html draws it as SVG on the server."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

WIDTH = 560
HEIGHT = 320
MARGIN_LEFT = 72
MARGIN_RIGHT = 16
MARGIN_TOP = 30
MARGIN_BOTTOM = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value_label: str
    x: float
    y: float
    width: float
    height: float
    centre: float
    highlight: bool


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int
    baseline: float
    label_y: float
    bars: list[Bar]
    gridlines: list[Gridline]


def _nice_step(maximum: float, steps: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``steps`` gridlines."""
    raw = maximum / steps
    power: float = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def bar_chart(
    values: list[float],
    *,
    labels: list[str],
    value_labels: list[str],
    tick_format: Callable[[float], str] = "{:g}".format,
    highlight: int | None = None,
    label_every: int = 1,
) -> BarChart:
    """Lay out one bar per value; ``tick_format`` writes the axis values (e.g. "$50M").

    With many bars, ``label_every`` writes only every n-th label under the axis.
    """
    if not values or len(values) != len(labels) or len(values) != len(value_labels):
        raise ValueError("one label and one value label per value")
    step = _nice_step(max(max(values), 1))
    # At least one step, so that a chart of zeros (no losses yet) has an axis, not a division by 0.
    top = step * max(math.ceil(max(values) / step), 1)
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot_width / len(values)
    bar_width = slot * 0.6
    baseline = MARGIN_TOP + plot_height
    bars = []
    for i, (value, label, value_label) in enumerate(zip(values, labels, value_labels, strict=True)):
        height = plot_height * value / top
        x = MARGIN_LEFT + slot * i + (slot - bar_width) / 2
        bars.append(
            Bar(
                label=label if i % label_every == 0 else "",
                value_label=value_label,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                centre=round(x + bar_width / 2, 1),
                highlight=i == highlight,
            )
        )
    gridlines = []
    tick = 0.0
    while tick <= top + step / 1000:
        gridlines.append(
            Gridline(y=round(baseline - plot_height * tick / top, 1), label=tick_format(tick))
        )
        tick += step
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        left=MARGIN_LEFT,
        right=WIDTH - MARGIN_RIGHT,
        baseline=baseline,
        label_y=baseline + 26,
        bars=bars,
        gridlines=gridlines,
    )
