"""Reads of the assessment room. Other rooms and the pages to come call these."""

from __future__ import annotations

from datetime import date, datetime

from jewelguard.accounts.models import Store
from jewelguard.assessment.content import questionnaire
from jewelguard.assessment.models import Assessment
from jewelguard.assessment.results import AssessmentResult, result_compute
from jewelguard.assessment.scoring import AnswerValue, StoreFacts
from jewelguard.intel.selectors import local_crime_level


def store_weekly_open_hours(*, store: Store) -> float | None:
    """Hours open in a usual week, from the store's business hours; None without any."""
    total = 0.0
    found = False
    day = date(2000, 1, 3)  # any date: only the span between two times matters
    for opens, closes in store.hours.values_list("opens", "closes"):
        found = True
        span = datetime.combine(day, closes) - datetime.combine(day, opens)
        if span.total_seconds() > 0:
            total += span.total_seconds() / 3600
    return round(total, 1) if found else None


def assessment_answers(*, assessment: Assessment) -> dict[str, AnswerValue]:
    """Question id -> the answer saved, as checked by ``answer_put``."""
    return dict(assessment.answers.values_list("question_id", "value"))


def assessment_result(*, assessment: Assessment) -> AssessmentResult:
    """Scores with their sentences, the prioritised recommendations and progress by section.

    Scored with the assessment's own questionnaire version, so a newer version never changes
    it; the local crime level comes from intel ("unknown" until intel has incidents).
    """
    store = assessment.store
    return result_compute(
        questionnaire=questionnaire(assessment.questionnaire_version),
        answers=assessment_answers(assessment=assessment),
        crime_level=local_crime_level(store=store),
        facts=StoreFacts(weekly_open_hours=store_weekly_open_hours(store=store)),
    )
