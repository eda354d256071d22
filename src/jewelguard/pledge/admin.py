"""The Django admin for the pledge room: pledges are records, read and never rewritten here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jewelguard.core.admin import RestrictedAdmin
from jewelguard.pledge.models import Pledge, StoreSignage


class ActiveFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Pledge]
    ) -> list[tuple[str, str]]:
        return [("active", str(_("In force"))), ("withdrawn", str(_("Withdrawn")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
        if self.value() == "active":
            return queryset.filter(withdrawn_at__isnull=True)
        if self.value() == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


@admin.register(Pledge)
class PledgeAdmin(RestrictedAdmin[Pledge]):
    list_display = ("member", "taken_at", "withdrawn_at", "text_version", "language")
    list_filter = (ActiveFilter, "text_version", "language")
    search_fields = ("member__name", "member__owner__email")
    date_hierarchy = "taken_at"
    list_select_related = ("member",)
    readonly_fields = (
        "member",
        "taken_by",
        "text_version",
        "text_sha256",
        "language",
        "statements",
        "taken_at",
        "withdrawn_at",
        "withdrawal_reason",
    )


@admin.register(StoreSignage)
class StoreSignageAdmin(RestrictedAdmin[StoreSignage]):
    list_display = ("store", "updated_at")
    search_fields = ("store__name",)
    readonly_fields = ("store", "statements", "updated_at", "updated_by")
