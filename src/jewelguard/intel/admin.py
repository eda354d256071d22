"""The Django admin for incidents: analysts moderate, administrators also delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jewelguard.core.admin import RestrictedAdmin, RestrictedInlineMixin
from jewelguard.intel.models import EvidencePhoto, Incident, Offender, Vehicle
from jewelguard.intel.services import incident_alert_if_reaching, incident_audiences


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
    raw_id_fields = ("reporter", "member", "store", "agency", "verified_by", "merged_into")
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

    def save_model(self, request: HttpRequest, obj: Incident, form: Any, change: bool) -> None:
        # An edit here that shares the incident more widely alerts, as the services do.
        previous = Incident.objects.filter(pk=obj.pk).first() if change else None
        before = incident_audiences(incident=previous) if previous else frozenset()
        super().save_model(request, obj, form, change)
        incident_alert_if_reaching(incident=obj, before=before)
