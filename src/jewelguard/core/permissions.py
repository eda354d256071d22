"""One permission check per object kind: a queryset restricted to what a user may do.

Core knows no room. Each room registers a policy per object kind (a model, or a named kind
such as "pledge.toolkit" for something that is not a model of its own) when it starts, and
pages, the API and the admin all ask the same ``restrict``:

    stores = restrict(Store.objects.all(), user=request.user, action=Action.VIEW)

A policy answers with a filtered queryset, or with ``queryset.none()`` when the user has no
scope at all for that action; the admin reads the latter as "no access to this kind".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)

Who = AbstractBaseUser | AnonymousUser


class Action(StrEnum):
    """The actions every kind knows; a room may define more (report, respond, withdraw)."""

    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


class Policy(Protocol):
    """Who may do what with one kind of object."""

    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        """The part of ``queryset`` that ``user`` may take ``action`` on."""
        ...


_policies: dict[str, Policy] = {}


def _kind_name(kind: str | type[Model]) -> str:
    return kind if isinstance(kind, str) else kind._meta.label


def policy_register(*, kind: str | type[Model], policy: Policy) -> None:
    """Make ``policy`` the one check for ``kind``; called from a room's ``AppConfig.ready``."""
    name = _kind_name(kind)
    existing = _policies.get(name)
    if existing is not None and type(existing) is not type(policy):
        raise ImproperlyConfigured(f"{name} already has a policy: {existing!r}")
    _policies[name] = policy


def policy_for(kind: str | type[Model]) -> Policy:
    """The policy registered for ``kind``; a kind without one is a programming error."""
    name = _kind_name(kind)
    try:
        return _policies[name]
    except KeyError:
        raise ImproperlyConfigured(f"No permission policy is registered for {name}") from None


def restrict(
    queryset: QuerySet[M], *, user: Who, action: str, kind: str | None = None
) -> QuerySet[M]:
    """What of ``queryset`` ``user`` may take ``action`` on, by the kind's policy.

    ``kind`` defaults to the queryset's model. Inactive and anonymous users get nothing,
    whatever the policy says.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return policy_for(kind or queryset.model).restrict(queryset, user=user, action=action)


def restrict_is_empty(queryset: QuerySet[Any]) -> bool:
    """Whether a restricted queryset is the policy's "nothing at all" (``none()``)."""
    return queryset.query.is_empty()


def object_allows(*, obj: Model, user: Who, action: str, kind: str | None = None) -> bool:
    """Whether ``user`` may take ``action`` on ``obj`` (for showing or hiding a button)."""
    everything = type(obj)._default_manager.all()
    return restrict(everything, user=user, action=action, kind=kind).filter(pk=obj.pk).exists()


def object_get_or_refuse(
    queryset: QuerySet[M], *, pk: Any, user: Who, action: str, kind: str | None = None
) -> M:
    """The object ``pk`` of ``queryset`` if ``user`` may take ``action`` on it.

    Raises Http404 when the user may not even see it (so that nobody learns another
    member's data exists), PermissionDenied when they see it but may not do this.
    """
    try:
        obj = restrict(queryset, user=user, action=Action.VIEW, kind=kind).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != Action.VIEW and not (
        restrict(queryset, user=user, action=action, kind=kind).filter(pk=pk).exists()
    ):
        raise PermissionDenied
    return obj
