"""The admin site, for analysts (read-only) and administrators, by the room's policies."""

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
    AnalystGrant,
    ApiToken,
    BusinessHours,
    HoursException,
    Member,
    StaffGrant,
    StaffInvitation,
    Store,
    User,
)
from jewelguard.core.admin import RestrictedAdmin, RestrictedAdminMixin, RestrictedInlineMixin
from jewelguard.core.audit import audit_record


def _admin_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@admin.register(User)
class UserAdmin(RestrictedAdminMixin[User], BaseUserAdmin):  # type: ignore[type-arg]  # the stubs want an AbstractUser
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
        # After the form's own fields are saved, so that the role's access is not undone.
        if change and "role" in form.changed_data:
            services.user_access_sync(user=form.instance)
            audit_record(
                actor=request.user,
                action="user.role_changed",
                target=form.instance,
                target_repr=f"user #{form.instance.pk}",
                request=request,
                details={"from": form.initial.get("role", ""), "to": form.instance.role},
            )
        elif "role" in form.changed_data:
            services.user_access_sync(user=form.instance)


class BusinessHoursInline(RestrictedInlineMixin, admin.TabularInline[BusinessHours, Store]):
    model = BusinessHours
    extra = 0


class HoursExceptionInline(RestrictedInlineMixin, admin.TabularInline[HoursException, Store]):
    model = HoursException
    extra = 0


@admin.register(Store)
class StoreAdmin(RestrictedAdmin[Store]):
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

    def delete_model(self, request: HttpRequest, obj: Store) -> None:
        services.store_delete(store=obj, actor=_admin_user(request), request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Store]) -> None:
        for store in queryset:
            services.store_delete(store=store, actor=_admin_user(request), request=request)


@admin.register(Member)
class MemberAdmin(RestrictedAdmin[Member]):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name", "owner__email"]


@admin.register(Agency)
class AgencyAdmin(RestrictedAdmin[Agency]):
    list_display = ["name", "ori", "jurisdiction"]
    search_fields = ["name", "ori"]


@admin.register(StaffGrant)
class StaffGrantAdmin(RestrictedAdmin[StaffGrant]):
    list_display = ["user", "store", "rights"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(RestrictedAdmin[StaffInvitation]):
    list_display = ["email", "member", "created_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(AnalystGrant)
class AnalystGrantAdmin(RestrictedAdmin[AnalystGrant]):
    """Administrators open a member's own data to an analyst; the analyst sees their grants."""

    list_display = ["analyst", "member", "created_at", "expires_at", "granted_by"]
    search_fields = ["member__name", "analyst__email"]
    list_select_related = ["analyst", "member", "granted_by"]

    def save_model(self, request: HttpRequest, obj: AnalystGrant, form: Any, change: bool) -> None:
        if not change:
            obj.granted_by = _admin_user(request)
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="analyst_grant.changed" if change else "analyst_grant.created",
            target=obj,
            target_repr=f"analyst #{obj.analyst_id} → {obj.member.name}",
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: AnalystGrant) -> None:
        audit_record(
            actor=request.user,
            action="analyst_grant.deleted",
            target=obj,
            target_repr=f"analyst #{obj.analyst_id} → {obj.member.name}",
            request=request,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AnalystGrant]) -> None:
        for grant in queryset.select_related("member"):
            self.delete_model(request, grant)


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
