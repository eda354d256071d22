"""API authentication: a bearer token, or the browser's session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from jewelguard.accounts.models import ApiToken

# Tokens are "jg_" and 43 URL-safe characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # Ninja's own parsing logs a header with any other scheme in full, token and all.
        scheme, _space, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        # Record use at most once a minute: a busy integration should not write on every call.
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser, CSRF-checked on unsafe methods.

    Only consulted when the request carries a session cookie: ninja's SessionAuth checks
    CSRF first, which would refuse a token-authenticated POST that has no cookies at all.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


# The token first: a request that names a valid token needs no cookie and no CSRF token.
API_AUTH = [TokenAuth(), BrowserSessionAuth()]
