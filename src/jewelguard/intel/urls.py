"""The crime-intelligence room's pages: reporting, moderation, the map, statistics, export."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from jewelguard.intel import map_views

app_name = "intel"

urlpatterns: list[URLPattern | URLResolver] = [
    # the crime map
    path("map/", map_views.crime_map, name="map"),
]
