"""The e-mail delivery log in the admin: read-only, for analysts and administrators."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from jewelguard.core.models import EmailDelivery

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
class EmailDeliveryAdmin(admin.ModelAdmin[EmailDelivery]):
    """Who may read it is Django's view permission: administrators, and the Analysts group."""

    list_display = ["created_at", "purpose", "status", "attempts", "subject", "last_error"]
    list_filter = ["status", "purpose", "created_at"]
    search_fields = ["subject", "recipient"]
    date_hierarchy = "created_at"
    # The body may hold what the sender wrote; the log shows what became of the e-mail.
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EmailDelivery | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EmailDelivery | None = None) -> bool:
        return False
