from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.views import EmailConfirmView
from jewelguard.api import api

admin.site.site_header = _("JewelGuard administration")
admin.site.site_title = _("JewelGuard administration")
admin.site.index_title = _("What you may see and change")

urlpatterns = [
    path("", include("jewelguard.core.urls")),
    # Before allauth's own, which it replaces (see EmailConfirmView).
    path(
        "accounts/confirm-email/<str:key>/",
        EmailConfirmView.as_view(),
        name="account_confirm_email",
    ),
    path("accounts/", include("allauth.urls")),
    path("me/", include("jewelguard.accounts.urls")),
    path("pledge/", include("jewelguard.pledge.urls")),
    path("playbook/", include("jewelguard.playbook.urls")),
    path("assessment/", include("jewelguard.assessment.urls")),
    path("sentinel/", include("jewelguard.sentinel.urls")),
    # /map, /stats, /incidents/...: the intel room names its own paths from the root.
    path("", include("jewelguard.intel.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
