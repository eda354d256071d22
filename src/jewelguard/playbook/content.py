"""The playbook's content: scenarios, controls and industry figures, read from ``content/*.yaml``.

The files are read by the shared content loader (``jewelguard.core.content``) and checked once at
start-up (``PlaybookConfig.ready``). Any problem stops the site with ``ContentError`` (an
``ImproperlyConfigured``) naming the file, the scenario or control, and the field, so a bad edit
never reaches a jeweler as a half-rendered page. Texts are keyed ``en`` and ``fr-ca``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictInt

from jewelguard.core.content import (
    ContentItems,
    ContentModel,
    Identifier,
    IdList,
    Text,
    content_error,
    content_load,
    content_problem,
    most_chars,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SCENARIOS_FILE = "scenarios.yaml"
CONTROLS_FILE = "controls.yaml"
FIGURES_FILE = "figures.yaml"
COST_BANDS = ("low", "medium", "high")
# A scenario's staff card must fit on one printed page; these bound what the card holds.
MAX_TITLE = 80
MAX_SUMMARY = 320
MAX_STEPS = 7
MAX_TIPS = 5
MAX_ITEM = 200
MAX_TEXT = 2000
# The threat scenarios every room shares; their ids and order come from the security guidance.
SCENARIO_IDS = (
    "smash_and_grab",
    "armed_robbery",
    "three_minute_burglary",
    "safe_burglary",
    "grab_and_run",
    "distraction_theft",
    "switch_theft",
    "off_premises",
    "fraud",
    "insider_theft",
)

__all__ = ["SCENARIO_IDS", "Control", "Playbook", "Scenario", "Text", "playbook", "playbook_load"]

LongText = Annotated[Text, most_chars(MAX_TEXT)]
ListItem = Annotated[Text, most_chars(MAX_ITEM)]


def _known_scenarios(ids: tuple[str, ...]) -> tuple[str, ...]:
    for scenario_id in ids:
        if scenario_id not in SCENARIO_IDS:
            raise content_problem(f"names an unknown scenario id '{scenario_id}'")
    return ids


class Figure(ContentModel):
    value: LongText
    source: LongText


class Scenario(ContentModel):
    id: Identifier
    title: Annotated[Text, most_chars(MAX_TITLE)]
    summary: Annotated[Text, most_chars(MAX_SUMMARY)]
    timing: LongText
    what_to_do: Annotated[tuple[ListItem, ...], Field(min_length=1, max_length=MAX_STEPS)]
    stay_safe: Annotated[tuple[ListItem, ...], Field(min_length=1, max_length=MAX_TIPS)]
    limit_loss: Annotated[tuple[ListItem, ...], Field(min_length=1, max_length=MAX_TIPS)]
    control_ids: IdList = Field(alias="controls")
    figures: tuple[Figure, ...] = ()


class Control(ContentModel):
    id: Identifier
    name: LongText
    description: LongText
    effect: LongText
    cost_band: Literal["low", "medium", "high"]
    standards: tuple[str, ...] = ()
    scenario_ids: Annotated[IdList, AfterValidator(_known_scenarios)] = Field(alias="scenarios")
    source: LongText


class Year(ContentModel):
    year: Annotated[StrictInt, Field(ge=1900)]
    crimes: Annotated[StrictInt, Field(ge=0)]
    losses_cents: Annotated[StrictInt, Field(ge=0)]
    notes: LongText


class Source(ContentModel):
    name: LongText
    note: LongText


class ScenariosFile(ContentModel):
    scenarios: Annotated[tuple[Scenario, ...], Field(min_length=1)]


class ControlsFile(ContentModel):
    controls: Annotated[tuple[Control, ...], Field(min_length=1)]


class FiguresFile(ContentModel):
    years: Annotated[tuple[Year, ...], Field(min_length=1)]
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]


@dataclass(frozen=True)
class Playbook:
    scenarios: tuple[Scenario, ...]
    controls: tuple[Control, ...]
    years: tuple[Year, ...]
    sources: tuple[Source, ...]
    # Changes whenever any content file changes; part of every cache key built from content.
    version: str

    def scenario(self, scenario_id: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def control(self, control_id: str) -> Control:
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)


def _check_scenario_ids(scenarios: tuple[Scenario, ...]) -> None:
    found = tuple(s.id for s in scenarios)
    if found == SCENARIO_IDS:
        return
    missing = [i for i in SCENARIO_IDS if i not in found]
    if missing:
        raise content_error(
            filename=SCENARIOS_FILE, item=f"scenario {missing[0]}", message="is missing"
        )
    unknown = [i for i in found if i not in SCENARIO_IDS]
    if unknown:
        raise content_error(
            filename=SCENARIOS_FILE, item=f"scenario {unknown[0]}", message="unknown scenario id"
        )
    raise content_error(
        filename=SCENARIOS_FILE,
        message="scenarios must be in the order " + ", ".join(SCENARIO_IDS),
    )


def _check_links(scenarios: tuple[Scenario, ...], controls: tuple[Control, ...]) -> None:
    """Scenarios name the controls that help; controls name what they mitigate. Both must agree."""
    by_id = {c.id: c for c in controls}
    for scenario in scenarios:
        for control_id in scenario.control_ids:
            control = by_id.get(control_id)
            if control is None:
                raise content_error(
                    filename=SCENARIOS_FILE,
                    item=f"scenario {scenario.id}",
                    message=f"unknown control id '{control_id}'",
                )
            if scenario.id not in control.scenario_ids:
                raise content_error(
                    filename=CONTROLS_FILE,
                    item=f"control {control_id}",
                    field="scenarios",
                    message=f"does not list '{scenario.id}', whose controls include it",
                )
    for control in controls:
        for scenario_id in control.scenario_ids:
            scenario = next(s for s in scenarios if s.id == scenario_id)
            if control.id not in scenario.control_ids:
                raise content_error(
                    filename=CONTROLS_FILE,
                    item=f"control {control.id}",
                    message=f"mitigates scenario '{scenario_id}', but {SCENARIOS_FILE} scenario "
                    f"{scenario_id} field 'controls' does not list it",
                )


def playbook_load(directory: Path = CONTENT_DIR) -> Playbook:
    """Read and check every content file in ``directory``; raise ContentError if wrong."""
    scenario_file = content_load(
        path=directory / SCENARIOS_FILE,
        model=ScenariosFile,
        items=[ContentItems(key="scenarios", noun="scenario")],
    )
    control_file = content_load(
        path=directory / CONTROLS_FILE,
        model=ControlsFile,
        items=[ContentItems(key="controls", noun="control")],
    )
    figure_file = content_load(
        path=directory / FIGURES_FILE,
        model=FiguresFile,
        items=[
            ContentItems(key="years", noun="year", id_field="year"),
            ContentItems(key="sources", noun="source", id_field=None),
        ],
    )
    scenarios = scenario_file.content.scenarios
    controls = control_file.content.controls
    _check_scenario_ids(scenarios)
    _check_links(scenarios, controls)
    digests = (scenario_file.digest, control_file.digest, figure_file.digest)
    return Playbook(
        scenarios=scenarios,
        controls=controls,
        years=tuple(sorted(figure_file.content.years, key=lambda y: y.year)),
        sources=figure_file.content.sources,
        version=hashlib.sha256("\0".join(digests).encode()).hexdigest()[:16],
    )


@cache
def playbook() -> Playbook:
    """The shipped content, loaded once per process."""
    return playbook_load()
