"""The crime-intelligence room's pages: reporting, moderation, the map, statistics, export."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from jewelguard.intel import views_import

app_name = "intel"

urlpatterns: list[URLPattern | URLResolver] = [
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
]
