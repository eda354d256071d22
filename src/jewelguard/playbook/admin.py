"""Inquiries in the admin, where the association's analysts answer them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jewelguard.core.admin import RestrictedAdmin
from jewelguard.playbook import services
from jewelguard.playbook.models import Inquiry

INQUIRY_FIELDS = (
    "kind",
    "status",
    "created_at",
    "name",
    "email",
    "organisation",
    "deadline",
    "language",
    "subject",
    "message",
)


@admin.register(Inquiry)
class InquiryAdmin(RestrictedAdmin[Inquiry]):
    """Analysts and administrators answer inquiries (playbook.permissions); no one else."""

    list_display = ["created_at", "kind", "status", "subject", "name", "organisation", "deadline"]
    list_filter = ["kind", "status", "created_at"]
    search_fields = ["name", "email", "organisation", "subject"]
    date_hierarchy = "created_at"
    fields = INQUIRY_FIELDS
    readonly_fields = [f for f in INQUIRY_FIELDS if f != "status"]
    actions = ["mark_answered"]

    @admin.action(description=_("Mark as answered"))
    def mark_answered(self, request: HttpRequest, queryset: QuerySet[Inquiry]) -> None:
        count = 0
        for inquiry in queryset:
            services.inquiry_mark_answered(inquiry=inquiry)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d inquiry marked answered.", "%(count)d inquiries marked answered.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
