"""Properties of the model that must hold for every store, checked on generated answers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jewelguard.assessment.content import ControlStatus, Question, questionnaire
from jewelguard.assessment.scoring import (
    AnswerValue,
    Profile,
    StoreFacts,
    profile_build,
    scenario_numbers,
)
from jewelguard.intel.levels import LocalCrimeLevel
from tests.assessment.conftest import score

pytestmark = pytest.mark.database_free

BOOK = questionnaire()
SCENARIOS = [a.id for a in BOOK.file.scenarios]
CONTROLS = [c.id for c in BOOK.file.controls]
STATUSES: list[ControlStatus] = ["missing", "weak", "present"]
# yes/no questions whose "yes" shows a control: answering yes in place of no adds it.
CONTROL_QUESTIONS = [q.id for q in BOOK.file.questions if q.kind == "yes_no" and q.control]
RATIOS = st.floats(min_value=0, max_value=50, allow_nan=False, allow_infinity=False)
HOURS = st.one_of(st.none(), st.floats(min_value=0, max_value=168, allow_nan=False))


def _value(question: Question) -> st.SearchStrategy[Any]:
    if question.kind == "number":
        assert question.minimum is not None and question.maximum is not None
        return st.integers(int(question.minimum), int(question.maximum))
    return st.sampled_from(question.values())


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {}
    for question in BOOK.file.questions:
        if draw(st.booleans()):
            answers[question.id] = draw(_value(question))
    return answers


@st.composite
def crime_levels(draw: st.DrawFn) -> LocalCrimeLevel:
    if draw(st.booleans()):
        return LocalCrimeLevel.unknown()
    ratios = draw(st.dictionaries(st.sampled_from(SCENARIOS), RATIOS))
    return LocalCrimeLevel.from_ratios(ratios)


def risks(
    profile: Profile,
    level: LocalCrimeLevel,
    hours: float | None,
    statuses: dict[str, ControlStatus] | None = None,
) -> dict[str, float]:
    return {
        anchor.id: scenario_numbers(
            questionnaire=BOOK,
            anchor=anchor,
            profile=profile,
            crime_level=level,
            facts=StoreFacts(weekly_open_hours=hours),
            statuses=statuses,
        ).risk
        for anchor in BOOK.file.scenarios
    }


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets(), question_id=st.sampled_from(CONTROL_QUESTIONS), level=crime_levels())
def test_answering_yes_to_a_control_never_raises_any_risk(answers, question_id, level):
    without = profile_build(questionnaire=BOOK, answers=answers | {question_id: "no"})
    with_it = profile_build(questionnaire=BOOK, answers=answers | {question_id: "yes"})
    before, after = risks(without, level, 56), risks(with_it, level, 56)
    for scenario_id in SCENARIOS:
        assert after[scenario_id] <= before[scenario_id], scenario_id


@settings(max_examples=150, deadline=None)
@given(
    answers=answer_sets(),
    control_id=st.sampled_from(CONTROLS),
    better=st.sampled_from(STATUSES),
    level=crime_levels(),
    hours=HOURS,
)
def test_adding_or_improving_a_control_never_raises_any_risk(
    answers, control_id, better, level, hours
):
    profile = profile_build(questionnaire=BOOK, answers=answers)
    current = profile.statuses.get(control_id)
    if current is not None and STATUSES.index(better) < STATUSES.index(current):
        better = current
    improved = {**profile.statuses, control_id: better}
    before, after = risks(profile, level, hours), risks(profile, level, hours, improved)
    for scenario_id in SCENARIOS:
        assert after[scenario_id] <= before[scenario_id], scenario_id


@settings(max_examples=150, deadline=None)
@given(
    answers=answer_sets(),
    scenario_id=st.sampled_from(SCENARIOS),
    low=RATIOS,
    high=RATIOS,
    hours=HOURS,
)
def test_a_higher_local_crime_level_never_lowers_likelihood(answers, scenario_id, low, high, hours):
    low, high = min(low, high), max(low, high)
    profile = profile_build(questionnaire=BOOK, answers=answers)
    anchor = next(a for a in BOOK.file.scenarios if a.id == scenario_id)

    def likelihood(level: LocalCrimeLevel) -> float:
        return scenario_numbers(
            questionnaire=BOOK,
            anchor=anchor,
            profile=profile,
            crime_level=level,
            facts=StoreFacts(weekly_open_hours=hours),
        ).likelihood

    quieter = likelihood(LocalCrimeLevel.from_ratios({scenario_id: low}))
    busier = likelihood(LocalCrimeLevel.from_ratios({scenario_id: high}))
    assert busier >= quieter
    # and a place at or above the regional rate is never scored below "unknown"
    if low >= 1:
        assert quieter >= likelihood(LocalCrimeLevel.unknown())


@settings(max_examples=60, deadline=None)
@given(answers=answer_sets(), level=crime_levels(), hours=HOURS, seed=st.randoms())
def test_the_same_answers_and_data_always_give_the_same_scores(answers, level, hours, seed):
    first = score(answers, crime_level=level, hours=hours)
    shuffled = list(answers.items())
    seed.shuffle(shuffled)
    again = score(dict(shuffled), crime_level=level, hours=hours)
    assert again == first
    for scenario in first.scores:
        assert 0 <= scenario.risk <= 100
        assert scenario.why.endswith(".")
