from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "jewelguard.intel"
    label = "intel"
    verbose_name = _("Crime intelligence")

    def ready(self) -> None:
        from jewelguard.intel.permissions import intel_policies_register

        intel_policies_register()
