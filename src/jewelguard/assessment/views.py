"""Pages of the assessment room: start, answer by section with live advice, the analyst's notes.

Each answer is one request (htmx posts it when a choice changes) answered with the whole
workspace: questions that now apply, progress, scores and recommendations. Without scripts the
same forms post and come back to the page. Both screens of a virtual assessment follow the
``assessment:<id>`` topic and fetch the workspace again when it changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jewelguard.accounts.models import Role, StaffGrant, Store, User
from jewelguard.accounts.permissions import StoreAction
from jewelguard.assessment import selectors, services
from jewelguard.assessment.content import questionnaire
from jewelguard.assessment.models import Assessment, AssessmentStatus, ObservationPhoto
from jewelguard.assessment.permissions import assessment_analyst_may_work
from jewelguard.assessment.photos import MAX_PHOTO_BYTES
from jewelguard.core.errors import ServiceError
from jewelguard.core.forms import database_id_fits
from jewelguard.core.permissions import Action, object_get_or_refuse, restrict

MAX_FIELD = 10_000
# Room for the note and the form's other fields around a photo at its largest.
MAX_FORM_OVERHEAD = 64 * 1024


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _assessment_for(request: HttpRequest, pk: int, action: str = Action.VIEW) -> Assessment:
    """404 for an assessment the user may not see, 403 for one seen but not theirs to change."""
    return object_get_or_refuse(
        Assessment.objects.select_related("store", "store__member"),
        pk=pk,
        user=request.user,
        action=action,
    )


def _workspace_context(
    request: HttpRequest,
    assessment: Assessment,
    *,
    error: ServiceError | None = None,
    error_question: str = "",
) -> dict[str, Any]:
    user = _user(request)
    analyst = assessment_analyst_may_work(user=user, assessment=assessment)
    member = assessment.store.member
    people: list[User] = []
    if analyst:
        people = list(
            User.objects.filter(
                Q(pk=member.owner_id)
                | Q(
                    pk__in=StaffGrant.objects.filter(store__member=member).values("user"),
                    role=Role.STAFF,
                ),
                is_active=True,
            ).order_by("full_name", "email")
        )
    sections = selectors.assessment_questions(assessment=assessment)
    shown = {question.id for section in sections for question in section.questions}
    return {
        "assessment": assessment,
        "result": selectors.assessment_result(assessment=assessment),
        "sections": sections,
        "observations": selectors.assessment_observations(assessment=assessment),
        "findings": selectors.assessment_findings(assessment=assessment),
        "open": assessment.status == AssessmentStatus.IN_PROGRESS,
        "may_answer": assessment.status == AssessmentStatus.IN_PROGRESS
        and restrict(
            Assessment.objects.filter(pk=assessment.pk), user=user, action=Action.CHANGE
        ).exists(),
        "analyst": analyst,
        "people": people,
        "controls": [c.id for c in questionnaire(assessment.questionnaire_version).file.controls],
        "error": error,
        "error_question": error_question,
        # An error about no question on the page (one that does not apply, or none) goes on top.
        "error_general": error if error and error_question not in shown else None,
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
        "topic": services.assessment_topic(assessment_id=assessment.pk),
    }


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The user's stores with their assessments; a member starts one here."""
    stores = restrict(
        Store.objects.select_related("member"), user=request.user, action=StoreAction.EDIT
    )
    if request.method == "POST":
        store_id = request.POST.get("store", "")
        if not store_id.isdigit() or not database_id_fits(store_id):
            raise Http404
        store = object_get_or_refuse(
            Store.objects.select_related("member"),
            pk=int(store_id),
            user=request.user,
            action=StoreAction.EDIT,
        )
        try:
            started = services.assessment_start(store=store, started_by=_user(request))
        except ServiceError as error:
            raise PermissionDenied(error.message) from None
        return redirect("assessment:detail", pk=started.pk)
    return render(
        request,
        "assessment/list.html",
        {"stores": stores, "assessments": selectors.assessments_visible(user=request.user)},
    )


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    return render(request, "assessment/detail.html", _workspace_context(request, assessment))


@login_required
@require_GET
def assessment_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """The workspace alone, for htmx: fetched again when the live stream says it changed."""
    assessment = _assessment_for(request, pk)
    return render(request, "assessment/workspace.html", _workspace_context(request, assessment))


def _answer_value(request: HttpRequest, question_id: str, version: str) -> object:
    """The posted answer as the service takes it: text for choices, a number for numbers."""
    raw = request.POST.get("value", "")
    question = questionnaire(version).question(question_id)
    if question is None or question.kind != "number":
        return raw
    text = raw.strip().replace(",", ".")
    if not text or len(text) > 40:
        return raw
    try:
        number = float(text)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _back(request: HttpRequest, assessment: Assessment, anchor: str = "") -> HttpResponse:
    """The workspace for htmx, else back to the page (at ``anchor``)."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "assessment/workspace.html", _workspace_context(request, assessment))
    url = reverse("assessment:detail", kwargs={"pk": assessment.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(
    request: HttpRequest, assessment: Assessment, error: ServiceError, question_id: str
) -> HttpResponse:
    context = _workspace_context(request, assessment, error=error, error_question=question_id)
    if request.htmx:  # type: ignore[attr-defined]
        # 200 so that htmx swaps it in; the error sits next to the question.
        return render(request, "assessment/workspace.html", context)
    return render(request, "assessment/detail.html", context, status=400)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, question_id: str) -> HttpResponse:
    assessment = _assessment_for(request, pk, Action.CHANGE)
    if len(request.POST.get("value", "")) > MAX_FIELD:
        error = ServiceError("value", _("This answer is far too long."))
        return _refused(request, assessment, error, question_id)
    version = request.POST.get("questionnaire_version") or None
    try:
        services.answer_put(
            assessment=assessment,
            question_id=question_id,
            value=_answer_value(request, question_id, assessment.questionnaire_version),
            answered_by=_user(request),
            justification=request.POST.get("justification", ""),
            questionnaire_version=version,
        )
    except ServiceError as error:
        return _refused(request, assessment, error, question_id)
    return _back(request, assessment, f"q-{question_id}")


@login_required
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk, Action.CHANGE)
    try:
        services.assessment_finish(assessment=assessment, finished_by=_user(request))
    except ServiceError as error:
        return _refused(request, assessment, error, "")
    messages.success(request, _("Assessment finished. Its scores and advice are kept."))
    return redirect("assessment:detail", pk=assessment.pk)


@login_required
@require_POST
def observation_add(request: HttpRequest, pk: int, question_id: str) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    user = _user(request)
    # Refused before Django reads the body: a huge upload would be spooled to disk first.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_PHOTO_BYTES + MAX_FORM_OVERHEAD:
        error = ServiceError(
            "photo",
            _("The photo is too large: keep it under %(megabytes)d MB.")
            % {"megabytes": MAX_PHOTO_BYTES // (1024 * 1024)},
        )
        return _refused(request, assessment, error, question_id)
    upload = request.FILES.get("photo")
    try:
        photos: list[bytes] = []
        if isinstance(upload, UploadedFile):
            if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
                raise ServiceError(
                    "photo",
                    _("The photo is too large: keep it under %(megabytes)d MB.")
                    % {"megabytes": MAX_PHOTO_BYTES // (1024 * 1024)},
                )
            photos.append(upload.read())
        services.observation_add(
            assessment=assessment,
            question_id=question_id,
            text=request.POST.get("text", ""),
            author=user,
            photos=photos,
        )
    except ServiceError as error:
        return _refused(request, assessment, error, question_id)
    return _back(request, assessment, f"q-{question_id}")


def _due(text: str) -> date | str | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return text  # the service names the field


@login_required
@require_POST
def finding_mark(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    question_id = request.POST.get("question_id", "")
    owner: User | None = None
    owner_id = request.POST.get("owner", "")
    if owner_id:
        if not owner_id.isdigit() or not database_id_fits(owner_id):
            error = ServiceError("owner", _("The owner must be one of the member's people."))
            return _refused(request, assessment, error, question_id)
        owner = User.objects.filter(pk=int(owner_id)).first()
        if owner is None:
            error = ServiceError("owner", _("The owner must be one of the member's people."))
            return _refused(request, assessment, error, question_id)
    try:
        services.finding_mark(
            assessment=assessment,
            marked_by=_user(request),
            question_id=question_id,
            control_id=request.POST.get("control_id", ""),
            note=request.POST.get("note", ""),
            owner=owner,
            owner_name=request.POST.get("owner_name", ""),
            due_on=_due(request.POST.get("due_on", "")),  # type: ignore[arg-type]
        )
    except ServiceError as error:
        return _refused(request, assessment, error, question_id)
    return _back(request, assessment, f"q-{question_id}" if question_id else "findings")


@login_required
@require_POST
def finding_close(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    finding = assessment.findings.filter(pk=finding_id).first()
    if finding is None:
        raise Http404
    try:
        services.finding_close(finding=finding, closed_by=_user(request))
    except ServiceError as error:
        return _refused(request, assessment, error, finding.question_id)
    return _back(request, assessment, "findings")


@login_required
@require_GET
def photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponseBase:
    """An observation's photo, to whoever may see the assessment; never a public media URL."""
    assessment = _assessment_for(request, pk)
    found = ObservationPhoto.objects.filter(pk=photo_id, observation__assessment=assessment).first()
    if found is None or not default_storage.exists(found.image.name):
        raise Http404
    response = FileResponse(default_storage.open(found.image.name), content_type=found.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
