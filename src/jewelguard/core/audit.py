"""The audit log: one service call writes who did what to which object, and from where."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest

from jewelguard.core.models import AuditEntry

__all__ = ["AuditEntry", "audit_record"]

MAX_USER_AGENT = 200
MAX_REPR = 200
MAX_ACTION = 64


def _client_ip(request: HttpRequest) -> str | None:
    """The address the request came from as Django saw it; nothing a client wrote itself."""
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: Model | None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Write one audit entry, in the caller's transaction.

    ``action`` is a dotted verb such as ``store.deleted``; ``target_repr`` overrides the
    object's ``str()`` where that would carry personal data (an e-mail address, say).
    Call it before deleting the target, so that its id and label are still there.
    """
    if not action or len(action) > MAX_ACTION:
        raise ValueError(f"audit action must be 1 to {MAX_ACTION} characters")
    # Core knows the user model only as settings.AUTH_USER_MODEL.
    who: Any = actor if actor is not None and actor.is_authenticated else None
    label = str(target) if target_repr is None and target is not None else target_repr or ""
    return AuditEntry.objects.create(
        actor=who,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=label[:MAX_REPR],
        details=details or {},
        client_ip=_client_ip(request) if request is not None else None,
        user_agent=(request.headers.get("User-Agent", "") if request else "")[:MAX_USER_AGENT],
    )
