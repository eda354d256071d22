"""The crime-intelligence room's pages: reporting, moderation, the map, statistics, export."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from jewelguard.intel import (
    map_views,
    stats_views,
    views_import,
    views_incidents,
    views_moderation,
    views_report,
)

app_name = "intel"

urlpatterns: list[URLPattern | URLResolver] = [
    # Reporting, my incidents, moderation.
    path("report/", views_report.report, name="report"),
    path("report/draft/", views_report.report_draft, name="report_draft"),
    path("report/draft/discard/", views_report.report_draft_discard, name="report_draft_discard"),
    path("incidents/", views_incidents.incident_list, name="incident_list"),
    path("incidents/<int:pk>/", views_incidents.incident_detail, name="incident_detail"),
    path(
        "incidents/<int:pk>/photos/<int:photo_pk>/",
        views_incidents.incident_photo,
        name="incident_photo",
    ),
    path("moderation/", views_moderation.queue, name="moderation"),
    path("moderation/<int:pk>/review/", views_moderation.review, name="moderation_review"),
    path("moderation/<int:pk>/verify/", views_moderation.verify, name="moderation_verify"),
    path("moderation/<int:pk>/reject/", views_moderation.reject, name="moderation_reject"),
    path("moderation/<int:pk>/merge/", views_moderation.merge, name="moderation_merge"),
    # Statistics and export
    path("stats/", stats_views.statistics, name="stats"),
    path("stats/<slug:table>.csv", stats_views.statistics_csv, name="stats_csv"),
    path("export/incidents.csv", stats_views.export_csv, name="export_csv"),
    path("export/incidents.geojson", stats_views.export_geojson, name="export_geojson"),
    # Importing police open data (analysts).
    path("intel/imports/", views_import.import_start, name="import_start"),
    path("intel/imports/<int:run_id>/", views_import.import_detail, name="import_detail"),
    path(
        "intel/imports/<int:run_id>/progress/",
        views_import.import_progress,
        name="import_progress",
    ),
    path(
        "intel/imports/<int:run_id>/rejects.csv",
        views_import.import_rejects,
        name="import_rejects",
    ),
    # the crime map
    path("map/", map_views.crime_map, name="map"),
]
