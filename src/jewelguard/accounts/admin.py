"""The admin site, for analysts and administrators."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.models import (
    Agency,
    BusinessHours,
    HoursException,
    Member,
    StaffGrant,
    StaffInvitation,
    Store,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active", "agency"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "role", "agency")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "role")}),)
    filter_horizontal = ["groups"]


class BusinessHoursInline(admin.TabularInline):
    model = BusinessHours
    extra = 0


class HoursExceptionInline(admin.TabularInline):
    model = HoursException
    extra = 0


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "city", "region", "country", "time_zone"]
    list_filter = ["country", "region"]
    search_fields = ["name", "city", "postal_code", "member__name"]
    readonly_fields = ["h3_cell", "created_at", "updated_at"]
    inlines = [BusinessHoursInline, HoursExceptionInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name", "owner__email"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "ori", "jurisdiction"]
    search_fields = ["name", "ori"]


@admin.register(StaffGrant)
class StaffGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "rights"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "member", "created_at", "accepted_at"]
    exclude = ["token_hash"]
