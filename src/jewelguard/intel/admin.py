"""The Django admin for incidents: analysts moderate, administrators also delete."""

from __future__ import annotations

from django.contrib import admin

from jewelguard.core.admin import RestrictedAdmin, RestrictedInlineMixin
from jewelguard.intel.models import EvidencePhoto, Incident, Offender, Vehicle


class OffenderInline(RestrictedInlineMixin, admin.StackedInline[Offender, Incident]):
    model = Offender
    extra = 0


class VehicleInline(RestrictedInlineMixin, admin.TabularInline[Vehicle, Incident]):
    model = Vehicle
    extra = 0


class EvidencePhotoInline(RestrictedInlineMixin, admin.TabularInline[EvidencePhoto, Incident]):
    model = EvidencePhoto
    extra = 0


@admin.register(Incident)
class IncidentAdmin(RestrictedAdmin[Incident]):
    list_display = (
        "pk",
        "scenario_id",
        "nibrs_offense_code",
        "occurred_from",
        "source",
        "visibility",
        "verification",
    )
    list_filter = ("scenario_id", "source", "visibility", "verification", "source_name")
    search_fields = ("address", "police_case_number", "source_id")
    date_hierarchy = "occurred_from"
    list_select_related = ("member", "agency")
    raw_id_fields = ("reporter", "member", "store", "agency", "verified_by")
    readonly_fields = (
        "source",
        "source_name",
        "source_id",
        "h3_r4",
        "h3_r5",
        "h3_r6",
        "h3_r7",
        "h3_r8",
        "h3_r9",
        "h3_r10",
        "verified_by",
        "verified_at",
        "created_at",
        "updated_at",
    )
    inlines = [OffenderInline, VehicleInline, EvidencePhotoInline]
