"""The crime-intelligence room's pages: reporting, moderation, the map, statistics, export."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "intel"

urlpatterns: list[URLPattern | URLResolver] = []
