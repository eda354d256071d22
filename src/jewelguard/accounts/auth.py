"""API authentication: a bearer token, or the browser's session (with CSRF)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from jewelguard.accounts.models import ApiToken, User


@cache
def _token_user_sql() -> str:
    """The active user holding a token, with the token's id and last use."""
    users, tokens = User._meta.db_table, ApiToken._meta.db_table
    return (
        f"SELECT u.*, t.id AS api_token_id, t.last_used_at AS api_token_last_used_at "  # noqa: S608
        f"FROM {users} u JOIN {tokens} t ON t.user_id = u.id "
        "WHERE t.token_hash = %s AND u.is_active"
    )


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
        # One plain query: on every API call, building the ORM's join cost five times as much
        # as running it (BENCHMARKS.md).
        user = next(iter(User.objects.raw(_token_user_sql(), [ApiToken.hash(token)])), None)
        if user is None:
            return None
        now = timezone.now()
        last_used_at = getattr(user, "api_token_last_used_at", None)
        if isinstance(last_used_at, str):  # SQLite hands raw columns back as text
            last_used_at = datetime.fromisoformat(last_used_at)
        if last_used_at is not None and timezone.is_naive(last_used_at):
            last_used_at = timezone.make_aware(last_used_at, UTC)
        # Record use at most once a minute: a busy integration should not write on every call.
        if last_used_at is None or (now - last_used_at).total_seconds() > 60:
            token_id: int = user.api_token_id  # type: ignore[attr-defined]  # from the raw query
            ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        request.user = user
        return user


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
