"""The crime-intelligence room's pages: reporting, moderation, the map, statistics, export."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from jewelguard.intel import stats_views

app_name = "intel"

urlpatterns: list[URLPattern | URLResolver] = [
    # Statistics and export
    path("stats/", stats_views.statistics, name="stats"),
    path("stats/<slug:table>.csv", stats_views.statistics_csv, name="stats_csv"),
    path("export/incidents.csv", stats_views.export_csv, name="export_csv"),
    path("export/incidents.geojson", stats_views.export_geojson, name="export_geojson"),
]
