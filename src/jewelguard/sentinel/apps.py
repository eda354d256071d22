from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentinelConfig(AppConfig):
    name = "jewelguard.sentinel"
    label = "sentinel"
    verbose_name = _("Sentinel: cameras and live events")

    def ready(self) -> None:
        from jewelguard.sentinel.permissions import sentinel_policies_register

        sentinel_policies_register()
