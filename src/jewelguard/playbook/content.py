"""The playbook's content: scenarios, controls and industry figures, read from ``content/*.yaml``.

The files are checked once at start-up (``PlaybookConfig.ready``). Any problem stops the site
with ``ImproperlyConfigured`` naming the file, the scenario or control, and the field, so a bad
edit never reaches a jeweler as a half-rendered page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SCENARIOS_FILE = "scenarios.yaml"
CONTROLS_FILE = "controls.yaml"
FIGURES_FILE = "figures.yaml"
LANGUAGES = ("en", "fr")
COST_BANDS = ("low", "medium", "high")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# libyaml's safe loader when the wheel has it: several times faster than the Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SPACES = re.compile(r"[ \t\r\n]+")
# A scenario's staff card must fit on one printed page; these bound what the card holds.
MAX_TITLE = 80
MAX_SUMMARY = 320
MAX_STEPS = 7
MAX_TIPS = 5
MAX_ITEM = 200
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


@dataclass(frozen=True)
class Text:
    """One piece of user-facing text in every language the site speaks."""

    en: str
    fr: str

    def in_language(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class Figure:
    value: Text
    source: Text


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Text
    summary: Text
    timing: Text
    what_to_do: tuple[Text, ...]
    stay_safe: tuple[Text, ...]
    limit_loss: tuple[Text, ...]
    control_ids: tuple[str, ...]
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Control:
    id: str
    name: Text
    description: Text
    effect: Text
    cost_band: str
    standards: tuple[str, ...]
    scenario_ids: tuple[str, ...]
    source: Text


@dataclass(frozen=True)
class Year:
    year: int
    crimes: int
    losses_cents: int
    notes: Text


@dataclass(frozen=True)
class Source:
    name: Text
    note: Text


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


class _Reader:
    """Reads one file's parsed YAML, raising errors that say where the problem is."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, where: str, message: str) -> ImproperlyConfigured:
        prefix = f"{self.filename}: {where}: " if where else f"{self.filename}: "
        return ImproperlyConfigured(prefix + message)

    def mapping(self, value: object, where: str, field: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"field '{field}' must be a mapping")
        return value

    def items(self, data: Mapping[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail("", f"top-level '{key}' must be a non-empty list")
        return value

    def entries(
        self, data: Mapping[str, Any], key: str, noun: str, allowed: set[str]
    ) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """Each item of the top-level list ``key``: its unique id, where it is, its fields."""
        seen: set[str] = set()
        for index, item in enumerate(self.items(data, key)):
            entry = self.mapping(item, f"{noun} #{index + 1}", key)
            item_id = self.identifier(entry, f"{noun} #{index + 1}")
            where = f"{noun} {item_id}"
            if item_id in seen:
                raise self.fail(where, f"duplicate {noun} id")
            seen.add(item_id)
            self.only(entry, where, allowed)
            yield item_id, where, entry

    def only(self, data: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(where, f"unknown field '{unknown[0]}'")

    def identifier(self, data: Mapping[str, Any], where: str) -> str:
        value = data.get("id")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            raise self.fail(where, "field 'id' must be lower_snake_case text")
        return value

    def text(self, data: Mapping[str, Any], where: str, field: str, max_chars: int = 2000) -> Text:
        return self.text_value(data.get(field), where, field, max_chars)

    def text_value(self, value: object, where: str, field: str, max_chars: int = 2000) -> Text:
        if value is None:
            raise self.fail(where, f"field '{field}' is missing")
        if not isinstance(value, Mapping):
            raise self.fail(where, f"field '{field}' must have 'en' and 'fr' text")
        for language in LANGUAGES:
            words = value.get(language)
            if not isinstance(words, str) or not words.strip():
                name = "French" if language == "fr" else "English"
                raise self.fail(where, f"field '{field}' is missing its {name} text ({language})")
        extra = sorted(set(value) - set(LANGUAGES))
        if extra:
            raise self.fail(where, f"field '{field}' has an unknown language '{extra[0]}'")
        text = Text(en=_squash(value["en"]), fr=_squash(value["fr"]))
        for language in LANGUAGES:
            if len(text.in_language(language)) > max_chars:
                raise self.fail(
                    where, f"field '{field}' is longer than {max_chars} characters ({language})"
                )
        return text

    def texts(
        self, data: Mapping[str, Any], where: str, field: str, max_items: int, max_chars: int
    ) -> tuple[Text, ...]:
        value = data.get(field)
        if not isinstance(value, list) or not value:
            raise self.fail(where, f"field '{field}' must be a non-empty list")
        if len(value) > max_items:
            raise self.fail(where, f"field '{field}' has more than {max_items} items")
        return tuple(
            self.text_value(item, where, f"{field}[{i}]", max_chars) for i, item in enumerate(value)
        )

    def ids(self, data: Mapping[str, Any], where: str, field: str) -> tuple[str, ...]:
        value = data.get(field)
        if not isinstance(value, list) or not value:
            raise self.fail(where, f"field '{field}' must be a non-empty list of ids")
        for item in value:
            if not isinstance(item, str):
                raise self.fail(where, f"field '{field}' must hold ids, got {item!r}")
        if len(set(value)) != len(value):
            repeated = next(item for item in value if value.count(item) > 1)
            raise self.fail(where, f"field '{field}' lists '{repeated}' twice")
        return tuple(value)

    def integer(self, data: Mapping[str, Any], where: str, field: str, low: int = 0) -> int:
        value = data.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self.fail(where, f"field '{field}' must be a whole number of at least {low}")
        return value


def _squash(words: str) -> str:
    """Folds line breaks and runs of spaces; keeps no-break spaces (French typography)."""
    return _SPACES.sub(" ", words).strip()


def _parse(directory: Path, filename: str) -> tuple[Mapping[str, Any], bytes]:
    path = directory / filename
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"{filename}: cannot be read ({exc.strerror})") from exc
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise ImproperlyConfigured(f"{filename}: is not valid YAML ({exc})") from exc
    if not isinstance(data, Mapping):
        raise ImproperlyConfigured(f"{filename}: must be a mapping at the top level")
    return data, raw


def _scenarios(data: Mapping[str, Any]) -> tuple[Scenario, ...]:
    reader = _Reader(SCENARIOS_FILE)
    allowed = {
        "id",
        "title",
        "summary",
        "timing",
        "what_to_do",
        "stay_safe",
        "limit_loss",
        "controls",
        "figures",
    }
    scenarios: list[Scenario] = []
    for scenario_id, where, entry in reader.entries(data, "scenarios", "scenario", allowed):
        figures = []
        raw_figures = entry.get("figures", [])
        if not isinstance(raw_figures, list):
            raise reader.fail(where, "field 'figures' must be a list")
        for i, raw_figure in enumerate(raw_figures):
            figure = reader.mapping(raw_figure, where, f"figures[{i}]")
            reader.only(figure, f"{where}: figures[{i}]", {"value", "source"})
            figures.append(
                Figure(
                    value=reader.text_value(figure.get("value"), where, f"figures[{i}].value"),
                    source=reader.text_value(figure.get("source"), where, f"figures[{i}].source"),
                )
            )
        scenarios.append(
            Scenario(
                id=scenario_id,
                title=reader.text(entry, where, "title", MAX_TITLE),
                summary=reader.text(entry, where, "summary", MAX_SUMMARY),
                timing=reader.text(entry, where, "timing"),
                what_to_do=reader.texts(entry, where, "what_to_do", MAX_STEPS, MAX_ITEM),
                stay_safe=reader.texts(entry, where, "stay_safe", MAX_TIPS, MAX_ITEM),
                limit_loss=reader.texts(entry, where, "limit_loss", MAX_TIPS, MAX_ITEM),
                control_ids=reader.ids(entry, where, "controls"),
                figures=tuple(figures),
            )
        )
    found = tuple(s.id for s in scenarios)
    if found != SCENARIO_IDS:
        missing = [i for i in SCENARIO_IDS if i not in found]
        if missing:
            raise reader.fail(f"scenario {missing[0]}", "is missing")
        unknown = [i for i in found if i not in SCENARIO_IDS]
        if unknown:
            raise reader.fail(f"scenario {unknown[0]}", "unknown scenario id")
        raise reader.fail("", "scenarios must be in the order " + ", ".join(SCENARIO_IDS))
    return tuple(scenarios)


def _controls(data: Mapping[str, Any]) -> tuple[Control, ...]:
    reader = _Reader(CONTROLS_FILE)
    allowed = {
        "id",
        "name",
        "description",
        "effect",
        "cost_band",
        "standards",
        "scenarios",
        "source",
    }
    controls: list[Control] = []
    for control_id, where, entry in reader.entries(data, "controls", "control", allowed):
        cost_band = entry.get("cost_band")
        if cost_band not in COST_BANDS:
            raise reader.fail(where, "field 'cost_band' must be one of " + ", ".join(COST_BANDS))
        standards = entry.get("standards", [])
        if not isinstance(standards, list) or not all(isinstance(s, str) for s in standards):
            raise reader.fail(where, "field 'standards' must be a list of names")
        scenario_ids = reader.ids(entry, where, "scenarios")
        for scenario_id in scenario_ids:
            if scenario_id not in SCENARIO_IDS:
                raise reader.fail(where, f"unknown scenario id '{scenario_id}'")
        controls.append(
            Control(
                id=control_id,
                name=reader.text(entry, where, "name"),
                description=reader.text(entry, where, "description"),
                effect=reader.text(entry, where, "effect"),
                cost_band=cost_band,
                standards=tuple(standards),
                scenario_ids=scenario_ids,
                source=reader.text(entry, where, "source"),
            )
        )
    return tuple(controls)


def _figures(data: Mapping[str, Any]) -> tuple[tuple[Year, ...], tuple[Source, ...]]:
    reader = _Reader(FIGURES_FILE)
    years: list[Year] = []
    for index, item in enumerate(reader.items(data, "years")):
        entry = reader.mapping(item, f"year #{index + 1}", "years")
        year = reader.integer(entry, f"year #{index + 1}", "year", low=1900)
        where = f"year {year}"
        if any(y.year == year for y in years):
            raise reader.fail(where, "duplicate year")
        reader.only(entry, where, {"year", "crimes", "losses_cents", "notes"})
        years.append(
            Year(
                year=year,
                crimes=reader.integer(entry, where, "crimes"),
                losses_cents=reader.integer(entry, where, "losses_cents"),
                notes=reader.text(entry, where, "notes"),
            )
        )
    sources: list[Source] = []
    for index, item in enumerate(reader.items(data, "sources")):
        where = f"source #{index + 1}"
        entry = reader.mapping(item, where, "sources")
        reader.only(entry, where, {"name", "note"})
        sources.append(
            Source(name=reader.text(entry, where, "name"), note=reader.text(entry, where, "note"))
        )
    return tuple(sorted(years, key=lambda y: y.year)), tuple(sources)


def _check_links(scenarios: tuple[Scenario, ...], controls: tuple[Control, ...]) -> None:
    """Scenarios name the controls that help; controls name what they mitigate. Both must agree."""
    by_id = {c.id: c for c in controls}
    for scenario in scenarios:
        for control_id in scenario.control_ids:
            control = by_id.get(control_id)
            if control is None:
                raise ImproperlyConfigured(
                    f"{SCENARIOS_FILE}: scenario {scenario.id}: unknown control id '{control_id}'"
                )
            if scenario.id not in control.scenario_ids:
                raise ImproperlyConfigured(
                    f"{CONTROLS_FILE}: control {control_id}: field 'scenarios' does not list "
                    f"'{scenario.id}', whose controls include it"
                )
    for control in controls:
        for scenario_id in control.scenario_ids:
            scenario = next(s for s in scenarios if s.id == scenario_id)
            if control.id not in scenario.control_ids:
                raise ImproperlyConfigured(
                    f"{CONTROLS_FILE}: control {control.id}: mitigates scenario '{scenario_id}', "
                    f"but {SCENARIOS_FILE} scenario {scenario_id} field 'controls' does not "
                    "list it"
                )


def playbook_load(directory: Path = CONTENT_DIR) -> Playbook:
    """Read and check every content file in ``directory``; raise ImproperlyConfigured if wrong."""
    scenario_data, scenario_raw = _parse(directory, SCENARIOS_FILE)
    control_data, control_raw = _parse(directory, CONTROLS_FILE)
    figure_data, figure_raw = _parse(directory, FIGURES_FILE)
    scenarios = _scenarios(scenario_data)
    controls = _controls(control_data)
    _check_links(scenarios, controls)
    years, sources = _figures(figure_data)
    digest = hashlib.sha256(scenario_raw + b"\0" + control_raw + b"\0" + figure_raw)
    return Playbook(
        scenarios=scenarios,
        controls=controls,
        years=years,
        sources=sources,
        version=digest.hexdigest()[:16],
    )


@cache
def playbook() -> Playbook:
    """The shipped content, loaded once per process."""
    return playbook_load()
