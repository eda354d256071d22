"""The risk-assessment room's pages: the questionnaire, live advice, the report, progress."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from jewelguard.assessment import views

app_name = "assessment"

urlpatterns: list[URLPattern | URLResolver] = [
    # The flow: start, answer by section with live advice, the analyst's notes, finish.
    path("", views.assessment_list, name="list"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/workspace", views.assessment_workspace, name="workspace"),
    path("<int:pk>/answer/<str:question_id>", views.answer, name="answer"),
    path("<int:pk>/finish", views.finish, name="finish"),
    path("<int:pk>/observation/<str:question_id>", views.observation_add, name="observation_add"),
    path("<int:pk>/finding", views.finding_mark, name="finding_mark"),
    path("<int:pk>/finding/<int:finding_id>/done", views.finding_close, name="finding_close"),
    path("<int:pk>/photo/<int:photo_id>", views.photo, name="photo"),
]
