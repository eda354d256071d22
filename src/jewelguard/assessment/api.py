"""Risk assessments over JSON: start one, get the questions that apply, put answers (one or
many, all or nothing), read the scores with their explanations and the recommendations.

The same services and permission checks as the pages; a client runs a whole assessment with
these four calls and a finish.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from jewelguard.accounts.api import (
    BODY_REFUSED,
    SIGNED_OUT,
    ErrorOut,
    ValidationErrorOut,
)
from jewelguard.accounts.models import Store, User
from jewelguard.accounts.permissions import StoreAction
from jewelguard.assessment import selectors, services
from jewelguard.assessment.models import Assessment
from jewelguard.assessment.results import AssessmentResult
from jewelguard.core.errors import ServiceError
from jewelguard.core.forms import DATABASE_ID_MAX
from jewelguard.core.permissions import Action, object_get_or_refuse

router = Router(tags=["risk assessments"])

AssessmentId = Annotated[int, Path(ge=1, le=DATABASE_ID_MAX)]
MAX_ANSWERS_PER_REQUEST = 200
NO_SUCH_ASSESSMENT = {404: ErrorOut, 422: ValidationErrorOut}


class AssessmentStart(Schema):
    # Strict: JSON's true is not store 1.
    store_id: int = Field(..., ge=1, le=DATABASE_ID_MAX, strict=True)


class AssessmentOut(Schema):
    id: int
    store_id: int
    questionnaire_version: str
    status: str
    started_at: Any
    finished_at: Any | None


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    id: str
    section: str
    kind: str
    text: str
    help: str
    choices: list[ChoiceOut]
    minimum: float | None
    maximum: float | None
    integer: bool
    unit: str
    answer: str | float | int | None
    justification: str


class QuestionnaireOut(Schema):
    """The questions that apply now, given the answers so far, in the request's language."""

    assessment_id: int
    questionnaire_version: str
    questions: list[QuestionOut]


class AnswerIn(Schema):
    question_id: str = Field(..., max_length=services.MAX_QUESTION_ID)
    # A yes/no or choice answer as text ("yes", an option id), a number for a number question.
    value: str | int | float | bool | list[Any] | dict[str, Any] | None
    justification: str = Field("", max_length=services.MAX_JUSTIFICATION)


class AnswersIn(Schema):
    questionnaire_version: str | None = Field(None, max_length=8)
    answers: list[AnswerIn] = Field(..., min_length=1, max_length=MAX_ANSWERS_PER_REQUEST)


class AnswerRefusedOut(Schema):
    """One answer refused: which (its index in ``answers``), which field, and why."""

    detail: list[dict[str, Any]]


class ScenarioReductionOut(Schema):
    scenario_id: str
    title: str
    points: float


class RecommendationOut(Schema):
    priority: int
    control_id: str
    name: str
    description: str
    status: str
    status_label: str
    scenarios: list[ScenarioReductionOut]
    reduction: float
    reduction_percent: int
    cost_band: str
    cost_label: str
    ask_for: str
    standards: list[str]


class ScoreOut(Schema):
    scenario_id: str
    title: str
    likelihood: float
    vulnerability: float
    impact: float
    risk: float
    level: str
    level_label: str
    why: str
    why_likelihood: str
    why_vulnerability: str
    why_impact: str


class SectionProgressOut(Schema):
    section_id: str
    title: str
    answered: int
    applicable: int


class ResultOut(Schema):
    assessment_id: int
    status: str
    questionnaire_version: str
    crime_level_known: bool
    answered: int
    applicable: int
    progress: list[SectionProgressOut]
    scores: list[ScoreOut]
    recommendations: list[RecommendationOut]


def _assessment(request: HttpRequest, assessment_id: int, action: str) -> Assessment:
    try:
        return object_get_or_refuse(
            Assessment.objects.select_related("store", "store__member"),
            pk=assessment_id,
            user=request.user,
            action=action,
        )
    except Http404:
        raise Http404(
            _("There is no assessment %(id)s among those you may see.") % {"id": assessment_id}
        ) from None
    except PermissionDenied:
        raise HttpError(403, _("You may not change this assessment.")) from None


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _result_out(assessment: Assessment, result: AssessmentResult) -> dict[str, Any]:
    return {
        "assessment_id": assessment.pk,
        "status": assessment.status,
        "questionnaire_version": result.questionnaire_version,
        "crime_level_known": result.crime_level_known,
        "answered": result.answered,
        "applicable": result.applicable,
        "progress": [vars(p) for p in result.progress],
        "scores": [
            {
                "scenario_id": s.scenario_id,
                "title": s.title,
                "likelihood": s.likelihood,
                "vulnerability": s.vulnerability,
                "impact": s.impact,
                "risk": s.risk,
                "level": s.level,
                "level_label": s.level_label,
                "why": s.why,
                "why_likelihood": s.why_likelihood,
                "why_vulnerability": s.why_vulnerability,
                "why_impact": s.why_impact,
            }
            for s in result.scores
        ],
        "recommendations": [
            {
                "priority": r.priority,
                "control_id": r.control_id,
                "name": r.name,
                "description": r.description,
                "status": r.status,
                "status_label": r.status_label,
                "scenarios": [
                    {"scenario_id": s.scenario_id, "title": s.title, "points": s.points}
                    for s in r.scenarios
                ],
                "reduction": r.reduction,
                "reduction_percent": r.reduction_percent,
                "cost_band": r.cost_band,
                "cost_label": r.cost_label,
                "ask_for": r.ask_for,
                "standards": list(r.standards),
            }
            for r in result.recommendations
        ],
    }


@router.post(
    "/assessments",
    response={201: AssessmentOut, **SIGNED_OUT, 403: ErrorOut, 404: ErrorOut, **BODY_REFUSED},
)
def start_assessment(request: HttpRequest, payload: AssessmentStart) -> Status[Assessment]:
    """Start a new assessment of one of your stores, with the current questionnaire version."""
    try:
        store = object_get_or_refuse(
            Store.objects.select_related("member"),
            pk=payload.store_id,
            user=request.user,
            action=StoreAction.EDIT,
        )
    except Http404:
        raise Http404(
            _("There is no store %(id)s among the stores you may see.") % {"id": payload.store_id}
        ) from None
    except PermissionDenied:
        raise HttpError(403, _("You may not take this store's risk assessment.")) from None
    try:
        started = services.assessment_start(store=store, started_by=_user(request))
    except ServiceError as error:
        raise HttpError(403, error.message) from None
    return Status(201, started)


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **SIGNED_OUT, **NO_SUCH_ASSESSMENT},
)
def get_assessment(request: HttpRequest, assessment_id: AssessmentId) -> Assessment:
    return _assessment(request, assessment_id, Action.VIEW)


@router.get(
    "/assessments/{assessment_id}/questions",
    response={200: QuestionnaireOut, **SIGNED_OUT, **NO_SUCH_ASSESSMENT},
)
def get_questions(request: HttpRequest, assessment_id: AssessmentId) -> dict[str, Any]:
    """The questions that apply now, with the answers saved; answering may add or remove some."""
    assessment = _assessment(request, assessment_id, Action.VIEW)
    return {
        "assessment_id": assessment.pk,
        "questionnaire_version": assessment.questionnaire_version,
        "questions": [
            {
                "id": q.id,
                "section": section.id,
                "kind": q.kind,
                "text": q.text,
                "help": q.help,
                "choices": [{"value": c.value, "label": c.label} for c in q.choices],
                "minimum": q.minimum,
                "maximum": q.maximum,
                "integer": q.integer,
                "unit": q.unit,
                "answer": q.value,
                "justification": q.justification,
            }
            for section in selectors.assessment_questions(assessment=assessment)
            for q in section.questions
        ],
    }


@router.put(
    "/assessments/{assessment_id}/answers",
    response={
        200: ResultOut,
        **SIGNED_OUT,
        403: ErrorOut,
        **NO_SUCH_ASSESSMENT,
        **BODY_REFUSED,
    },
)
def put_answers(request: HttpRequest, assessment_id: AssessmentId, payload: AnswersIn) -> Any:
    """Save answers in order, all or none: one refused leaves every answer as it was.

    A later answer in the list may answer a question an earlier one made apply. A refusal is
    a 422 naming the answer's index and the field, e.g. ``["body", "answers", 2, "value"]``.
    """
    assessment = _assessment(request, assessment_id, Action.CHANGE)
    user = _user(request)
    try:
        with transaction.atomic():
            for index, item in enumerate(payload.answers):
                try:
                    services.answer_put(
                        assessment=assessment,
                        question_id=item.question_id,
                        value=item.value,
                        answered_by=user,
                        justification=item.justification,
                        questionnaire_version=payload.questionnaire_version,
                    )
                except ServiceError as error:
                    raise _Refused(index, error) from None
    except _Refused as refused:
        field = refused.error.field
        where: list[str | int] = (
            ["body", "questionnaire_version"]
            if field == "questionnaire_version"
            else ["body", "answers", refused.index, field]
        )
        return _refusal(where, refused.error)
    assessment.refresh_from_db()
    return _result_out(assessment, selectors.assessment_result(assessment=assessment))


class _Refused(Exception):
    def __init__(self, index: int, error: ServiceError) -> None:
        super().__init__(error.message)
        self.index = index
        self.error = error


def _refusal(where: list[str | int], error: ServiceError) -> JsonResponse:
    """A 422 in the shape of the schema's own errors, so a client reads both one way."""
    return JsonResponse(
        {"detail": [{"type": "invalid", "loc": where, "msg": error.message}]}, status=422
    )


@router.get(
    "/assessments/{assessment_id}/result",
    response={200: ResultOut, **SIGNED_OUT, **NO_SUCH_ASSESSMENT},
)
def get_result(request: HttpRequest, assessment_id: AssessmentId) -> dict[str, Any]:
    """Scores per crime with the sentences that explain them, recommendations, progress."""
    assessment = _assessment(request, assessment_id, Action.VIEW)
    return _result_out(assessment, selectors.assessment_result(assessment=assessment))


@router.post(
    "/assessments/{assessment_id}/finish",
    response={
        200: AssessmentOut,
        **SIGNED_OUT,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
)
def finish_assessment(request: HttpRequest, assessment_id: AssessmentId) -> Any:
    """Close the assessment: its answers and result no longer change."""
    assessment = _assessment(request, assessment_id, Action.CHANGE)
    try:
        return services.assessment_finish(assessment=assessment, finished_by=_user(request))
    except ServiceError as error:
        return _refusal(["body", error.field], error)
