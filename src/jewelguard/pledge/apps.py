from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgeConfig(AppConfig):
    name = "jewelguard.pledge"
    label = "pledge"
    verbose_name = _("Pledge")

    def ready(self) -> None:
        from jewelguard.pledge.permissions import pledge_policies_register

        pledge_policies_register()
