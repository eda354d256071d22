from django.urls import path

from jewelguard.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("stores/", views.store_list, name="store_list"),
    path("stores/new/", views.store_create, name="store_create"),
    path("stores/<int:pk>/", views.store_detail, name="store_detail"),
    path("stores/<int:pk>/edit/", views.store_edit, name="store_edit"),
    path("stores/<int:pk>/delete/", views.store_delete, name="store_delete"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/revoke/", views.staff_revoke, name="staff_revoke"),
    path(
        "staff/invitations/<int:pk>/resend/",
        views.staff_invitation_resend,
        name="staff_invitation_resend",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
