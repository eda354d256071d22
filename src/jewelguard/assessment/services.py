"""Every write of the assessment room: start an assessment, put answers, finish it; and the
analyst's side of a virtual assessment: observations (with photos) and findings.

Each answer is checked against the assessment's own questionnaire version before anything is
written; a refusal raises ``ServiceError`` naming the field and leaves the database as it was.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jewelguard.accounts.models import Role, StaffGrant, Store, User
from jewelguard.accounts.permissions import StoreAction, store_allows
from jewelguard.assessment.content import (
    CURRENT_VERSION,
    Question,
    Questionnaire,
    questionnaire,
)
from jewelguard.assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Finding,
    FindingStatus,
    Observation,
    ObservationPhoto,
)
from jewelguard.assessment.permissions import assessment_analyst_may_work
from jewelguard.assessment.photos import photo_clean
from jewelguard.assessment.scoring import AnswerValue, question_applies
from jewelguard.core.audit import audit_record
from jewelguard.core.errors import ServiceError
from jewelguard.core.events import publish_on_commit
from jewelguard.core.text import TextRefusedError, multi_line_clean, single_line_clean

MAX_JUSTIFICATION = 2000
MAX_QUESTION_ID = 64
MAX_OBSERVATION = 4000
MAX_NOTE = 2000
MAX_OWNER_NAME = 120
MAX_PHOTOS_PER_OBSERVATION = 10
# A finding is due within this long of today (a later date is almost always a typing slip).
MAX_DUE_AHEAD = timedelta(days=5 * 366)


def assessment_topic(*, assessment_id: int) -> str:
    """The live-update topic both screens of a virtual assessment follow."""
    return f"assessment:{assessment_id}"


def _publish(*, assessment: Assessment, kind: str, **details: Any) -> None:
    # Ids only: the stream says what changed, the page reads it back with its own check.
    publish_on_commit(
        topic=assessment_topic(assessment_id=assessment.pk), payload={"kind": kind, **details}
    )


def _may_take(*, user: User, store: Store) -> None:
    # Those who may change the store may assess it.
    if not store_allows(user=user, store=store, action=StoreAction.EDIT):
        raise ServiceError("assessment", _("You may not take this store's risk assessment."))


def _may_answer(*, user: User, assessment: Assessment) -> None:
    # On a virtual assessment the granted analyst answers too, as the jeweler tells them.
    if assessment_analyst_may_work(user=user, assessment=assessment):
        return
    _may_take(user=user, store=assessment.store)


def _may_work(*, user: User, assessment: Assessment) -> None:
    if not assessment_analyst_may_work(user=user, assessment=assessment):
        raise ServiceError(
            "assessment",
            _("Only the association's analyst on this assessment may do this."),
        )


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update().select_related("store__member").get(pk=assessment.pk)
    )


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
    locked = _locked(assessment)
    _may_answer(user=answered_by, assessment=locked)
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
    if answered_by.role == Role.ANALYST:
        # The member's record shows which answers the association's analyst gave.
        audit_record(
            actor=answered_by,
            action="assessment.answered_by_analyst",
            target=locked,
            details={"question_id": question.id},
        )
    _publish(assessment=locked, kind="answer", question_id=question.id)
    return answer


@transaction.atomic
def assessment_finish(*, assessment: Assessment, finished_by: User) -> Assessment:
    """Close the assessment: its answers and its score no longer change."""
    locked = _locked(assessment)
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
    _publish(assessment=locked, kind="finished")
    return locked


def _question_of(*, assessment: Assessment, question_id: object) -> Question:
    book = questionnaire(assessment.questionnaire_version)
    question = (
        book.question(question_id)
        if isinstance(question_id, str) and len(question_id) <= MAX_QUESTION_ID
        else None
    )
    if question is None:
        raise ServiceError(
            "question_id",
            _("Questionnaire version %(version)s has no such question.")
            % {"version": assessment.questionnaire_version},
        )
    return question


def _text(*, field: str, value: object, limit: int, required: bool) -> str:
    if not isinstance(value, str):
        raise ServiceError(field, _("This must be text."))
    try:
        cleaned = multi_line_clean(value=value)
    except TextRefusedError as error:
        raise ServiceError(field, error.message) from None
    if required and not cleaned:
        raise ServiceError(field, _("Write something first."))
    if len(cleaned) > limit:
        raise ServiceError(field, _("Keep it under %(count)d characters.") % {"count": limit})
    return cleaned


@transaction.atomic
def observation_add(
    *,
    assessment: Assessment,
    question_id: str,
    text: str,
    author: User,
    photos: Sequence[bytes] = (),
) -> Observation:
    """The analyst's note on one question (several notes per question are kept in order),
    with ``photos`` taken with it; a refused photo refuses the note too."""
    locked = _locked(assessment)
    _may_work(user=author, assessment=locked)
    question = _question_of(assessment=locked, question_id=question_id)
    cleaned = _text(field="text", value=text, limit=MAX_OBSERVATION, required=True)
    observation = Observation.objects.create(
        assessment=locked, question_id=question.id, text=cleaned, author=author
    )
    for content in photos:
        observation_photo_add(observation=observation, content=content, added_by=author)
    _publish(assessment=locked, kind="observation", question_id=question.id, id=observation.pk)
    return observation


@transaction.atomic
def observation_photo_add(
    *, observation: Observation, content: bytes, added_by: User
) -> ObservationPhoto:
    """Attach a photo to an observation: JPEG, PNG or WebP, re-encoded without its metadata.

    Refused, with nothing kept, for anything else, a file over 10 MB or 50 megapixels, an
    animation, or an observation that already has its 10 photos.
    """
    locked = _locked(observation.assessment)
    _may_work(user=added_by, assessment=locked)
    fresh = Observation.objects.select_for_update().get(pk=observation.pk)
    if fresh.photos.count() >= MAX_PHOTOS_PER_OBSERVATION:
        raise ServiceError(
            "photo",
            _("An observation keeps at most %(count)d photos.")
            % {"count": MAX_PHOTOS_PER_OBSERVATION},
        )
    if not isinstance(content, bytes):
        raise ServiceError("photo", _("Send a JPEG, PNG or WebP photo."))
    clean = photo_clean(content=content)
    name = default_storage.save(
        f"assessment/{locked.pk}/{uuid.uuid4().hex}.{clean.extension}",
        ContentFile(clean.content),
    )
    try:
        photo = ObservationPhoto.objects.create(
            observation=fresh,
            image=name,
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            size=len(clean.content),
            added_by=added_by,
        )
        _publish(assessment=locked, kind="photo", question_id=fresh.question_id, id=fresh.pk)
    except BaseException:
        default_storage.delete(name)  # no file without its row
        raise
    return photo


def _due_checked(*, due_on: object) -> date | None:
    if due_on is None:
        return None
    if not isinstance(due_on, date):
        raise ServiceError("due_on", _("Give the due date as a date."))
    today = timezone.localdate()
    if due_on < today - timedelta(days=1):  # a day's grace for time zones
        raise ServiceError("due_on", _("The due date is in the past."))
    if due_on > today + MAX_DUE_AHEAD:
        raise ServiceError("due_on", _("The due date is more than five years away."))
    return due_on


def _owner_checked(*, assessment: Assessment, owner: User | None, owner_name: object) -> str:
    if not isinstance(owner_name, str):
        raise ServiceError("owner_name", _("The owner's name must be text."))
    try:
        name = single_line_clean(value=owner_name)
    except TextRefusedError as error:
        raise ServiceError("owner_name", error.message) from None
    if len(name) > MAX_OWNER_NAME:
        raise ServiceError(
            "owner_name", _("Keep the name under %(count)d characters.") % {"count": MAX_OWNER_NAME}
        )
    if owner is not None and name:
        raise ServiceError("owner_name", _("Choose a person or write a name, not both."))
    if owner is not None:
        member = assessment.store.member
        works_there = member.owner_id == owner.pk or (
            owner.role == Role.STAFF
            and StaffGrant.objects.filter(user=owner, store__member=member).exists()
        )
        if not owner.is_active or not works_there:
            raise ServiceError("owner", _("The owner must be one of the member's people."))
    return name


@transaction.atomic
def finding_mark(
    *,
    assessment: Assessment,
    marked_by: User,
    question_id: str = "",
    control_id: str = "",
    note: str = "",
    owner: User | None = None,
    owner_name: str = "",
    due_on: date | None = None,
) -> Finding:
    """Mark a question or a control (exactly one) as a finding, or update the one marked.

    The owner is one of the member's people or, for someone without a login, a name; marking
    again reopens a finding that was done.
    """
    locked = _locked(assessment)
    _may_work(user=marked_by, assessment=locked)
    if bool(question_id) == bool(control_id):
        raise ServiceError("question_id", _("Mark either a question or a control."))
    if question_id:
        question_id = _question_of(assessment=locked, question_id=question_id).id
    else:
        book = questionnaire(locked.questionnaire_version)
        if not isinstance(control_id, str) or book.control_weight(control_id) is None:
            raise ServiceError(
                "control_id",
                _("Questionnaire version %(version)s has no such control.")
                % {"version": locked.questionnaire_version},
            )
    cleaned_note = _text(field="note", value=note, limit=MAX_NOTE, required=False)
    name = _owner_checked(assessment=locked, owner=owner, owner_name=owner_name)
    due = _due_checked(due_on=due_on)
    now = timezone.now()
    finding, _is_new = Finding.objects.update_or_create(
        assessment=locked,
        question_id=question_id,
        control_id=control_id,
        defaults={
            "note": cleaned_note,
            "owner": owner,
            "owner_name": name,
            "due_on": due,
            "status": FindingStatus.OPEN,
            "marked_by": marked_by,
            "updated_at": now,
            "closed_by": None,
            "closed_at": None,
        },
        create_defaults={
            "note": cleaned_note,
            "owner": owner,
            "owner_name": name,
            "due_on": due,
            "marked_by": marked_by,
            "created_at": now,
            "updated_at": now,
        },
    )
    _publish(assessment=locked, kind="finding", id=finding.pk)
    return finding


@transaction.atomic
def finding_close(*, finding: Finding, closed_by: User) -> Finding:
    """Mark a finding done (the analyst does, once the member has dealt with it)."""
    locked = _locked(finding.assessment)
    _may_work(user=closed_by, assessment=locked)
    fresh = Finding.objects.select_for_update().get(pk=finding.pk)
    if fresh.status == FindingStatus.DONE:
        raise ServiceError("finding", _("This finding is already done."))
    now = timezone.now()
    fresh.status = FindingStatus.DONE
    fresh.closed_by = closed_by
    fresh.closed_at = now
    fresh.updated_at = now
    fresh.save(update_fields=["status", "closed_by", "closed_at", "updated_at"])
    _publish(assessment=locked, kind="finding", id=fresh.pk)
    return fresh
