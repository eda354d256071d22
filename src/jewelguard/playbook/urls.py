from django.urls import path

from jewelguard.playbook import views

app_name = "playbook"
urlpatterns = [
    path("", views.index, name="index"),
    path("controls/", views.controls, name="controls"),
    path("statistics/", views.statistics, name="statistics"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.inquiry_sent, {"kind": "general"}, name="contact_sent"),
    path("media/", views.media, name="media"),
    path("media/sent/", views.inquiry_sent, {"kind": "media"}, name="media_sent"),
    path("<slug:scenario_id>/", views.scenario, name="scenario"),
    path("<slug:scenario_id>/staff-card.pdf", views.staff_card, name="staff_card"),
]
