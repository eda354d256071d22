"""The JSON API under /api/, with OpenAPI docs at /api/docs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from jewelguard.accounts.api import router as stores_router
from jewelguard.accounts.auth import API_AUTH

api = NinjaAPI(
    title="JewelGuard API",
    version="1",
    description="Stores, incidents and alerts for Partner for Protection members.",
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("/", stores_router)


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
