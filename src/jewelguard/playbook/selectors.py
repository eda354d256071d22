"""Reads of the playbook, in the active language. Other rooms call these; keep them stable.

Every string a view holds is already in the language of the current request or
``translation.override`` block: French for ``fr-ca`` (any ``fr``), English otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jewelguard.core import content as core_content
from jewelguard.playbook.content import Control, Playbook, Scenario, playbook
from jewelguard.playbook.numbers import count_label, millions_label


@dataclass(frozen=True)
class FigureView:
    value: str
    source: str


@dataclass(frozen=True)
class ControlView:
    id: str
    name: str
    description: str
    effect: str
    # "low", "medium" or "high": our estimate of what the control costs a single store.
    cost_band: str
    standards: list[str]
    scenario_ids: list[str]
    source: str


@dataclass(frozen=True)
class ScenarioView:
    id: str
    title: str
    summary: str
    timing: str
    what_to_do: list[str]
    stay_safe: list[str]
    limit_loss: list[str]
    controls: list[ControlView]
    figures: list[FigureView]


@dataclass(frozen=True)
class YearFigures:
    year: int
    crimes: int
    losses_cents: int
    notes: str


@dataclass(frozen=True)
class IndustrySummary:
    """The figures the statistics page states: first and last year, the record, the rise."""

    first: YearFigures
    last: YearFigures
    # The year with most crimes, and the one with the largest losses.
    peak: YearFigures
    costliest: YearFigures
    # From the first year to the record year, in whole percent.
    rise_percent: int


@dataclass(frozen=True)
class SourceView:
    name: str
    note: str


def content_language() -> str:
    """The content language for the active Django language: "fr-ca" or "en"."""
    return core_content.content_language(get_language())


def content_version() -> str:
    """Changes whenever the content files change; for cache keys."""
    return playbook().version


def _control_view(control: Control, language: str) -> ControlView:
    return ControlView(
        id=control.id,
        name=control.name.in_language(language),
        description=control.description.in_language(language),
        effect=control.effect.in_language(language),
        cost_band=control.cost_band,
        standards=list(control.standards),
        scenario_ids=list(control.scenario_ids),
        source=control.source.in_language(language),
    )


def _scenario_view(book: Playbook, scenario: Scenario, language: str) -> ScenarioView:
    return ScenarioView(
        id=scenario.id,
        title=scenario.title.in_language(language),
        summary=scenario.summary.in_language(language),
        timing=scenario.timing.in_language(language),
        what_to_do=[step.in_language(language) for step in scenario.what_to_do],
        stay_safe=[tip.in_language(language) for tip in scenario.stay_safe],
        limit_loss=[tip.in_language(language) for tip in scenario.limit_loss],
        controls=[_control_view(book.control(c), language) for c in scenario.control_ids],
        figures=[
            FigureView(value=f.value.in_language(language), source=f.source.in_language(language))
            for f in scenario.figures
        ],
    )


def scenario_list() -> list[ScenarioView]:
    """The ten threat scenarios, in the order of the security guidance."""
    book, language = playbook(), content_language()
    return [_scenario_view(book, scenario, language) for scenario in book.scenarios]


def scenario_get(*, scenario_id: str) -> ScenarioView:
    """One scenario; raises KeyError for an unknown id."""
    book = playbook()
    return _scenario_view(book, book.scenario(scenario_id), content_language())


def control_list() -> list[ControlView]:
    """The controls catalogue, in its file order."""
    language = content_language()
    return [_control_view(control, language) for control in playbook().controls]


def industry_figures() -> list[YearFigures]:
    """Crimes against U.S. jewelers and their losses, per year, oldest first."""
    language = content_language()
    return [
        YearFigures(
            year=y.year,
            crimes=y.crimes,
            losses_cents=y.losses_cents,
            notes=y.notes.in_language(language),
        )
        for y in playbook().years
    ]


def industry_summary(*, years: list[YearFigures]) -> IndustrySummary:
    """What ``years`` (from ``industry_figures``, oldest first) add up to."""
    first, last = years[0], years[-1]
    peak = max(years, key=lambda y: y.crimes)
    return IndustrySummary(
        first=first,
        last=last,
        peak=peak,
        costliest=max(years, key=lambda y: y.losses_cents),
        rise_percent=round(100 * (peak.crimes - first.crimes) / first.crimes),
    )


def industry_sources() -> list[SourceView]:
    """Where the industry figures come from."""
    language = content_language()
    return [
        SourceView(name=s.name.in_language(language), note=s.note.in_language(language))
        for s in playbook().sources
    ]


def industry_lead() -> str:
    """What the statistics page shows, in one sentence, for the front page: only what the
    figures say."""
    years = industry_figures()
    if not years:
        return ""
    first, last = years[0], years[-1]
    peak = max(years, key=lambda y: y.crimes)
    low = min(years, key=lambda y: y.losses_cents)
    high = max(years, key=lambda y: y.losses_cents)
    return _(
        "Crimes against U.S. jewelers numbered %(first)s in %(first_year)s, peaked at "
        "%(peak)s in %(peak_year)s and were %(last)s in %(last_year)s; their losses ranged "
        "from %(low)s (%(low_year)s) to %(high)s (%(high_year)s) a year (Jewelers' Security "
        "Alliance)."
    ) % {
        "first": count_label(first.crimes),
        "first_year": first.year,
        "peak": count_label(peak.crimes),
        "peak_year": peak.year,
        "last": count_label(last.crimes),
        "last_year": last.year,
        "low": millions_label(low.losses_cents),
        "low_year": low.year,
        "high": millions_label(high.losses_cents),
        "high_year": high.year,
    }
