"""The selectors other rooms call: shape, order and language."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from jewelguard.playbook import selectors
from jewelguard.playbook.content import SCENARIO_IDS


def test_scenarios_come_in_the_reference_order_with_their_controls():
    scenarios = selectors.scenario_list()
    assert [s.id for s in scenarios] == list(SCENARIO_IDS)
    smash = scenarios[0]
    assert smash.title == "Smash-and-grab robbery"
    assert "laminated_showcases" in [c.id for c in smash.controls]
    assert all(isinstance(step, str) and step for step in smash.what_to_do)
    assert smash.figures[0].source.startswith("JSA")


def test_scenario_view_has_exactly_the_published_attributes():
    fields = [f.name for f in dataclasses.fields(selectors.ScenarioView)]
    assert fields == [
        "id",
        "title",
        "summary",
        "timing",
        "what_to_do",
        "stay_safe",
        "limit_loss",
        "controls",
        "figures",
    ]
    control_fields = [f.name for f in dataclasses.fields(selectors.ControlView)]
    assert control_fields == [
        "id",
        "name",
        "description",
        "effect",
        "cost_band",
        "standards",
        "scenario_ids",
        "source",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        selectors.scenario_get(scenario_id="fraud").title = "changed"  # type: ignore[misc]


def test_french_is_used_for_canadian_french():
    with translation.override("fr-ca"):
        robbery = selectors.scenario_get(scenario_id="armed_robbery")
        guard = next(c for c in selectors.control_list() if c.id == "uniformed_guard")
        years = selectors.industry_figures()
    assert robbery.title == "Vol à main armée"
    assert robbery.what_to_do[0].startswith("N\u2019opposez aucune résistance")
    assert guard.name == "Policier en uniforme hors service"
    assert years[3].notes.startswith("Année record")


def test_english_is_the_fallback_for_other_languages():
    with translation.override("de"):
        assert selectors.scenario_get(scenario_id="armed_robbery").title == "Armed robbery"


def test_an_unknown_scenario_id_raises_key_error():
    with pytest.raises(KeyError):
        selectors.scenario_get(scenario_id="bank_heist")


def test_controls_and_scenarios_agree_both_ways():
    for control in selectors.control_list():
        for scenario_id in control.scenario_ids:
            helping = selectors.scenario_get(scenario_id=scenario_id).controls
            assert control.id in [c.id for c in helping]
        assert control.cost_band in {"low", "medium", "high"}


def test_industry_figures_match_the_jsa_table():
    figures = {y.year: y for y in selectors.industry_figures()}
    assert figures[2022].crimes == 2211
    assert figures[2022].losses_cents == 129_400_000_00
    assert figures[2019].crimes == 1438
    assert figures[2024].losses_cents == 142_500_000_00


def test_industry_summary_names_the_record_year_and_the_rise_to_it():
    summary = selectors.industry_summary(years=selectors.industry_figures())
    assert (summary.first.year, summary.peak.year, summary.last.year) == (2019, 2022, 2024)
    # the most crimes (2022) and the largest losses (2024) fall in different years
    assert summary.costliest.year == 2024
    assert summary.rise_percent == round(100 * (2211 - 1438) / 1438) == 54


def test_industry_summary_of_other_figures():
    years = [
        selectors.YearFigures(year=2020, crimes=100, losses_cents=5, notes=""),
        selectors.YearFigures(year=2021, crimes=150, losses_cents=1, notes=""),
    ]
    summary = selectors.industry_summary(years=years)
    assert (summary.peak.year, summary.costliest.year, summary.rise_percent) == (2021, 2020, 50)
