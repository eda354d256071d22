"""Reads of the assessment room. Other rooms and the pages to come call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext

from jewelguard.accounts.models import Store
from jewelguard.assessment.content import questionnaire
from jewelguard.assessment.models import Assessment, Finding, Observation
from jewelguard.assessment.results import AssessmentResult, result_compute
from jewelguard.assessment.scoring import AnswerValue, StoreFacts, question_applies
from jewelguard.core.content import content_language
from jewelguard.core.permissions import Action, Who, restrict
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


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: str


@dataclass(frozen=True)
class QuestionView:
    id: str
    kind: str
    text: str
    help: str
    choices: tuple[ChoiceView, ...]
    minimum: float | None
    maximum: float | None
    integer: bool
    unit: str
    # The answer saved (None before one), and its justification.
    value: AnswerValue | None
    justification: str


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    questions: tuple[QuestionView, ...]
    answered: int


def _yes_no_choices() -> tuple[ChoiceView, ...]:
    return (
        ChoiceView("yes", gettext("Yes")),
        ChoiceView("no", gettext("No")),
        ChoiceView("alternative", gettext("Something else in its place")),
        ChoiceView("not_applicable", gettext("Does not apply to us")),
    )


def assessment_questions(*, assessment: Assessment) -> tuple[SectionView, ...]:
    """The questions that apply now, by section, in the reader's language, with the answers.

    A question that stops applying (an earlier answer changed) is left out, answer and all,
    exactly as the scoring leaves it out.
    """
    book = questionnaire(assessment.questionnaire_version)
    saved = {
        question_id: (value, justification)
        for question_id, value, justification in assessment.answers.values_list(
            "question_id", "value", "justification"
        )
    }
    answers = {key: value for key, (value, _j) in saved.items()}
    language = content_language(get_language())
    sections: list[SectionView] = []
    for section in book.file.sections:
        questions: list[QuestionView] = []
        for question in book.file.questions:
            if question.section != section.id or not question_applies(
                questionnaire=book, question=question, answers=answers
            ):
                continue
            value, justification = saved.get(question.id, (None, ""))
            if question.kind == "yes_no":
                choices = _yes_no_choices()
            else:
                choices = tuple(
                    ChoiceView(o.id, o.label.in_language(language)) for o in question.options
                )
            questions.append(
                QuestionView(
                    id=question.id,
                    kind=question.kind,
                    text=question.text.in_language(language),
                    help=question.help.in_language(language) if question.help else "",
                    choices=choices,
                    minimum=question.minimum,
                    maximum=question.maximum,
                    integer=question.integer,
                    unit=question.unit.in_language(language) if question.unit else "",
                    value=value,
                    justification=justification,
                )
            )
        if questions:
            sections.append(
                SectionView(
                    id=section.id,
                    title=section.title.in_language(language),
                    questions=tuple(questions),
                    answered=sum(1 for q in questions if q.value is not None),
                )
            )
    return tuple(sections)


def assessment_observations(*, assessment: Assessment) -> dict[str, list[Observation]]:
    """Question id -> its observations in order, each with its photos."""
    found: dict[str, list[Observation]] = {}
    for observation in assessment.observations.prefetch_related("photos").select_related("author"):
        found.setdefault(observation.question_id, []).append(observation)
    return found


def assessment_findings(*, assessment: Assessment) -> list[Finding]:
    """Every finding, open ones first, soonest due first."""
    return list(assessment.findings.select_related("owner"))


def assessments_visible(*, user: Who) -> QuerySet[Assessment]:
    """The assessments ``user`` may see, newest first, with their stores."""
    return restrict(
        Assessment.objects.select_related("store", "store__member"), user=user, action=Action.VIEW
    )
