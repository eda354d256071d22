from django.urls import path

from jewelguard.pledge import views

app_name = "pledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("take/", views.take, name="take"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("toolkit/", views.toolkit_stores, name="toolkit"),
    path("toolkit/<int:store_id>/", views.toolkit_store, name="toolkit_store"),
    path("toolkit/<int:store_id>/signage/", views.toolkit_signage, name="toolkit_signage"),
    path(
        "toolkit/<int:store_id>/<str:language>/<str:name>",
        views.toolkit_file,
        name="toolkit_file",
    ),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("members/", views.members, name="members"),
]
