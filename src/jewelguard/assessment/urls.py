"""The risk-assessment room's pages: the questionnaire, live advice, the report, progress."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "assessment"

urlpatterns: list[URLPattern | URLResolver] = []
