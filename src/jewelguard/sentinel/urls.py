from django.urls import path

from jewelguard.sentinel import views

app_name = "sentinel"

urlpatterns = [
    path("", views.live_events, name="live_events"),
    path("events/<int:pk>/<str:decision>/", views.live_event_decide, name="live_event_decide"),
    path("snapshots/<int:pk>.jpg", views.snapshot_image, name="snapshot"),
    path("cameras/", views.camera_status, name="camera_status"),
    path("cameras/add/", views.camera_create, name="camera_create"),
    path("cameras/<int:pk>/", views.camera_edit, name="camera_edit"),
    path("cameras/<int:pk>/delete/", views.camera_delete, name="camera_delete"),
    path("cameras/<int:pk>/zones/", views.camera_zones, name="camera_zones"),
    path("cameras/<int:pk>/preview.jpg", views.camera_preview, name="camera_preview"),
]
