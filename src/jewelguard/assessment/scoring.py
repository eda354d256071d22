"""Per-scenario risk that explains itself: pure functions on plain values, no database.

The model (written up for analysts in docs/assessment-model.md), per scenario ``s``:

- likelihood ``L = anchor_L(s) x exposure factors x hours factor x crime factor``, 0.5 to 10;
- vulnerability ``V = product over the controls against s of (1 - weight x credit)``, where
  credit is 1 for a control in place (or an alternative), 0.5 for a weak one, 0 otherwise;
- impact ``I = anchor_I(s) x impact factors``, 1 to 10;
- risk ``R = L x V x I``, 0 to 100, named low / moderate / high / very high by the version's
  thresholds.

Everything the numbers depend on is in the questionnaire version, the answers, the store's
opening hours and the local crime level, so the same inputs always give the same scores and a
new version never changes the scores of an assessment taken with an older one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext, pgettext

from jewelguard.assessment.content import (
    ControlStatus,
    Effect,
    Question,
    Questionnaire,
    ScenarioAnchor,
)
from jewelguard.core.content import Text, content_language
from jewelguard.intel.levels import LocalCrimeLevel
from jewelguard.playbook import selectors as playbook_selectors

AnswerValue = str | int | float
Level = Literal["low", "moderate", "high", "very_high"]
CREDIT: dict[ControlStatus, float] = {"present": 1.0, "weak": 0.5, "missing": 0.0}
# Worst first: when several answers speak of one control, the worst status counts.
_STATUS_ORDER: dict[ControlStatus, int] = {"missing": 0, "weak": 1, "present": 2}
MIN_LIKELIHOOD = 0.5
MAX_LIKELIHOOD = 10.0
MIN_IMPACT = 1.0
MAX_IMPACT = 10.0
# How many reasons one sentence gives.
MAX_REASONS = 3


@dataclass(frozen=True)
class StoreFacts:
    """What the store's record (not the questionnaire) tells the model."""

    # Hours open in a usual week, from the store's business hours; None when not known.
    weekly_open_hours: float | None = None


@dataclass(frozen=True)
class AnswerFactor:
    """One answer's factor on one scenario's likelihood (exposure) or impact."""

    question_id: str
    scenario_id: str
    kind: Literal["exposure", "impact"]
    value: float
    reason: Text
    number: float | None = None


@dataclass(frozen=True)
class Profile:
    """The answers, resolved: each control's status and every factor they carry."""

    statuses: Mapping[str, ControlStatus]
    factors: tuple[AnswerFactor, ...]
    # question id -> the answer that counted (questions that do not apply are left out)
    answers: Mapping[str, AnswerValue]
    # scenario id -> product of the answers' factors on its likelihood, and on its impact
    exposure: Mapping[str, float] = field(default_factory=dict)
    impact: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Numbers:
    likelihood: float
    vulnerability: float
    impact: float
    risk: float


@dataclass(frozen=True)
class ScenarioScore:
    scenario_id: str
    title: str
    likelihood: float
    vulnerability: float
    impact: float
    # 0 to 100, rounded to one decimal.
    risk: float
    level: Level
    level_label: str
    # One sentence for the risk, and one for each of its three parts.
    why: str
    why_likelihood: str
    why_vulnerability: str
    why_impact: str
    # False when the local crime level for this scenario is unknown (the sentences say so).
    crime_level_known: bool
    controls_in_place: tuple[str, ...] = field(default=())
    controls_missing: tuple[str, ...] = field(default=())


def question_applies(
    *, questionnaire: Questionnaire, question: Question, answers: Mapping[str, AnswerValue]
) -> bool:
    """Whether ``question`` is asked, given the answers (its condition's source must apply too)."""
    condition = question.applies_if
    seen = 0
    while condition is not None:
        source = questionnaire.question(condition.question)
        given = answers.get(condition.question)
        if source is None or given is None:
            return False
        if condition.at_least is not None:
            if isinstance(given, str) or given < condition.at_least:
                return False
        elif given not in condition.equals:
            return False
        condition = source.applies_if
        seen += 1
        if seen > len(questionnaire.file.questions):  # a cycle cannot pass the loader; be safe
            return False
    return True


def profile_build(*, questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> Profile:
    """Resolve checked answers under ``questionnaire``; answers that do not apply are ignored."""
    statuses: dict[str, ControlStatus] = {}
    factors: list[AnswerFactor] = []
    counted: dict[str, AnswerValue] = {}
    for question in questionnaire.file.questions:
        value = answers.get(question.id)
        if value is None or not question_applies(
            questionnaire=questionnaire, question=question, answers=answers
        ):
            continue
        counted[question.id] = value
        effect = questionnaire.effect(question, value)
        _merge(question, value, effect, statuses, factors)
    exposure: dict[str, float] = {}
    impact: dict[str, float] = {}
    for factor in factors:
        table = exposure if factor.kind == "exposure" else impact
        table[factor.scenario_id] = table.get(factor.scenario_id, 1.0) * factor.value
    return Profile(
        statuses=statuses,
        factors=tuple(factors),
        answers=counted,
        exposure=exposure,
        impact=impact,
    )


def _merge(
    question: Question,
    value: AnswerValue,
    effect: Effect,
    statuses: dict[str, ControlStatus],
    factors: list[AnswerFactor],
) -> None:
    for control_id, status in effect.controls.items():
        known = statuses.get(control_id)
        if known is None or _STATUS_ORDER[status] < _STATUS_ORDER[known]:
            statuses[control_id] = status
    if effect.reason is None:
        return
    number = float(value) if question.kind == "number" else None
    for kind, table in (("exposure", effect.exposure), ("impact", effect.impact)):
        for scenario_id, factor in table.items():
            factors.append(
                AnswerFactor(
                    question_id=question.id,
                    scenario_id=scenario_id,
                    kind=kind,  # type: ignore[arg-type]
                    value=factor,
                    reason=effect.reason,
                    number=number,
                )
            )


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def hours_factor(*, questionnaire: Questionnaire, facts: StoreFacts) -> float:
    hours = facts.weekly_open_hours
    if hours is None or not math.isfinite(hours) or hours <= 0:
        return 1.0
    config = questionnaire.file.open_hours
    return _clamp(hours / config.reference, config.lowest, config.highest)


def crime_factor(*, questionnaire: Questionnaire, ratio: float | None) -> float:
    """The local crime ratio, damped (square root) and bounded; 1 when unknown."""
    if ratio is None:
        return 1.0
    file = questionnaire.file
    return _clamp(math.sqrt(ratio), file.crime_factor_lowest, file.crime_factor_highest)


def scenario_numbers(
    *,
    questionnaire: Questionnaire,
    anchor: ScenarioAnchor,
    profile: Profile,
    crime_level: LocalCrimeLevel,
    facts: StoreFacts,
    statuses: Mapping[str, ControlStatus] | None = None,
) -> Numbers:
    """The four numbers of one scenario; ``statuses`` overrides the profile's (for what-ifs)."""
    exposure = profile.exposure.get(anchor.id, 1.0)
    impact = profile.impact.get(anchor.id, 1.0)
    if anchor.business_hours:
        exposure *= hours_factor(questionnaire=questionnaire, facts=facts)
    exposure *= crime_factor(questionnaire=questionnaire, ratio=crime_level.ratio(anchor.id))
    likelihood = _clamp(anchor.likelihood * exposure, MIN_LIKELIHOOD, MAX_LIKELIHOOD)
    vulnerability = 1.0
    current = profile.statuses if statuses is None else statuses
    for control_id, cut in questionnaire.controls_against(anchor.id):
        status = current.get(control_id)
        if status is not None:
            vulnerability *= 1.0 - cut * CREDIT[status]
    impact_value = _clamp(anchor.impact * impact, MIN_IMPACT, MAX_IMPACT)
    risk = likelihood * vulnerability * impact_value
    return Numbers(
        likelihood=round(likelihood, 2),
        vulnerability=round(vulnerability, 3),
        impact=round(impact_value, 2),
        risk=round(risk, 1),
    )


def risk_level(*, questionnaire: Questionnaire, risk: float) -> Level:
    levels = questionnaire.file.levels
    if risk >= levels.very_high:
        return "very_high"
    if risk >= levels.high:
        return "high"
    if risk >= levels.moderate:
        return "moderate"
    return "low"


def level_label(level: Level) -> str:
    return _phrases(content_language(get_language())).levels[level]


@dataclass(frozen=True)
class _Phrases:
    """Every fixed phrase of the sentences in one language, translated once per process."""

    levels: dict[str, str]
    decimal: str
    both: str
    national: str
    regional: str
    hours: str
    missing: str
    weak: str
    present: str
    because: str
    even_though: str
    typical: str
    likelihood: str
    impact: str
    vulnerability: str
    no_control: str
    typical_part: str
    part: str
    unknown: str


@cache
def _phrases(language: str) -> _Phrases:
    with translation.override(language):
        return _Phrases(
            levels={
                "low": pgettext("risk level", "low"),
                "moderate": pgettext("risk level", "moderate"),
                "high": pgettext("risk level", "high"),
                "very_high": pgettext("risk level", "very high"),
            },
            decimal=str(get_format("DECIMAL_SEPARATOR")),
            both=gettext("%(first)s and %(last)s"),
            national=gettext("these crimes around the store are %(ratio)s times the national rate"),
            regional=gettext("these crimes around the store are %(ratio)s times the regional rate"),
            hours=gettext("the store is open %(hours)s hours a week"),
            missing=gettext("“%(control)s” is missing"),
            weak=gettext("“%(control)s” is only partly in place"),
            present=gettext("“%(control)s” is in place"),
            because=gettext("%(scenario)s is %(level)s because %(reasons)s."),
            even_though=gettext("%(scenario)s is %(level)s even though %(reasons)s."),
            typical=gettext(
                "%(scenario)s is %(level)s, as for a typical store: no answer so far changes it."
            ),
            likelihood=gettext("Likelihood %(value)s out of 10"),
            impact=gettext("Impact %(value)s out of 10"),
            vulnerability=gettext("Vulnerability %(value)s out of 1"),
            no_control=gettext("%(head)s: no control against it is known to be in place yet."),
            typical_part=gettext("%(head)s: the level of a typical store."),
            part=gettext("%(head)s: %(reasons)s."),
            unknown=gettext(
                "The local crime level is not known yet, so the model assumes the regional rate."
            ),
        )


@cache
def _catalogue(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """Scenario titles and control names in ``language`` (content is fixed for a process)."""
    with translation.override(language):
        titles = {s.id: s.title for s in playbook_selectors.scenario_list()}
        names = {c.id: c.name for c in playbook_selectors.control_list()}
    return titles, names


def catalogue_names() -> tuple[dict[str, str], dict[str, str]]:
    """Scenario titles and control names in the active language."""
    return _catalogue(content_language(get_language()))


def _number(value: float, phrases: _Phrases, decimals: int = 1) -> str:
    """A figure as the language writes it (2.3 in English, 2,3 in French)."""
    if float(value).is_integer() and decimals == 1:
        return str(int(value))
    return f"{value:.{decimals}f}".replace(".", phrases.decimal)


def _reason_text(factor: AnswerFactor, language: str, phrases: _Phrases) -> str:
    words = factor.reason.in_language(language)
    if factor.number is not None:
        words = words.replace("{value}", _number(factor.number, phrases))
    return words


def _join(reasons: list[str], phrases: _Phrases) -> str:
    if len(reasons) == 1:
        return reasons[0]
    return phrases.both % {"first": ", ".join(reasons[:-1]), "last": reasons[-1]}


@dataclass(frozen=True)
class _Reason:
    words: str
    # ln of how much it moves the risk: above 0 raises, below 0 lowers.
    weight: float
    part: Literal["likelihood", "vulnerability", "impact"]


def _part(kind: str) -> Literal["likelihood", "impact"]:
    return "likelihood" if kind == "exposure" else "impact"


def _reasons(
    *,
    questionnaire: Questionnaire,
    anchor: ScenarioAnchor,
    profile: Profile,
    crime_level: LocalCrimeLevel,
    facts: StoreFacts,
    names: Mapping[str, str],
    language: str,
    phrases: _Phrases,
) -> list[_Reason]:
    found: dict[tuple[str, str], _Reason] = {}
    for factor in profile.factors:
        if factor.scenario_id != anchor.id or factor.value == 1.0:
            continue
        words = _reason_text(factor, language, phrases)
        key = (factor.kind, words)
        strength = math.log(factor.value)
        if key in found:  # one answer, one reason, however many factors it carries
            strength += found[key].weight
        found[key] = _Reason(words=words, weight=strength, part=_part(factor.kind))
    if anchor.business_hours and facts.weekly_open_hours:
        factor_value = hours_factor(questionnaire=questionnaire, facts=facts)
        if factor_value != 1.0:
            hours = _number(round(facts.weekly_open_hours), phrases)
            words = phrases.hours % {"hours": hours}
            found[("hours", words)] = _Reason(words, math.log(factor_value), "likelihood")
    ratio = crime_level.ratio(anchor.id)
    if ratio is not None:
        factor_value = crime_factor(questionnaire=questionnaire, ratio=ratio)
        if factor_value != 1.0:
            template = phrases.national if crime_level.baseline == "national" else phrases.regional
            words = template % {"ratio": _number(round(ratio, 1), phrases)}
            found[("crime", words)] = _Reason(words, math.log(factor_value), "likelihood")
    for control in questionnaire.file.controls:
        cut = control.reduces.get(anchor.id)
        status = profile.statuses.get(control.id)
        if cut is None or status is None:
            continue
        values = {"control": names.get(control.id, control.id)}
        if status == "missing":
            words, amount = phrases.missing % values, -math.log(1.0 - cut)
        elif status == "weak":
            words = phrases.weak % values
            amount = math.log((1.0 - cut / 2) / (1.0 - cut))
        else:
            words, amount = phrases.present % values, math.log(1.0 - cut)
        found[("control", words)] = _Reason(words, amount, "vulnerability")
    # Strongest first; ties in file order (sorted is stable), so sentences never change by chance.
    return sorted(found.values(), key=lambda r: -abs(r.weight))


def _pick(reasons: list[_Reason], raising: bool) -> list[str]:
    """The strongest reasons one way; one answer moving two parts counts once, both summed."""
    summed: dict[str, float] = {}
    for reason in reasons:
        summed[reason.words] = summed.get(reason.words, 0.0) + reason.weight
    chosen = [words for words, weight in summed.items() if weight != 0 and (weight > 0) == raising]
    chosen.sort(key=lambda words: -abs(summed[words]))
    return chosen[:MAX_REASONS]


def _why(title: str, level: Level, reasons: list[_Reason], phrases: _Phrases) -> str:
    values = {"scenario": title, "level": phrases.levels[level]}
    # A low risk is explained by what lowers it; any other level by what raises it.
    raising = level != "low"
    chosen = _pick(reasons, raising)
    if chosen:
        return phrases.because % {**values, "reasons": _join(chosen, phrases)}
    chosen = _pick(reasons, not raising)
    if chosen:
        return phrases.even_though % {**values, "reasons": _join(chosen, phrases)}
    return phrases.typical % values


def _why_part(
    part: Literal["likelihood", "vulnerability", "impact"],
    value: float,
    reasons: list[_Reason],
    phrases: _Phrases,
) -> str:
    chosen = [r.words for r in reasons if r.part == part][:MAX_REASONS]
    if part == "vulnerability":
        head = phrases.vulnerability % {"value": _number(value, phrases, decimals=2)}
    else:
        template = phrases.likelihood if part == "likelihood" else phrases.impact
        head = template % {"value": _number(round(value, 1), phrases)}
    if not chosen:
        empty = phrases.no_control if part == "vulnerability" else phrases.typical_part
        return empty % {"head": head}
    return phrases.part % {"head": head, "reasons": _join(chosen, phrases)}


def scores_compute(
    *,
    questionnaire: Questionnaire,
    profile: Profile,
    crime_level: LocalCrimeLevel,
    facts: StoreFacts,
) -> list[ScenarioScore]:
    """Every scenario's score with its sentences, highest risk first (ties in scenario order)."""
    language = content_language(get_language())
    titles, names = _catalogue(language)
    phrases = _phrases(language)
    scores: list[ScenarioScore] = []
    for anchor in questionnaire.file.scenarios:
        numbers = scenario_numbers(
            questionnaire=questionnaire,
            anchor=anchor,
            profile=profile,
            crime_level=crime_level,
            facts=facts,
        )
        level = risk_level(questionnaire=questionnaire, risk=numbers.risk)
        reasons = _reasons(
            questionnaire=questionnaire,
            anchor=anchor,
            profile=profile,
            crime_level=crime_level,
            facts=facts,
            names=names,
            language=language,
            phrases=phrases,
        )
        title = titles.get(anchor.id, anchor.id)
        known = crime_level.ratio(anchor.id) is not None
        unknown = "" if known else f" {phrases.unknown}"
        relevant = [control_id for control_id, _cut in questionnaire.controls_against(anchor.id)]
        scores.append(
            ScenarioScore(
                scenario_id=anchor.id,
                title=title,
                likelihood=numbers.likelihood,
                vulnerability=numbers.vulnerability,
                impact=numbers.impact,
                risk=numbers.risk,
                level=level,
                level_label=phrases.levels[level],
                why=_why(title, level, reasons, phrases) + unknown,
                why_likelihood=_why_part("likelihood", numbers.likelihood, reasons, phrases)
                + unknown,
                why_vulnerability=_why_part(
                    "vulnerability", numbers.vulnerability, reasons, phrases
                ),
                why_impact=_why_part("impact", numbers.impact, reasons, phrases),
                crime_level_known=known,
                controls_in_place=tuple(
                    c for c in relevant if profile.statuses.get(c) == "present"
                ),
                controls_missing=tuple(
                    c for c in relevant if profile.statuses.get(c) in ("missing", "weak")
                ),
            )
        )
    order = {a.id: i for i, a in enumerate(questionnaire.file.scenarios)}
    return sorted(scores, key=lambda s: (-s.risk, order[s.scenario_id]))
