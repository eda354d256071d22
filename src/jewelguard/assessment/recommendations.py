"""The prioritised list of what to add: every control that is missing or weak, with its effect.

For each such control the model is run again with that control alone in place; the points of
risk it would take off each scenario are its expected reduction. The list is ordered by
reduction per unit of cost (FEMA 452 chooses mitigations by benefit against cost): a control's
total reduction divided by its cost band's weight (low 1, medium 2, high 3); ties keep the
catalogue's order. Pure functions, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from django.utils import translation
from django.utils.translation import get_language, gettext, pgettext

from jewelguard.assessment.content import ControlStatus, Questionnaire
from jewelguard.assessment.scoring import Profile, StoreFacts, catalogue_names, scenario_numbers
from jewelguard.core.content import content_language
from jewelguard.intel.levels import LocalCrimeLevel
from jewelguard.playbook import selectors as playbook_selectors

COST_WEIGHT = {"low": 1.0, "medium": 2.0, "high": 3.0}


@dataclass(frozen=True)
class ScenarioReduction:
    scenario_id: str
    title: str
    risk_now: float
    risk_after: float
    # Points of risk (0 to 100) taken off this scenario.
    points: float


@dataclass(frozen=True)
class Recommendation:
    priority: int
    control_id: str
    name: str
    # What the control is, from the playbook's catalogue.
    description: str
    status: ControlStatus
    status_label: str
    # The scenarios it reduces, most reduced first.
    scenarios: tuple[ScenarioReduction, ...]
    # Total points of risk taken off, and as a share of those scenarios' risk now.
    reduction: float
    reduction_percent: int
    cost_band: str
    cost_label: str
    # The standard to ask a supplier for ("a TRTL-30x6 safe (UL 687)...").
    ask_for: str
    standards: tuple[str, ...]


def _status_label(status: ControlStatus) -> str:
    if status == "weak":
        return gettext("only partly in place")
    return gettext("missing")


def _cost_label(band: str) -> str:
    labels = {
        "low": pgettext("cost band", "low cost"),
        "medium": pgettext("cost band", "medium cost"),
        "high": pgettext("cost band", "high cost"),
    }
    return labels.get(band, band)


def recommendations_compute(
    *,
    questionnaire: Questionnaire,
    profile: Profile,
    crime_level: LocalCrimeLevel,
    facts: StoreFacts,
) -> list[Recommendation]:
    """Every missing or weak control, best value first, with what it would take off."""
    language = content_language(get_language())
    titles, _names = catalogue_names()
    catalogue = {c.id: c for c in _control_views(language)}
    anchors = {a.id: a for a in questionnaire.file.scenarios}
    now: dict[str, float] = {}
    found: list[tuple[float, int, Recommendation]] = []
    for index, weight in enumerate(questionnaire.file.controls):
        status = profile.statuses.get(weight.id)
        if status not in ("missing", "weak"):
            continue
        with_control = {**profile.statuses, weight.id: "present"}
        reductions: list[ScenarioReduction] = []
        for scenario_id in weight.reduces:
            anchor = anchors[scenario_id]
            if scenario_id not in now:
                now[scenario_id] = scenario_numbers(
                    questionnaire=questionnaire,
                    anchor=anchor,
                    profile=profile,
                    crime_level=crime_level,
                    facts=facts,
                ).risk
            after = scenario_numbers(
                questionnaire=questionnaire,
                anchor=anchor,
                profile=profile,
                crime_level=crime_level,
                facts=facts,
                statuses=with_control,  # type: ignore[arg-type]
            ).risk
            reductions.append(
                ScenarioReduction(
                    scenario_id=scenario_id,
                    title=titles.get(scenario_id, scenario_id),
                    risk_now=now[scenario_id],
                    risk_after=after,
                    points=round(now[scenario_id] - after, 1),
                )
            )
        reductions.sort(key=lambda r: -r.points)
        total = round(sum(r.points for r in reductions), 1)
        base = sum(r.risk_now for r in reductions)
        control = catalogue[weight.id]
        recommendation = Recommendation(
            priority=0,
            control_id=weight.id,
            name=control.name,
            description=control.description,
            status=status,
            status_label=_status_label(status),
            scenarios=tuple(reductions),
            reduction=total,
            reduction_percent=round(100 * total / base) if base > 0 else 0,
            cost_band=control.cost_band,
            cost_label=_cost_label(control.cost_band),
            ask_for=weight.ask_for.in_language(language),
            standards=tuple(control.standards),
        )
        found.append((total / COST_WEIGHT.get(control.cost_band, 3.0), index, recommendation))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [
        _with_priority(recommendation, rank) for rank, (_, _, recommendation) in enumerate(found, 1)
    ]


def _with_priority(recommendation: Recommendation, rank: int) -> Recommendation:
    return replace(recommendation, priority=rank)


@cache
def _control_views(language: str) -> list[playbook_selectors.ControlView]:
    """The catalogue in ``language``, built once per process (content is fixed while it runs)."""
    with translation.override(language):
        return playbook_selectors.control_list()
