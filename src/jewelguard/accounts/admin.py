"""The admin site, for analysts (read-only, through the Analysts group) and administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts import services
from jewelguard.accounts.models import (
    Agency,
    ApiToken,
    BusinessHours,
    HoursException,
    Member,
    StaffGrant,
    StaffInvitation,
    Store,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # the stubs want an AbstractUser
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active", "agency"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "role", "agency")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "role")}),
    )
    filter_horizontal = ["groups"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the groups are saved, so that a new role's access is not undone by the form.
        if "role" in form.changed_data:
            services.user_access_sync(user=form.instance)


class BusinessHoursInline(admin.TabularInline[BusinessHours, Store]):
    model = BusinessHours
    extra = 0


class HoursExceptionInline(admin.TabularInline[HoursException, Store]):
    model = HoursException
    extra = 0


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin[Store]):
    list_display = ["name", "member", "city", "region", "country", "time_zone"]
    list_filter = ["country", "region"]
    search_fields = ["name", "city", "postal_code", "member__name"]
    # The location and what follows from it (cell, time zone) come from the geocoder, in
    # services.store_update; editing them here would leave them disagreeing.
    readonly_fields = [
        "member", "city", "region", "postal_code", "country", "latitude", "longitude",
        "location_source", "h3_cell", "time_zone", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [BusinessHoursInline, HoursExceptionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stores are added by their members, placed by the geocoder


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name", "owner__email"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "ori", "jurisdiction"]
    search_fields = ["name", "ori"]


@admin.register(StaffGrant)
class StaffGrantAdmin(admin.ModelAdmin[StaffGrant]):
    list_display = ["user", "store", "rights"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin[StaffInvitation]):
    list_display = ["email", "member", "created_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Who holds which token and when it was last used; revoking is the one change allowed.

    The hash never shows: with it, nobody can use the token, but it is still nobody's
    business. Tokens are created by their holders, on their API tokens page.
    """

    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_filter = ["last_used_at"]
    search_fields = ["name", "prefix", "user__email"]
    fields = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("name", "user", "prefix", "created_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        # One way to end a token: "Revoke", which says what it does.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Revoke the selected tokens"), permissions=["delete"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for api_token in queryset:
            services.api_token_revoke(api_token=api_token)
            count += 1
        self.message_user(
            request, _("%(count)d token(s) revoked.") % {"count": count}, messages.SUCCESS
        )
