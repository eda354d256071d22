"""The risk-assessment room's pages: the questionnaire, live advice, the report, progress."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from jewelguard.assessment import views, views_report

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
    # The report, progress, peers, sharing with an analyst, the analysts' portfolio.
    path("<int:pk>/report/", views_report.report_page, name="report"),
    path("<int:pk>/report.pdf", views_report.report_pdf, name="report_pdf"),
    path("<int:pk>/report.html", views_report.report_html, name="report_html"),
    path("<int:pk>/progress/", views_report.progress_page, name="progress"),
    path("<int:pk>/peers/", views_report.peers_page, name="peers"),
    path("stores/<int:store_pk>/history/", views_report.history_page, name="history"),
    path("sharing/", views_report.sharing_page, name="sharing"),
    path("sharing/<int:grant_pk>/revoke/", views_report.sharing_revoke, name="sharing_revoke"),
    path("portfolio/", views_report.portfolio_page, name="portfolio"),
    path("portfolio/<slug:table>.csv", views_report.portfolio_csv, name="portfolio_csv"),
]
