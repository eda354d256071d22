"""Helpers for the assessment's tests: a questionnaire, typical answers, scoring in one call."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.utils import translation

from jewelguard.assessment.content import Questionnaire, questionnaire
from jewelguard.assessment.results import AssessmentResult, result_compute
from jewelguard.assessment.scoring import AnswerValue, StoreFacts
from jewelguard.intel.levels import LocalCrimeLevel

UNKNOWN = LocalCrimeLevel.unknown()


def typical_store() -> dict[str, AnswerValue]:
    """A strip-center store with the usual half of the controls, as many jewelers have."""
    return {
        "store_setting": "strip",
        "entry_buzzer": "yes",
        "bollards": "no",
        "shared_walls": "yes",
        "stock_value": "up_to_1m",
        "showcase_glass": "some_laminated",
        "showcase_glassbreak": "no",
        "spread_high_value": "yes",
        "uniformed_guard": "no",
        "fog_generator": "no",
        "safe_rating": "trtl_30x6",
        "safe_placement": "yes",
        "safe_sensors": "yes",
        "overnight_share": 0,
        "alarm_certificate": "central_station",
        "signal_paths": "two",
        "alarm_coverage": "yes",
        "alarm_response": "yes",
        "eye_level_cameras": "yes",
        "footage_days": 30,
        "two_person_open_close": "yes",
        "show_one_item": "yes",
        "locked_cases_keys": "yes",
        "retest_returns": "yes",
        "no_resist_policy": "yes",
        "casing_awareness": "no",
        "staff_screening": "yes",
        "travels": "no",
        "remote_orders": "no",
    }


def score(
    answers: Mapping[str, AnswerValue],
    *,
    crime_level: LocalCrimeLevel = UNKNOWN,
    hours: float | None = 56,
    book: Questionnaire | None = None,
    language: str = "en",
) -> AssessmentResult:
    with translation.override(language):
        return result_compute(
            questionnaire=book or questionnaire(),
            answers=answers,
            crime_level=crime_level,
            facts=StoreFacts(weekly_open_hours=hours),
        )


@pytest.fixture
def book() -> Questionnaire:
    return questionnaire()
