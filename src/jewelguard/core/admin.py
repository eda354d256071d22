"""Admin access by the same rule everywhere: the object kind's policy, through ``restrict``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from jewelguard.core.models import AuditEntry, EmailDelivery
from jewelguard.core.permissions import Action, restrict, restrict_is_empty

M = TypeVar("M", bound=Model)


class RestrictedAdminMixin(Generic[M]):
    """Every room's ModelAdmin and inline: what a user sees and may do is what the policy says.

    Entry to the admin site itself still needs ``is_staff``, which follows the role
    (analysts and administrators); Django's per-model permissions are not consulted.
    """

    model: type[M]
    # A named policy kind, where the model's own is not the one to ask.
    policy_kind: str | None = None

    def _allowed(self, request: HttpRequest, action: str, obj: Model | None) -> bool:
        allowed = restrict(
            self.model._default_manager.all(),
            user=request.user,
            action=action,
            kind=self.policy_kind,
        )
        if obj is None:
            return not restrict_is_empty(allowed)
        return allowed.filter(pk=obj.pk).exists()

    def get_queryset(self, request: HttpRequest) -> QuerySet[M]:
        queryset: QuerySet[M] = super().get_queryset(request)  # type: ignore[misc]
        return restrict(queryset, user=request.user, action=Action.VIEW, kind=self.policy_kind)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff) and self._allowed(request, Action.VIEW, None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, Action.VIEW, obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request, Action.ADD, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, Action.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, Action.DELETE, obj)


class RestrictedAdmin(RestrictedAdminMixin[M], admin.ModelAdmin[M]):
    """A ModelAdmin whose permissions all come from the kind's policy."""


class RestrictedInlineMixin:
    """An inline (a store's hours, say) may be seen and changed as far as its parent may."""

    parent_model: Any  # set by Django's InlineModelAdmin
    policy_kind: str | None = None

    def _parent_allows(self, request: HttpRequest, action: str, obj: Model | None) -> bool:
        allowed = restrict(
            self.parent_model._default_manager.all(),
            user=request.user,
            action=action,
            kind=self.policy_kind,
        )
        if obj is None:
            return not restrict_is_empty(allowed)
        return allowed.filter(pk=obj.pk).exists()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, Action.VIEW, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, Action.CHANGE, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, Action.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, Action.CHANGE, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(RestrictedAdmin[AuditEntry]):
    """The audit log, read-only: analysts and administrators read it, nobody rewrites it."""

    list_display = ["created_at", "action", "actor", "target_type", "target_repr", "client_ip"]
    list_filter = ["action", "created_at"]
    search_fields = ["action", "target_repr", "target_id"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "target_type"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]


DELIVERY_FIELDS = (
    "purpose",
    "status",
    "recipient",
    "reply_to",
    "subject",
    "language",
    "attempts",
    "last_error",
    "created_at",
    "attempted_at",
    "sent_at",
    "next_attempt_at",
    "concerning_type",
    "concerning_id",
)


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(RestrictedAdmin[EmailDelivery]):
    """The e-mail delivery log: read-only for analysts and administrators (its policy says)."""

    list_display = ["created_at", "purpose", "status", "attempts", "subject", "last_error"]
    list_filter = ["status", "purpose", "created_at"]
    search_fields = ["subject", "recipient"]
    date_hierarchy = "created_at"
    # The body may hold what the sender wrote; the log shows what became of the e-mail.
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS
