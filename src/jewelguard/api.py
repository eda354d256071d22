"""The JSON API under /api/, with OpenAPI docs at /api/docs."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser

from jewelguard.accounts.api import router as stores_router
from jewelguard.accounts.auth import API_AUTH
from jewelguard.assessment.api import router as assessment_router
from jewelguard.assessment.api_report import router as assessment_report_router
from jewelguard.intel.api import router as intel_router
from jewelguard.intel.api_incidents import router as incidents_router


class BodyRefused(Exception):
    """The request body cannot be read as a JSON document: the status to answer, and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _is_json(content_type: str | None) -> bool:
    return content_type == "application/json" or bool(
        content_type and content_type.endswith("+json")
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a JSON number") % {"name": name})


class JsonBodyParser(Parser):
    """Bodies in standard JSON only, said so when they are not.

    Ninja would read any content type as JSON and, outside debug mode, answer only
    "Cannot parse request body"; this says which problem it was.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise BodyRefused(
                415, _("Send the body as JSON, with the header Content-Type: application/json.")
            )
        try:
            data: dict[str, Any] = json.loads(request.body, parse_constant=_refuse_constant)
        except RecursionError:
            raise BodyRefused(400, _("The JSON body is nested too deeply.")) from None
        except ValueError as error:
            # JSONDecodeError and UnicodeDecodeError say where, without echoing the body.
            raise BodyRefused(
                400, _("The body is not valid JSON: %(error)s.") % {"error": error}
            ) from None
        return data


api = NinjaAPI(
    title="JewelGuard API",
    version="1",
    description=(
        "Partner for Protection members' stores (addresses, locations and opening hours) and "
        "their risk assessments (questions, answers, scores and advice)."
    ),
    auth=API_AUTH,
    parser=JsonBodyParser(),
    urls_namespace="api",
)
api.add_router("/", stores_router)
api.add_router("/intel/", intel_router)
api.add_router("/intel/", incidents_router)
api.add_router("/assessment/", assessment_router)
api.add_router("/assessment/", assessment_report_router)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """A refusal as ``{"detail": ...}``; an unreadable body with its own status and reason."""
    # Ninja wraps every parser failure in a 400 "Cannot parse request body", cause attached.
    if isinstance(exc.__cause__, BodyRefused):
        refused = exc.__cause__
        return api.create_response(request, {"detail": refused.message}, status=refused.status)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE; say so, not 500."""
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return api.create_response(
        request,
        {"detail": _("The body is larger than the %(kb)d KB this API accepts.") % {"kb": limit_kb}},
        status=413,
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the input: say which field and why, in the schema errors' shape."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = [
        {"type": "invalid", "loc": ["body", "payload", field], "msg": message}
        for field, messages in errors.items()
        for message in messages
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """What was not found, in words, in every mode: ninja's own says only "Not Found"."""
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)
