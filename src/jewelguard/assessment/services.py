"""Every write of the assessment room: start an assessment, put an answer, finish it.

Each answer is checked against the assessment's own questionnaire version before anything is
written; a refusal raises ``ServiceError`` naming the field and leaves the database as it was.
"""

from __future__ import annotations

import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jewelguard.accounts.models import Store, User
from jewelguard.accounts.permissions import StoreAction, store_allows
from jewelguard.assessment.content import (
    CURRENT_VERSION,
    Question,
    Questionnaire,
    questionnaire,
)
from jewelguard.assessment.models import Answer, Assessment, AssessmentStatus
from jewelguard.assessment.scoring import AnswerValue, question_applies
from jewelguard.core.errors import ServiceError

MAX_JUSTIFICATION = 2000
MAX_QUESTION_ID = 64


def _may_take(*, user: User, store: Store) -> None:
    # Until per-assessment grants exist: those who may change the store may assess it.
    if not store_allows(user=user, store=store, action=StoreAction.EDIT):
        raise ServiceError("assessment", _("You may not take this store's risk assessment."))


@transaction.atomic
def assessment_start(*, store: Store, started_by: User) -> Assessment:
    """A new assessment of ``store``, taken with the current questionnaire version for good."""
    _may_take(user=started_by, store=store)
    now = timezone.now()
    return Assessment.objects.create(
        store=store,
        questionnaire_version=CURRENT_VERSION,
        started_by=started_by,
        started_at=now,
        updated_at=now,
    )


def _checked_value(*, question: Question, value: object) -> AnswerValue:
    """``value`` if this question takes it; ServiceError naming 'value' otherwise."""
    if question.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ServiceError("value", _("This question takes a number."))
        # An int may be too large for a float (10**400): never convert one before the range check.
        if isinstance(value, float) and not math.isfinite(value):
            raise ServiceError("value", _("This question takes a number."))
        if question.integer and isinstance(value, float) and not value.is_integer():
            raise ServiceError("value", _("This question takes a whole number."))
        low, high = question.minimum, question.maximum
        assert low is not None and high is not None
        if not low <= value <= high:
            raise ServiceError(
                "value",
                _("The number must be between %(minimum)s and %(maximum)s.")
                % {"minimum": _plain(low), "maximum": _plain(high)},
            )
        return int(value) if question.integer else float(value)
    if not isinstance(value, str):
        raise ServiceError("value", _("This question takes one of its listed answers."))
    if value not in question.values():
        if question.kind == "yes_no":
            message = _("Answer yes, no, not applicable or alternative in place.")
        else:
            message = _("This is not one of the question's answers.")
        raise ServiceError("value", message)
    return value


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _answers_of(assessment: Assessment) -> dict[str, AnswerValue]:
    return dict(assessment.answers.values_list("question_id", "value"))


@transaction.atomic
def answer_put(
    *,
    assessment: Assessment,
    question_id: str,
    value: object,
    answered_by: User,
    justification: str = "",
    questionnaire_version: str | None = None,
) -> Answer:
    """Save one answer (replacing any earlier one to the same question).

    Refused, with nothing written, for: a finished assessment, a version that is not the
    assessment's, a question the version does not have or that does not apply given the
    other answers, a value of the wrong type, an unknown option, a number out of range, an
    alternative without a justification, or a justification too long.
    """
    locked = (
        Assessment.objects.select_for_update().select_related("store__member").get(pk=assessment.pk)
    )
    _may_take(user=answered_by, store=locked.store)
    if locked.status == AssessmentStatus.FINISHED:
        raise ServiceError("assessment", _("This assessment is finished; start a new one."))
    if questionnaire_version is not None and questionnaire_version != locked.questionnaire_version:
        raise ServiceError(
            "questionnaire_version",
            _("This assessment uses questionnaire version %(version)s.")
            % {"version": locked.questionnaire_version},
        )
    book: Questionnaire = questionnaire(locked.questionnaire_version)
    question = (
        book.question(question_id)
        if isinstance(question_id, str) and len(question_id) <= MAX_QUESTION_ID
        else None
    )
    if question is None:
        raise ServiceError(
            "question_id",
            _("Questionnaire version %(version)s has no such question.")
            % {"version": locked.questionnaire_version},
        )
    checked = _checked_value(question=question, value=value)
    if not isinstance(justification, str):
        raise ServiceError("justification", _("The justification must be text."))
    justification = justification.strip()
    if len(justification) > MAX_JUSTIFICATION:
        raise ServiceError(
            "justification",
            _("Keep the justification under %(count)d characters.") % {"count": MAX_JUSTIFICATION},
        )
    if "\x00" in justification:
        raise ServiceError("justification", _("The justification contains a null character."))
    if checked == "alternative" and not justification:
        raise ServiceError(
            "justification",
            _("Say what is in place instead: an alternative needs a justification."),
        )
    answers = _answers_of(locked)
    if not question_applies(questionnaire=book, question=question, answers=answers):
        raise ServiceError(
            "question_id", _("This question does not apply, given the other answers.")
        )
    now = timezone.now()
    answer, _is_new = Answer.objects.update_or_create(
        assessment=locked,
        question_id=question.id,
        defaults={
            "value": checked,
            "justification": justification,
            "answered_by": answered_by,
            "updated_at": now,
        },
    )
    locked.updated_at = now
    locked.save(update_fields=["updated_at"])
    assessment.updated_at = now
    return answer


@transaction.atomic
def assessment_finish(*, assessment: Assessment, finished_by: User) -> Assessment:
    """Close the assessment: its answers and its score no longer change."""
    locked = (
        Assessment.objects.select_for_update().select_related("store__member").get(pk=assessment.pk)
    )
    _may_take(user=finished_by, store=locked.store)
    if locked.status == AssessmentStatus.FINISHED:
        raise ServiceError("assessment", _("This assessment is already finished."))
    if not locked.answers.exists():
        raise ServiceError("assessment", _("Answer at least one question before finishing."))
    now = timezone.now()
    locked.status = AssessmentStatus.FINISHED
    locked.finished_by = finished_by
    locked.finished_at = now
    locked.updated_at = now
    locked.save(update_fields=["status", "finished_by", "finished_at", "updated_at"])
    return locked
