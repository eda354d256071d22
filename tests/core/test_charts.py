"""Bar-chart geometry shared by the statistics pages."""

from __future__ import annotations

from jewelguard.core.charts import bar_chart


def test_a_chart_of_zeros_has_flat_bars_and_an_axis():
    chart = bar_chart([0, 0], labels=["2023", "2024"], value_labels=["$0", "$0"])
    assert [bar.height for bar in chart.bars] == [0, 0]
    assert [line.label for line in chart.gridlines][:2] == ["0", "0.2"]


def test_tallest_bar_reaches_the_top_gridline_and_labels_can_be_thinned():
    chart = bar_chart(
        [5, 10, 20, 40], labels=["Q1", "Q2", "Q3", "Q4"], value_labels=[""] * 4, label_every=2
    )
    assert chart.bars[3].y == chart.gridlines[-1].y
    assert [bar.label for bar in chart.bars] == ["Q1", "", "Q3", ""]
